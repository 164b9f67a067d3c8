import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import { runCycle, type CycleOutcome } from './cycle.js';
import { signalDependents } from './dependencies.js';
import { createInstance, type InboxItem, type Instance } from './instance-context.js';
import { isPatched } from './patches.js';
import { registerSignals } from './inbox.js';
import { flush } from './journal.js';
import { ignoredAsOlder, onWithdraw } from './lifecycle.js';
import { audit } from './notices.js';
import { registerStateQuery } from './state.js';
import type { InstanceInput, InstanceState } from './types.js';

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
  if (!recurs) return inst.state;
  return continueAsNew<typeof obligationInstance>(nextCycleInput(inst));
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
      inst.input = { ...inst.input, directive, obligation, contacts, ...(dependents !== undefined ? { dependents } : {}) };
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
  };
}
