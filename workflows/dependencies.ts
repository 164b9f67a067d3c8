import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { store } from './activities.js';
import type { Instance } from './instance-context.js';
import { audit } from './notices.js';
import { SIGNAL, instanceWorkflowId, type DependencyCompletedSignal } from './types.js';

/**
 * Which prerequisites are still open. The projection answers for prerequisites completed before
 * this instance started; `dependencyCompleted` signals answer for the ones completed later.
 */
export async function loadPendingDependencies(inst: Instance): Promise<void> {
  const deps = inst.input.obligation.dependsOn;
  if (deps.length === 0) {
    inst.pendingDependencies = [];
    return;
  }
  const done = await store.completedObligations({
    directiveId: inst.input.directive.id,
    unitId: inst.input.unit.id,
    obligationIds: deps,
  });
  inst.pendingDependencies = deps.filter((d) => !done.includes(d) && !inst.completedDependencies.includes(d));
}

export async function onDependencyCompleted(inst: Instance, s: DependencyCompletedSignal): Promise<void> {
  if (!inst.completedDependencies.includes(s.obligationId)) inst.completedDependencies.push(s.obligationId);
  inst.pendingDependencies = inst.pendingDependencies.filter((d) => d !== s.obligationId);
  await audit(inst, 'dependency-completed', 'system', { obligationId: s.obligationId });
}

/**
 * Tells this unit's dependent instances that the prerequisite is done. A dependent not started
 * yet (or already closed) is not an error: it reads the projection when it starts.
 */
export async function signalDependents(inst: Instance): Promise<void> {
  const payload: DependencyCompletedSignal = { obligationId: inst.input.obligation.id };
  for (const dependent of inst.input.dependents ?? []) {
    const id = instanceWorkflowId(inst.input.directive.id, dependent, inst.input.unit.id);
    try {
      await getExternalWorkflowHandle(id).signal(SIGNAL.dependencyCompleted, payload);
    } catch (err) {
      await audit(inst, 'dependent-not-signalled', 'system', {
        workflowId: id,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
