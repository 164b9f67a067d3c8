import { defineQuery, setHandler } from '@temporalio/workflow';
import { nowIso } from './clock.js';
import { laterGeneration, type Instance } from './instance-context.js';
import { commit, type Recording } from './notices.js';
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
export function setStatus(inst: Instance, status: InstanceStatus, force = false): Promise<void> {
  return commit(inst, statusRecord(inst, status, force));
}

/** setStatus as a recording (notices.ts): the state changes when the entry is made. */
export function* statusRecord(inst: Instance, status: InstanceStatus, force = false): Recording {
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
  yield { status: update };
}

/** After the due date moved: an overdue instance whose new due date is ahead is back in progress. */
export async function reconcileWithDue(inst: Instance, now: number): Promise<void> {
  const back = inst.state.status === 'overdue' && now <= inst.timers.dueMs;
  await setStatus(inst, back ? 'in-progress' : inst.state.status, true);
}
