import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { SIGNAL, type SubmitEvidenceSignal } from '../workflows/types.js';
import type { ChithiConfig as RuntimeConfig } from '../common/config.js';
import { prepareEvidence, type EvidenceInput } from './evidence.js';
import { UserError } from '../common/errors.js';
import { signalAction } from './signal.js';
import { checkText } from './text.js';
import { storeSubmission } from '../activities/store/index.js';
import { madeFor, resolveTarget, scopeOf, TERMINAL } from './target.js';

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
}

export interface SubmitResult {
  submissionId: string;
  workflowId: string;
  items: SubmitEvidenceSignal['items'];
  /** False: this submission was stored before (a retry); it was sent to the instance again. */
  created: boolean;
}

/**
 * Validate, store (evidence + sha256 in PostgreSQL), then signal: the workflow never sees a file.
 * The submission is stored once under its id; the same command with the same `--id` and evidence
 * writes nothing and signals again (a signal lost after the write), other evidence is refused.
 */
export async function submit(req: SubmitRequest, deps: { client: Client; pool: pg.Pool; config?: RuntimeConfig }): Promise<SubmitResult> {
  checkText(req.note, '--note');
  const target = await resolveTarget(deps.pool, req);
  const prepared = prepareEvidence(target.obligation, { files: req.files ?? [], fields: req.fields ?? [] }, req.cwd ?? process.cwd());
  if (TERMINAL.has(target.instance.status)) {
    throw new UserError({
      vi: `Nghĩa vụ ${target.obligation.id} của ${target.unitId} đã hoàn thành; không nhận thêm minh chứng.`,
      en: `Obligation ${target.obligation.id} of ${target.unitId} is already completed; no more evidence is taken.`,
    });
  }
  const by = req.by ?? target.unitId;
  const cycle = target.instance.cycle;
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
  const signal: SubmitEvidenceSignal = { submissionId, items, submittedBy: by };
  if (req.note) signal.note = req.note;
  await signalAction(deps.client, target.workflowId, SIGNAL.submitEvidence, signal, {
    id: submissionId,
    what: { vi: 'minh chứng', en: 'the evidence' },
    temporal: deps.config?.temporal,
  });
  return { submissionId, workflowId: target.workflowId, items, created: stored.created };
}
