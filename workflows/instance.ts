import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import { runCycle, type CycleOutcome } from './cycle.js';
import { signalDependents } from './dependencies.js';
import { createInstance, type InboxItem, type Instance } from './instance-context.js';
import { isPatched } from './patches.js';
import { keepRaiser } from './recipients.js';
import { registerSignals } from './inbox.js';
import { flush } from './journal.js';
import { ignoredAsOlder, onWithdraw } from './lifecycle.js';
import { audit } from './notices.js';
import { registerStateQuery } from './state.js';
import type { InstanceInput, InstanceState, ReaddSignal } from './types.js';

/**
 * One (directive, obligation, unit[, event]). Deadline and event duties run one cycle and return
 * the final state; recurring and ongoing duties continue-as-new per cycle, so a ten-year directive
 * keeps one cycle of history at a time.
 */
export async function obligationInstance(input: InstanceInput): Promise<InstanceState> {
  const inst = createInstance(workflowInfo().workflowId, input);
  registerStateQuery(inst);
  registerSignals(inst);

  let recurs = await afterCycle(inst, await runCycle(inst));
  await flush(inst);
  // Signals can arrive while the final step is being written (a local activity): settle them too,
  // until a write finds nothing new, so none is lost with the run.
  if (recurs && isPatched('late-signals-carried-v1')) {
    while (recurs && inst.inbox.length > 0) {
      if ((await settleLateSignals(inst)) === 'withdrawn') recurs = false;
      await flush(inst);
    }
  }
  if (!recurs) {
    if (inst.state.status === 'withdrawn' && inst.readd !== undefined && isPatched('readd-after-withdrawal-v1')) return continueAsReadded(inst, inst.readd);
    return inst.state;
  }
  return continueAsNew<typeof obligationInstance>(nextCycleInput(inst));
}

/**
 * The unit was re-added by a deploy while this run held its withdrawal unprocessed: the deploy
 * could not start the next generation beside a running run, so this run, withdrawn now, continues
 * as it. Same outcome as with a worker running between the deploys: the old generation withdrawn
 * (audited, the unit told), then the new one from its first cycle.
 */
async function continueAsReadded(inst: Instance, readd: ReaddSignal): Promise<never> {
  // The deploy numbers the generation from the projection, which holds no row for a run that never
  // recorded a step (no worker ran since it started): past this run's own in any case, so that the
  // next one's keys are not this one's.
  const generation = Math.max(readd.input.generation ?? 1, (inst.input.generation ?? 1) + 1);
  // Signals that reached a run before its first task are handed to their handlers in the order the
  // handlers are registered, not of arrival: a later deploy's amendment can have been applied here,
  // before the withdrawal. A newer revision than the re-add's is the re-added unit's too.
  const own = inst.input;
  const next: InstanceInput =
    own.directive.revision > readd.input.directive.revision
      ? { ...readd.input, directive: own.directive, obligation: own.obligation, contacts: own.contacts, ...(own.dependents !== undefined ? { dependents: own.dependents } : {}) }
      : readd.input;
  await audit(inst, 'readded-as-next-generation', readd.by, { generation });
  await flush(inst);
  const carried = inst.afterReadd;
  return continueAsNew<typeof obligationInstance>({ ...next, generation, ...(carried.length > 0 ? { carried } : {}) });
}

/** Whether a next cycle follows the finished one. */
async function afterCycle(inst: Instance, outcome: CycleOutcome): Promise<boolean> {
  if (outcome === 'withdrawn') return false;
  if (outcome === 'completed') await signalDependents(inst);
  if ((await settleLateSignals(inst)) === 'withdrawn') return false;
  const o = inst.input.obligation;
  return (o.kind === 'recurring' || o.kind === 'ongoing') && inst.schedule?.last !== true;
}

/**
 * Signals that arrived in the same task as the completion: an amendment or a withdrawal must
 * still reach the next cycle; anything else belonged to the finished cycle and is only recorded.
 */
async function settleLateSignals(inst: Instance): Promise<'withdrawn' | undefined> {
  for (let item = inst.inbox.shift(); item !== undefined; item = inst.inbox.shift()) {
    if (item.signal === 'withdraw') {
      await onWithdraw(inst, item.payload);
      return 'withdrawn';
    }
    if (item.signal === 'amend') {
      if (await ignoredAsOlder(inst, item.payload)) continue;
      // The finished cycle keeps its dates; the amended obligation shapes the next one.
      const { directive, obligation, contacts, dependents } = item.payload;
      inst.input = { ...inst.input, directive, obligation, contacts: keepRaiser(inst, contacts), ...(dependents !== undefined ? { dependents } : {}) };
      await audit(inst, 'amended', 'system', { revision: directive.revision, forNextCycle: true });
    } else if (CARRIED.has(item.signal) && recurring(inst) && isPatched('late-signals-carried-v1')) {
      // Evidence, an extension request or a prerequisite's completion that raced the end of the
      // cycle belongs to the next one: it is carried there and applied as it opens.
      inst.carried.push(item);
      await audit(inst, 'signal-carried-to-next-cycle', 'system', { signal: item.signal });
    } else {
      await audit(inst, 'signal-after-cycle-ignored', 'system', { signal: item.signal });
    }
  }
  return undefined;
}

const CARRIED = new Set<InboxItem['signal']>(['submitEvidence', 'requestExtension', 'dependencyCompleted']);

function recurring(inst: Instance): boolean {
  const o = inst.input.obligation;
  return (o.kind === 'recurring' || o.kind === 'ongoing') && inst.schedule?.last !== true;
}

function nextCycleInput(inst: Instance): InstanceInput {
  const { previousCompletedAt: _pc, previousDue: _pd, carried: _c, ...rest } = inst.input;
  const completedAt = inst.state.completedAt ?? inst.input.previousCompletedAt;
  // Fixed windows follow the original window, not a granted extension.
  const previousDue = inst.state.originalDue ?? inst.state.due;
  return {
    ...rest,
    cycle: inst.state.cycle + 1,
    ...(completedAt !== undefined ? { previousCompletedAt: completedAt } : {}),
    ...(previousDue !== undefined ? { previousDue } : {}),
    ...(inst.carried.length > 0 ? { carried: inst.carried } : {}),
    // 1.1: the next cycle of a duty due after each completion of another counts from the one after this.
    ...(inst.clockFrom !== undefined && inst.input.obligation.relativeDue?.from === 'completion' ? { countedFrom: inst.clockFrom } : {}),
  };
}
