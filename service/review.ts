import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { commandLine } from '../common/commands.js';
import { DEFAULT_TASK_QUEUE } from '../common/config.js';
import { QUERY, SIGNAL, type InstanceState, type ReviewSignal } from '../workflows/types.js';
import type { ChithiConfig as RuntimeConfig } from '../common/config.js';
import { UserError } from '../common/errors.js';
import { queryOrExplain, signalAction } from './signal.js';
import { getReview, recordReview, type RecordedReview } from '../activities/store/index.js';
import { resolveTarget, type Target } from './target.js';
import { checkText } from './text.js';

export interface ReviewRequest {
  directive: string;
  obligation: string;
  unit: string;
  event?: string;
  decision: 'accept' | 'reject';
  comment?: string;
  /** Reviewer unit; defaults to the obligation's reviewer. */
  as?: string;
  /** The decision's id (`--id`): a stored decision with it is sent again. Default: a new UUID. */
  id?: string;
}

export interface ReviewResult {
  submissionId: string;
  workflowId: string;
  reviewId: string;
  /** False: this decision was stored before (a retry); it was sent to the instance again. */
  created: boolean;
}

const WHAT = { vi: 'quyết định duyệt', en: 'the review decision' };

/**
 * Decides the latest submission awaiting review. One decision per submission, written once under
 * its id, then signalled: a decision stored but not signalled is sent again by the same command
 * (with or without its `--id`); a different decision on a decided submission is refused, naming
 * the one that stands.
 */
export async function review(req: ReviewRequest, deps: { client: Client; pool: pg.Pool; config?: RuntimeConfig }): Promise<ReviewResult> {
  checkText(req.comment, '--comment');
  const target = await resolveTarget(deps.pool, req);
  const reviewer = req.as ?? target.obligation.reviewer;
  const send = async (r: RecordedReview, created: boolean): Promise<ReviewResult> => {
    const signal: ReviewSignal = { submissionId: r.submissionId, decision: r.decision, reviewer: r.reviewer, reviewId: r.reviewId };
    if (r.comment !== undefined) signal.comment = r.comment;
    await signalAction(deps.client, target.workflowId, SIGNAL.review, signal, { id: r.reviewId, what: WHAT, temporal: deps.config?.temporal });
    return { submissionId: r.submissionId, workflowId: target.workflowId, reviewId: r.reviewId, created };
  };

  // A retry of a stored decision is sent again as stored, whatever the instance's status now:
  // if the first signal did arrive, the workflow takes a submission's decision once.
  const stored = req.id === undefined ? undefined : await getReview(deps.pool, req.id);
  if (stored !== undefined) {
    const same = stored.workflowId === target.workflowId && stored.decision === req.decision && stored.reviewer === reviewer && (stored.comment ?? null) === (req.comment ?? null);
    if (!same) {
      throw new UserError({
        vi: `Mã ${stored.reviewId} đã được dùng cho một quyết định khác (${stored.decision} của ${stored.reviewer} về minh chứng ${stored.submissionId}). Để quyết định mới, bỏ --id.`,
        en: `Id ${stored.reviewId} was already used for another decision (${stored.decision} by ${stored.reviewer} on submission ${stored.submissionId}). For a new decision, leave out --id.`,
      });
    }
    return send(stored, false);
  }

  if (target.instance.status !== 'awaiting-review') {
    throw new UserError({
      vi: `Không có minh chứng nào chờ duyệt cho ${target.obligation.id} / ${target.unitId}.`,
      en: `Nothing is awaiting review for ${target.obligation.id} / ${target.unitId}.`,
    });
  }
  // The workflow knows which submission it is waiting on; the store only keeps the record.
  const state = await queryOrExplain<InstanceState>(deps.client, QUERY.state, {
    workflowId: target.workflowId,
    taskQueue: deps.config?.temporal.taskQueue ?? DEFAULT_TASK_QUEUE,
    ...(deps.config && { temporal: deps.config.temporal }),
  });
  const submission = [...state.submissions].reverse().find((s) => s.decision === undefined);
  if (!submission) {
    throw new UserError({ vi: `Chưa có minh chứng nào được nộp cho ${target.workflowId}.`, en: `No evidence was submitted for ${target.workflowId}.` });
  }
  const outcome = await recordReview(deps.pool, {
    reviewId: req.id ?? randomUUID(),
    submissionId: submission.submissionId,
    decision: req.decision,
    ...(req.comment ? { comment: req.comment } : {}),
    reviewer,
    at: new Date().toISOString(),
  });
  // Decided already by this same decision: a retry without --id (or a second reviewer agreeing
  // word for word), and the workflow still waits for it, so it is sent again.
  if (!outcome.created && !outcome.same) throw alreadyDecided(outcome.review, target);
  return send(outcome.review, outcome.created);
}

function alreadyDecided(r: RecordedReview, target: Target): UserError {
  const again = commandLine('review', {
    positionals: [r.decision],
    flags: {
      directive: target.plan.directive.id,
      obligation: target.obligation.id,
      unit: target.unitId,
      ...(target.eventId !== undefined && { event: target.eventId }),
      ...(r.comment !== undefined && { comment: r.comment }),
      id: r.reviewId,
    },
  });
  const decision = { accept: { vi: 'chấp nhận', en: 'accepted' }, reject: { vi: 'từ chối', en: 'rejected' } }[r.decision];
  return new UserError({
    vi: `Minh chứng ${r.submissionId} đã được ${r.reviewer} quyết định lúc ${r.at}: ${decision.vi} (mã ${r.reviewId}). Mỗi lần nộp chỉ có một quyết định; quyết định này không được ghi. Nếu phiên vẫn chờ duyệt, quyết định đã có chưa đến được phiên; gửi lại bằng:\n  ${again}`,
    en: `Submission ${r.submissionId} was already decided by ${r.reviewer} at ${r.at}: ${decision.en} (id ${r.reviewId}). A submission has one decision; this one was not recorded. If the instance still awaits review, the recorded decision has not reached it; send it again with:\n  ${again}`,
  });
}
