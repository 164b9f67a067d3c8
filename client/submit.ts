import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type pg from 'pg';
import { SIGNAL, type SubmitEvidenceSignal } from '../workflows/types.js';
import { prepareEvidence, type EvidenceInput } from './evidence.js';
import { UserError } from './io.js';
import { checkText } from './text.js';
import * as store from './store.js';
import { resolveTarget, TERMINAL } from './target.js';

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
}

export interface SubmitResult {
  submissionId: string;
  workflowId: string;
  items: SubmitEvidenceSignal['items'];
}

/** Validate, store (evidence + sha256 in PostgreSQL), then signal: the workflow never sees a file. */
export async function submit(req: SubmitRequest, deps: { client: Client; pool: pg.Pool }): Promise<SubmitResult> {
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
  const { submissionId, items } = await store.storeSubmission(deps.pool, {
    workflowId: target.workflowId,
    directiveId: target.plan.directive.id,
    obligationId: target.obligation.id,
    unitId: target.unitId,
    ...(target.eventId ? { eventId: target.eventId } : {}),
    cycle: target.instance.cycle,
    submittedBy: by,
    ...(req.note ? { note: req.note } : {}),
    at: new Date().toISOString(),
    items: prepared.items,
  });
  const signal: SubmitEvidenceSignal = { submissionId, items, submittedBy: by };
  if (req.note) signal.note = req.note;
  try {
    await deps.client.workflow.getHandle(target.workflowId).signal(SIGNAL.submitEvidence, signal);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new UserError({
        vi: `Phiên ${target.workflowId} không còn chạy; minh chứng đã lưu (mã ${submissionId}) nhưng không được ghi nhận.`,
        en: `Instance ${target.workflowId} is no longer running; the evidence was stored (id ${submissionId}) but not taken into account.`,
      });
    }
    throw err;
  }
  return { submissionId, workflowId: target.workflowId, items };
}
