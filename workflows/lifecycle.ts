import { nowMs } from './clock.js';
import { loadPendingDependencies } from './dependencies.js';
import type { Instance } from './instance-context.js';
import { audit, notice } from './notices.js';
import { isPatched } from './patches.js';
import { keepRaiser } from './recipients.js';
import { applySchedule, computeSchedule } from './schedule.js';
import { awaitingClock, startClock } from './relative-due.js';
import { reconcileWithDue, setStatus } from './state.js';
import type { AmendSignal, WithdrawSignal } from './types.js';

/**
 * A re-deployed directive revision: the running cycle takes the new dates and ladders at once;
 * submissions, reviews and status are kept. An extension already granted stays in force when it
 * is later than the amended due date.
 */
export async function onAmend(inst: Instance, a: AmendSignal): Promise<void> {
  if (await ignoredAsOlder(inst, a)) return;
  inst.input = {
    ...inst.input,
    directive: a.directive,
    obligation: a.obligation,
    contacts: keepRaiser(inst, a.contacts),
    ...(a.dependents !== undefined ? { dependents: a.dependents } : {}),
  };
  // 1.1: a cycle whose due date is not counted yet (relative-due.ts) has nothing to move: it counts
  // by the amended obligation once its moment comes (which the amendment may have made now).
  if (awaitingClock(inst)) {
    await loadPendingDependencies(inst);
    await startClock(inst);
    if (awaitingClock(inst)) {
      await audit(inst, 'amended', 'system', { revision: a.directive.revision, waitingFor: inst.pendingDependencies });
      await notice(inst, 'amended', [inst.input.unit.id], { revision: String(a.directive.revision) });
      return;
    }
  }
  let schedule = await computeSchedule(inst);
  const amendedDue = schedule.due;
  if (inst.extendedDue !== undefined && inst.extendedDue > amendedDue) {
    schedule = await computeSchedule(inst, { extendedDue: inst.extendedDue, cycleDue: amendedDue });
  }
  inst.state.originalDue = amendedDue;
  applySchedule(inst, schedule);
  if (!inst.opened) await loadPendingDependencies(inst);
  await reconcileWithDue(inst, nowMs());
  await audit(inst, 'amended', 'system', { revision: a.directive.revision, due: inst.state.due });
  await notice(inst, 'amended', [inst.input.unit.id], {
    revision: String(a.directive.revision),
    ...(inst.state.due !== undefined ? { due: inst.state.due } : {}),
  });
}

/**
 * Deploys of one directive are serialised (service/deploy.ts), but an amendment can still arrive
 * out of order: sent by a deploy of an older chithi, or by hand with raw Temporal access. One of
 * an older revision than the instance runs would roll it back, so it is ignored and audited. A
 * revision that is not a whole number is not newer either. The same revision is applied: a plan
 * may be corrected without a new revision number.
 */
export async function ignoredAsOlder(inst: Instance, a: AmendSignal): Promise<boolean> {
  const running = inst.input.directive.revision;
  // Read defensively: an amendment that raced the end of a cycle reaches here unchecked (instance.ts).
  const revision: unknown = (a.directive as Partial<AmendSignal['directive']> | undefined)?.revision;
  if ((typeof revision === 'number' && Number.isInteger(revision) && revision >= running) || !isPatched('amend-revision-order-v1')) return false;
  await audit(inst, 'amend-ignored-older-revision', 'system', { revision, running });
  return true;
}

export async function onWithdraw(inst: Instance, w: WithdrawSignal): Promise<void> {
  await setStatus(inst, 'withdrawn');
  await audit(inst, 'withdrawn', w.by, { reason: w.reason, ...(w.supersededBy ? { supersededBy: w.supersededBy } : {}) });
  await notice(inst, 'withdrawn', [inst.input.unit.id], {
    reason: w.reason,
    ...(w.supersededBy ? { supersededBy: w.supersededBy } : {}),
  });
}
