/**
 * Hạn tính từ một thời điểm chỉ biết lúc chạy (ngôn ngữ 1.1): lúc đơn vị nhận nhiệm vụ (`afterReceipt`),
 * hoặc lúc đơn vị hoàn thành nhiệm vụ khác (`after: { obligation, plus }`; với nhiệm vụ định kỳ,
 * mỗi kỳ tính từ một lần hoàn thành). Trước thời điểm đó kỳ chưa có hạn: không nhắc, không quá hạn.
 * Due dates counted from a moment known only at run time (language 1.1): the unit's receipt of
 * the task (`afterReceipt`: the cycle's opening, when the assignment notice goes out), or the
 * unit's completion of another obligation (`after: { obligation, plus }`; for a recurring one, each
 * cycle counts from the next completion). Until then the cycle has no schedule: no due date, no
 * reminder, never overdue (the prerequisite's own ladder deals with its lateness). Behind
 * relative-due-v1, asked only for obligations that have `relativeDue`.
 */
import { store } from './activities.js';
import { nowIso } from './clock.js';
import type { Instance } from './instance-context.js';
import { audit } from './notices.js';
import { isPatched } from './patches.js';
import { applySchedule, computeSchedule } from './schedule.js';
import { instanceWorkflowId } from './types.js';
import type { RelativeDue } from '../compiler/plan.js';

/** The obligation's relative due date, when this run counts it (relative-due-v1). */
export function relativeDue(inst: Instance): RelativeDue | undefined {
  const r = inst.input.obligation.relativeDue;
  return r !== undefined && isPatched('relative-due-v1') ? r : undefined;
}

/** The cycle waits for its clock: a relative due date not yet counted. */
export function awaitingClock(inst: Instance): boolean {
  return inst.schedule === undefined && relativeDue(inst) !== undefined;
}

/**
 * Starts the cycle's clock once its moment is known, and schedules the cycle from it; does
 * nothing while it is not, or once it started. Receipt: when nothing else holds the cycle back,
 * it opens now, so now is the receipt. Completion: the prerequisite's completion by this unit
 * (the audit trail: the latest for the first cycle this instance tracks, else the first after the
 * one the previous cycle counted from), which keeps the prerequisite among those waited for until
 * it comes. `signalled`: the obligation a dependencyCompleted signal just reported.
 */
export async function startClock(inst: Instance, signalled?: string): Promise<void> {
  const r = relativeDue(inst);
  if (r === undefined || inst.schedule !== undefined) return;
  let from: string | undefined;
  if (r.from === 'receipt') {
    if (inst.pendingDependencies.length > 0) return;
    from = nowIso();
  } else {
    const { directive, unit, countedFrom } = inst.input;
    from = await store.prerequisiteCompletion({
      directiveId: directive.id,
      workflowId: instanceWorkflowId(directive.id, r.obligation, unit.id),
      ...(countedFrom !== undefined ? { after: countedFrom } : {}),
    });
    // The prerequisite records its completion before it signals (instance.ts), so the signal finds
    // it; should it not, the signal's arrival is the completion, rather than a clock that never starts.
    if (from === undefined && signalled === r.obligation) from = nowIso();
    if (from === undefined) {
      if (!inst.pendingDependencies.includes(r.obligation)) inst.pendingDependencies.push(r.obligation);
      return;
    }
    inst.pendingDependencies = inst.pendingDependencies.filter((d) => d !== r.obligation);
  }
  inst.clockFrom = from;
  applySchedule(inst, await computeSchedule(inst));
  await audit(inst, 'clock-started', 'system', { from: r.from, ...(r.from === 'completion' ? { obligation: r.obligation } : {}), at: from, due: inst.state.due });
}
