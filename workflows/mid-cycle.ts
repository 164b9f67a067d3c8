import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { Instance } from './instance-context.js';
import type { CycleResume, InstanceInput, InstanceState } from './types.js';

/**
 * A run continues as new once per cycle, but one cycle's history can itself grow without bound:
 * an `ongoing` duty overdue for years with its reminders, many rejected and resubmitted
 * submissions, extension requests. So at a quiet point inside a cycle (cycle.ts: the step
 * committed, nothing in flight, about to wait) the run continues as new when Temporal suggests it
 * or its history has reached `InstanceInput.historyLimit`, handing the next run the cycle as it
 * stands (`CycleResume`). Nothing is sent again and nothing is lost: the next run neither
 * schedules nor opens the cycle again, and goes on counting the keys of its notices and audit lines.
 */
export function shouldContinueMidCycle(inst: Instance): boolean {
  // Signals that arrived while the step was being committed are applied first (the loop comes
  // back here after them): carrying them instead would have to carry what a withdrawal sets
  // aside for a re-add too (inbox.ts). And a run that has not waited yet has done nothing to
  // shed: without this a limit below a fresh run's length would continue as new for ever.
  if (inst.inbox.length > 0 || !inst.waited) return false;
  const info = workflowInfo();
  const limit = inst.input.historyLimit;
  return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
}

export function continueMidCycle(inst: Instance): Promise<never> {
  return continueAsNew<(input: InstanceInput) => Promise<InstanceState>>(midCycleInput(inst));
}

function midCycleInput(inst: Instance): InstanceInput {
  // `carried`: the previous cycle's late signals, applied (or deferred, and carried as such) already.
  const { carried: _carried, resume: _resume, ...input } = inst.input;
  const resume: CycleResume = {
    state: inst.state,
    ...(inst.schedule !== undefined ? { schedule: inst.schedule } : {}),
    timers: inst.timers,
    opened: inst.opened,
    deferred: inst.deferred,
    pendingDependencies: inst.pendingDependencies,
    completedDependencies: inst.completedDependencies,
    ...(inst.extendedDue !== undefined ? { extendedDue: inst.extendedDue } : {}),
    ...(inst.clockFrom !== undefined ? { clockFrom: inst.clockFrom } : {}),
    firstTracked: inst.firstTracked,
    seq: inst.seq,
  };
  return { ...input, resume };
}
