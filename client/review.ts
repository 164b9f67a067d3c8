import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { DEFAULT_TASK_QUEUE } from '../common/config.js';
import { QUERY, SIGNAL, type InstanceState, type ReviewSignal } from '../workflows/types.js';
import type { RuntimeConfig } from './config.js';
import { UserError } from './io.js';
import { queryOrExplain, signalOrExplain } from './signal.js';
import * as store from './store.js';
import { resolveTarget } from './target.js';

export interface ReviewRequest {
  directive: string;
  obligation: string;
  unit: string;
  event?: string;
  decision: 'accept' | 'reject';
  comment?: string;
  /** Reviewer unit; defaults to the obligation's reviewer. */
  as?: string;
}

/** Decides the latest submission: only an instance awaiting review can be decided. */
export async function review(
  req: ReviewRequest,
  deps: { client: Client; pool: pg.Pool; config?: RuntimeConfig },
): Promise<{ submissionId: string; workflowId: string }> {
  const target = await resolveTarget(deps.pool, req);
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
  const reviewer = req.as ?? target.obligation.reviewer;
  await store.recordReview(deps.pool, { submissionId: submission.submissionId, decision: req.decision, ...(req.comment ? { comment: req.comment } : {}), reviewer, at: new Date().toISOString() });
  const signal: ReviewSignal = { submissionId: submission.submissionId, decision: req.decision, reviewer };
  if (req.comment) signal.comment = req.comment;
  await signalOrExplain(deps.client, target.workflowId, SIGNAL.review, signal);
  return { submissionId: submission.submissionId, workflowId: target.workflowId };
}
