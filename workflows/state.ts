import { defineQuery, setHandler } from '@temporalio/workflow';
import { records } from './activities.js';
import { nowIso } from './clock.js';
import { laterGeneration, type Instance } from './instance-context.js';
import { journaling } from './journal.js';
import { QUERY, type InstanceState, type InstanceStatus, type StatusUpdate } from './types.js';

export const stateQuery = defineQuery<InstanceState>(QUERY.state);

export function registerStateQuery(inst: Instance): void {
  setHandler(stateQuery, () => inst.state);
}

/** Statuses after which nothing in the cycle can change any more. */
export function isFinal(status: InstanceStatus): boolean {
  return status === 'completed-on-time' || status === 'completed-late' || status === 'withdrawn';
}

/**
 * Moves the instance to `status` and writes the projection row. `force` re-writes an unchanged
 * status, for changes of the due date (extension, amendment) that reports must show.
 */
export async function setStatus(inst: Instance, status: InstanceStatus, force = false): Promise<void> {
  if (inst.state.status === status && !force) return;
  inst.state.status = status;
  const s = inst.state;
  const generation = laterGeneration(inst);
  const update: StatusUpdate = {
    workflowId: inst.workflowId,
    directiveId: s.directiveId,
    obligationId: s.obligationId,
    unitId: s.unitId,
    ...(s.eventId !== undefined ? { eventId: s.eventId } : {}),
    ...(generation !== undefined ? { generation } : {}),
    cycle: s.cycle,
    status,
    ...(s.due !== undefined ? { due: s.due } : {}),
    ...(s.originalDue !== undefined ? { originalDue: s.originalDue } : {}),
    ...(s.completedAt !== undefined ? { completedAt: s.completedAt } : {}),
    at: nowIso(),
  };
  if (journaling()) inst.journal.status = update;
  else await records().recordStatus(update);
}

/** After the due date moved: an overdue instance whose new due date is ahead is back in progress. */
export async function reconcileWithDue(inst: Instance, now: number): Promise<void> {
  const back = inst.state.status === 'overdue' && now <= inst.timers.dueMs;
  await setStatus(inst, back ? 'in-progress' : inst.state.status, true);
}
