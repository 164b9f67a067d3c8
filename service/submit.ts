import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { SIGNAL, type SubmitEvidenceSignal } from '../workflows/types.js';
import type { ChithiConfig as RuntimeConfig } from '../common/config.js';
import { prepareEvidence, type EvidenceInput } from './evidence.js';
import { UserError } from '../common/errors.js';
import { signalAction } from './signal.js';
import { checkText } from './text.js';
import { getSubmission, insertInboxNotices, storeSubmission, type InboxInsert } from '../activities/store/index.js';
import { madeFor, resolveTarget, scopeOf, TERMINAL, type Target } from './target.js';

export interface SubmitRequest extends Partial<EvidenceInput> {
  directive: string;
  obligation: string;
  unit: string;
  event?: string;
  note?: string;
  /** Who submits; defaults to the unit itself. */
  by?: string;
  /** Relative file paths resolve against this. */
  cwd?: string;
  /** The submission's id (`--id`): a stored submission with it is sent again. Default: a new UUID. */
  id?: string;
  /**
   * The submitter is a unit head of the unit (the API server knows from the account's roles): in a
   * unit that requires its head's approval, their own submission is approved by them and goes
   * straight on; anyone else's waits for a unit head. Default false.
   */
  byUnitHead?: boolean;
}

export interface SubmitResult {
  submissionId: string;
  workflowId: string;
  items: SubmitEvidenceSignal['items'];
  /** False: this submission was stored before (a retry); it was sent to the instance again. */
  created: boolean;
  /**
   * Only for a unit that requires its head's approval (registry `submissionApproval: unit-head`):
   * `pending`, stored but not sent: it awaits a unit head's approval (service/approval.ts);
   * `approved`, sent to the instance.
   */
  approval?: 'pending' | 'approved';
}

/**
 * Validate, store (evidence + sha256 in PostgreSQL), then signal: the workflow never sees a file.
 * The submission is stored once under its id; the same command with the same `--id` and evidence
 * writes nothing and signals again (a signal lost after the write), other evidence is refused.
 */
export async function submit(req: SubmitRequest, deps: { client: Client; pool: pg.Pool; config?: RuntimeConfig }): Promise<SubmitResult> {
  checkText(req.note, '--note');
  const target = await resolveTarget(deps.pool, req);
  const prepared = prepareEvidence(target.obligation, { files: req.files ?? [], fields: req.fields ?? [], ...(req.mediaTypes && { mediaTypes: req.mediaTypes }) }, req.cwd ?? process.cwd());
  if (TERMINAL.has(target.instance.status)) {
    throw new UserError({
      vi: `Nghĩa vụ ${target.obligation.id} của ${target.unitId} đã hoàn thành; không nhận thêm minh chứng.`,
      en: `Obligation ${target.obligation.id} of ${target.unitId} is already completed; no more evidence is taken.`,
    });
  }
  const by = req.by ?? target.unitId;
  const cycle = target.instance.cycle;
  // Decided when first stored: a retry keeps the state the row has (approved or returned since).
  const approval = target.plan.units[target.unitId]?.submissionApproval === 'unit-head' ? (req.byUnitHead ? 'approved' : 'pending') : undefined;
  const stored = await storeSubmission(deps.pool, {
    submissionId: req.id ?? randomUUID(),
    workflowId: target.workflowId,
    directiveId: target.plan.directive.id,
    obligationId: target.obligation.id,
    unitId: target.unitId,
    ...(target.eventId ? { eventId: target.eventId } : {}),
    generation: target.instance.generation,
    cycle,
    submittedBy: by,
    ...(req.note ? { note: req.note } : {}),
    at: new Date().toISOString(),
    items: prepared.items,
    ...(approval !== undefined && { approval }),
  });
  const { submissionId, items } = stored;
  // Evidence stored for a cycle that has closed since (or an earlier run) belongs to it: sent now,
  // the running cycle would take it for its own.
  if (!stored.created && scopeOf(stored, target.instance) === 'earlier') {
    const was = madeFor(stored, target.instance);
    throw new UserError({
      vi: `Minh chứng ${submissionId} đã được nộp ${was.vi}; nay đang là chu kỳ ${cycle}, nên không gửi lại. Để nộp cho chu kỳ này, bỏ --id.`,
      en: `Submission ${submissionId} was made ${was.en}; cycle ${cycle} is running now, so it is not sent again. To submit for this cycle, leave out --id.`,
    });
  }
  // Not sent until a unit head approves it: the workflow never hears of a submission its unit did
  // not let out, so a returned one leaves no trace in the instance.
  if (stored.approval === 'pending') {
    // The unit's inbox (its heads read it too) says what waits for them, and the line that approves it.
    if (stored.created) await insertInboxNotices(deps.pool, [awaitingApproval(target, submissionId, by)]);
    return { submissionId, workflowId: target.workflowId, items, created: stored.created, approval: 'pending' };
  }
  if (stored.approval === 'returned') {
    const s = await getSubmission(deps.pool, submissionId);
    throw new UserError({
      vi: `Minh chứng ${submissionId} đã bị ${s.approvedBy} trả lại${s.approvalComment ? ` (${s.approvalComment})` : ''}; không gửi đi. Hãy sửa rồi nộp minh chứng mới (bỏ --id).`,
      en: `Submission ${submissionId} was returned by ${s.approvedBy}${s.approvalComment ? ` (${s.approvalComment})` : ''}; it is not sent. Correct it and submit new evidence (leave out --id).`,
    });
  }
  const signal: SubmitEvidenceSignal = { submissionId, items, submittedBy: by };
  if (req.note) signal.note = req.note;
  await signalAction(deps.client, target.workflowId, SIGNAL.submitEvidence, signal, {
    id: submissionId,
    what: { vi: 'minh chứng', en: 'the evidence' },
    temporal: deps.config?.temporal,
  });
  return { submissionId, workflowId: target.workflowId, items, created: stored.created, ...(stored.approval === 'approved' && { approval: 'approved' as const }) };
}

/** The notice that a submission waits for the unit head, once per submission. */
function awaitingApproval(target: Target, submissionId: string, by: string): InboxInsert {
  const title = target.obligation.title;
  return {
    key: `submission:${submissionId}:awaiting-approval:inbox:${target.unitId}`,
    unitId: target.unitId,
    kind: 'submission-awaiting-approval',
    directiveId: target.plan.directive.id,
    obligationId: target.obligation.id,
    cycle: target.instance.cycle,
    subject: `[Chỉ thị ${target.plan.directive.number}] Minh chứng chờ lãnh đạo đơn vị phê duyệt: ${title.vi}`,
    body: [
      `${by} đã nộp minh chứng ${submissionId} cho nhiệm vụ "${title.vi}". Minh chứng chỉ được gửi tới cơ quan duyệt sau khi lãnh đạo đơn vị phê duyệt:`,
      `  chithi approve ${submissionId}`,
      `hoặc trả lại để sửa: chithi approve ${submissionId} --return --comment "…"`,
      '',
      `${by} submitted evidence ${submissionId} for "${title.en ?? title.vi}". It goes to the reviewer once a unit head approves it:`,
      `  chithi approve ${submissionId}`,
      `or return it for correction: chithi approve ${submissionId} --return --comment "…"`,
    ].join('\n'),
    at: new Date().toISOString(),
  };
}
