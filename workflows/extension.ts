import { ActivityFailure } from '@temporalio/workflow';
import { nowIso, nowMs } from './clock.js';
import { isPatched } from './patches.js';
import type { CycleSchedule } from './types.js';
import type { Instance } from './instance-context.js';
import { audit, notice } from './notices.js';
import { applySchedule, computeSchedule } from './schedule.js';
import { reconcileWithDue } from './state.js';
import type { DecideExtensionSignal, RequestExtensionSignal } from './types.js';

export async function onRequestExtension(inst: Instance, r: RequestExtensionSignal): Promise<void> {
  // A request asks to move one cycle's due date. One for another cycle (carried over as its cycle
  // closed, or sent from a stale view) would move this one's: the unit asks again if it must.
  if (r.cycle !== undefined && r.cycle !== inst.state.cycle && isPatched('cycle-scoped-actions-v1')) {
    await audit(inst, 'extension-request-other-cycle', r.requestedBy, { requestId: r.requestId, cycle: r.cycle, currentCycle: inst.state.cycle });
    return;
  }
  if (inst.state.extensions.some((e) => e.requestId === r.requestId)) {
    await audit(inst, 'extension-request-repeated', r.requestedBy, { requestId: r.requestId });
    return;
  }
  inst.state.extensions.push({ requestId: r.requestId, until: r.until });
  await audit(inst, 'extension-requested', r.requestedBy, { requestId: r.requestId, until: r.until, reason: r.reason });
  await notice(inst, 'extension-requested', [inst.input.obligation.reviewer], {
    requestId: r.requestId,
    until: r.until,
    reason: r.reason,
  });
}

export async function onDecideExtension(inst: Instance, d: DecideExtensionSignal): Promise<void> {
  const decisionId: Record<string, string> = d.decisionId !== undefined ? { decisionId: d.decisionId } : {};
  if (d.cycle !== undefined && d.cycle !== inst.state.cycle && isPatched('cycle-scoped-actions-v1')) {
    await audit(inst, 'extension-decision-other-cycle', d.decidedBy, { requestId: d.requestId, cycle: d.cycle, currentCycle: inst.state.cycle, ...decisionId });
    return;
  }
  const req = inst.state.extensions.find((e) => e.requestId === d.requestId);
  if (req === undefined || req.approved !== undefined) {
    // The CLI sends a stored decision again when it could not confirm the first signal: the same
    // decision is a repeat, not a contradiction.
    const same = req !== undefined && req.approved === d.approve && (!d.approve || d.until === undefined || d.until === req.until);
    if (same && isPatched('cycle-scoped-actions-v1')) await audit(inst, 'extension-decision-repeated', d.decidedBy, { requestId: d.requestId, ...decisionId });
    else await audit(inst, 'extension-decision-ignored', d.decidedBy, { requestId: d.requestId, ...decisionId });
    return;
  }
  const comment: Record<string, string> = d.comment !== undefined ? { comment: d.comment } : {};
  if (d.approve && isPatched('signal-validation-v1')) {
    // An extension to a date already past (`--until 2000-01-01`) re-walked every escalation step
    // at once. It must be after the due date in force and after today; the request stays pending
    // for a decision that is.
    const until = d.until ?? req.until;
    const today = localToday(inst.input.directive.timezone);
    const due = inst.state.due;
    if ((due !== undefined && until <= due) || until <= today) {
      await audit(inst, 'extension-decision-refused', d.decidedBy, { requestId: d.requestId, until, ...(due !== undefined ? { due } : {}), today });
      return;
    }
    const cycleDue = inst.state.originalDue;
    let schedule: CycleSchedule;
    try {
      schedule = await computeSchedule(inst, { extendedDue: until, ...(cycleDue !== undefined ? { cycleDue } : {}) });
    } catch (err) {
      // The scheduler refused the date (ActivityFailure, non-retryable): the schedule stays as it was.
      if (!(err instanceof ActivityFailure)) throw err;
      await audit(inst, 'extension-decision-refused', d.decidedBy, { requestId: d.requestId, until, error: err.cause?.message ?? err.message });
      return;
    }
    req.approved = true;
    req.decidedAt = nowIso();
    req.until = until;
    inst.extendedDue = until;
    applySchedule(inst, schedule);
    await reconcileWithDue(inst, nowMs());
  } else {
    req.approved = d.approve;
    req.decidedAt = nowIso();
    // Histories from before signal-validation-v1: any date was applied as given.
    if (d.approve) {
      req.until = d.until ?? req.until;
      inst.extendedDue = req.until;
      // originalDue is kept: reports show both the granted and the original date.
      const cycleDue = inst.state.originalDue;
      applySchedule(inst, await computeSchedule(inst, { extendedDue: req.until, ...(cycleDue !== undefined ? { cycleDue } : {}) }));
      await reconcileWithDue(inst, nowMs());
    }
  }
  await audit(inst, d.approve ? 'extension-approved' : 'extension-refused', d.decidedBy, {
    requestId: d.requestId,
    until: req.until,
    ...comment,
    ...decisionId,
  });
  await notice(inst, 'extension-decided', [inst.input.unit.id], {
    requestId: d.requestId,
    approved: String(d.approve),
    until: req.until,
    ...comment,
  });
}

/** Today's date in the directive's timezone, on the workflow's business clock. */
function localToday(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(nowMs()));
}
