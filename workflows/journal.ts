import { isPatched } from './patches.js';
import { steps } from './activities.js';
import type { Instance } from './instance-context.js';
import type { StepRecord } from './types.js';

/**
 * Before this patch every status change, audit line and notice was its own activity call; a
 * step such as "overdue" took three, and the notice a full server round trip. Now a step's
 * records are collected here and committed together in one local activity when the workflow is
 * about to wait (`flush`): one call per wake, written atomically, and notices are delivered by
 * the worker's outbox dispatcher instead of an activity retried in the workflow's history.
 * Histories recorded before the patch replay with the per-record calls.
 */

export function journaling(): boolean {
  return isPatched('step-journal-v1');
}

export function emptyJournal(workflowId: string): StepRecord {
  return { workflowId, audits: [], notices: [] };
}

/** Commits what the step recorded. Call before every wait and before the run ends. */
export async function flush(inst: Instance): Promise<void> {
  const step = inst.journal;
  if (step.status === undefined && step.audits.length === 0 && step.notices.length === 0) return;
  inst.journal = emptyJournal(inst.workflowId);
  const offset = inst.input.clockOffsetMs;
  await steps.recordStep(offset ? { ...step, clockOffsetMs: offset } : step);
}
