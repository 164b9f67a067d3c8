import { condition } from '@temporalio/workflow';
import { nowIso, nowMs, toMs } from './clock.js';
import { loadPendingDependencies, onDependencyCompleted } from './dependencies.js';
import { escalationAt, markOverdue, walkEscalation } from './escalation.js';
import type { CycleSchedule } from './types.js';
import { onReview, onSubmitEvidence } from './evidence.js';
import { onDecideExtension, onRequestExtension } from './extension.js';
import { isWindowed, type InboxItem, type Instance } from './instance-context.js';
import { flush, journaling } from './journal.js';
import { continueMidCycle, shouldContinueMidCycle } from './mid-cycle.js';
import { onAmend, onWithdraw } from './lifecycle.js';
import { audit, commit, journal, notice, noticeRecord, type Recording } from './notices.js';
import { sendDueReminders, sendOverdueReminder, skipOverdueReminders } from './reminders.js';
import { applySchedule, computeSchedule } from './schedule.js';
import { awaitingClock, relativeDue, startClock } from './relative-due.js';
import { setStatus } from './state.js';
import { isPatched } from './patches.js';
import { raisedByDetail } from './recipients.js';
import { invalidSignal } from './validate.js';
import { waitForWake } from './wake.js';

/**
 * How a cycle ended. `handed-over`: a fixed-window cycle left overdue once its whole escalation
 * ladder was walked, so the next window can start; its status stays `overdue` in the projection.
 */
export type CycleOutcome = 'completed' | 'withdrawn' | 'handed-over';

/**
 * One cycle: not-yet-due until it opens and its prerequisites are done, then reminders before
 * due, overdue + escalation ladder + weekly reminders after, until accepted evidence or withdrawal.
 * Every wait is one `condition` on the inbox or the next wake's timer (wake.ts); what a wake
 * recorded is committed just before it (journal.ts), and before the cycle's outcome is returned.
 */
export async function runCycle(inst: Instance): Promise<CycleOutcome> {
  const outcome = await cycle(inst);
  await flush(inst);
  return outcome;
}

async function cycle(inst: Instance): Promise<CycleOutcome> {
  // A run resumed inside its cycle (mid-cycle-continue-v1) has it scheduled, and opened if it was.
  if (!inst.resumed) {
    if (relativeDue(inst) !== undefined) {
      // 1.1: due after the receipt or a prerequisite's completion: scheduled once that is known.
      await loadPendingDependencies(inst);
      await startClock(inst);
    } else {
      applySchedule(inst, await firstTrackedSchedule(inst));
      await loadPendingDependencies(inst);
    }
    await setStatus(inst, 'not-yet-due', true);
    await audit(inst, 'cycle-scheduled', 'system', {
      opensAt: inst.schedule?.opensAt,
      due: inst.state.due,
      waitingFor: inst.pendingDependencies,
    });
  }

  for (;;) {
    // The inbox is empty on most wakes (a timer): no call, no promise (notices.ts, Recording).
    const outcome = inst.inbox.length > 0 ? await drainInbox(inst) : undefined;
    if (outcome !== undefined) return outcome;
    if (!inst.opened && canOpen(inst)) {
      await open(inst);
      continue;
    }
    if (blockedPastDue(inst) && inst.state.status !== 'overdue' && isPatched('overdue-while-blocked-v1')) {
      await setStatus(inst, 'overdue');
      await audit(inst, 'overdue-waiting-for-prerequisite', 'system', { waitingFor: inst.pendingDependencies });
    }
    if (inst.opened) {
      // Every run since catch-up-v1 journals: its timers are a recording taken in synchronously.
      const fired = journaling() && isPatched('catch-up-v1') ? journal(inst, catchUp(inst)) : await fireTimers(inst);
      if (fired === 'handed-over') return 'handed-over';
    }
    await flush(inst);
    const wake = nextWake(inst);
    if (wake !== undefined && wake <= nowMs()) continue;
    // The step is committed and nothing is in flight: the one point where the cycle can be handed
    // to a new run (mid-cycle.ts). The patch is asked only then, so that a run that reaches neither
    // Temporal's suggestion nor a test's limit records no marker and its history is as before.
    if (shouldContinueMidCycle(inst) && isPatched('mid-cycle-continue-v1')) return continueMidCycle(inst);
    inst.waited = true;
    if (isPatched('wake-timer-v1')) await waitForWake(inst, wake);
    else if (wake === undefined) await condition(() => inst.inbox.length > 0);
    else await condition(() => inst.inbox.length > 0, wake - nowMs());
  }
}

/**
 * The schedule of the cycle this run tracks. A fixed-window duty deployed after some of its
 * windows closed (a 2014 directive deployed in 2026) starts at the first window still open: the
 * closed ones were never anyone's to meet in chithi, so they are recorded once in the audit as
 * "before deployment, not tracked", not turned into overdue cycles that mail everyone.
 * A cycle a prerequisite still holds back (`blockedPastDue`) is another matter: that was deployed.
 */
async function firstTrackedSchedule(inst: Instance): Promise<CycleSchedule> {
  const schedule = await computeSchedule(inst);
  if (!inst.firstTracked || !isWindowed(inst) || toMs(schedule.dueAt) >= nowMs() || !isPatched('catch-up-v1')) return schedule;
  const tracked = await computeSchedule(inst, { firstDueOnOrAfter: nowIso() });
  const cycle = tracked.cycle ?? inst.state.cycle;
  if (cycle !== inst.state.cycle) {
    await audit(inst, 'windows-before-deployment', 'system', {
      notTracked: cycle - inst.state.cycle,
      firstDue: schedule.due,
      trackedFrom: cycle,
    });
    inst.state.cycle = cycle;
    inst.input = { ...inst.input, cycle };
  }
  return tracked;
}

function blockedPastDue(inst: Instance): boolean {
  return !inst.opened && inst.pendingDependencies.length > 0 && inst.schedule !== undefined && nowMs() > inst.timers.dueMs;
}

function canOpen(inst: Instance): boolean {
  return inst.pendingDependencies.length === 0 && inst.schedule !== undefined && nowMs() >= toMs(inst.schedule.opensAt);
}

async function open(inst: Instance): Promise<void> {
  inst.opened = true;
  const now = nowMs();
  // Reminders whose time passed while the cycle waited for a prerequisite are stale.
  inst.timers.reminders = inst.timers.reminders.filter((r) => r.at > now);
  await setStatus(inst, 'in-progress');
  await audit(inst, 'opened', 'system', { due: inst.state.due });
  const event = inst.input.event;
  // The first cycle an instance tracks is the task being given (the deployment's assignment
  // letter); later ones are new periods of a duty the unit already has.
  const first = inst.firstTracked && isPatched('catch-up-v1');
  // Cooperating units (phối hợp) are informed of the opening, not tracked.
  await notice(inst, 'opened', [inst.input.unit.id, ...inst.input.obligation.cooperating.filter((u) => u !== inst.input.unit.id)], {
    ...(first ? { first: 'true' } : {}),
    ...(inst.state.dueAt !== undefined ? { dueAt: inst.state.dueAt } : {}),
    ...(event ? { eventId: event.id, occurredAt: event.occurredAt, ...(event.description ? { event: event.description } : {}), ...raisedByDetail(inst) } : {}),
  });
  inst.inbox.unshift(...inst.deferred);
  inst.deferred = [];
}

/** Applies queued signals in arrival order; returns an outcome when one ended the cycle. */
async function drainInbox(inst: Instance): Promise<CycleOutcome | undefined> {
  for (let item = inst.inbox.shift(); item !== undefined; item = inst.inbox.shift()) {
    const outcome = await apply(inst, item);
    if (outcome !== undefined) return outcome;
  }
  return undefined;
}

async function apply(inst: Instance, item: InboxItem): Promise<CycleOutcome | undefined> {
  const problem = invalidSignal(item);
  if (problem !== undefined && isPatched('signal-validation-v1')) {
    await audit(inst, 'signal-rejected', 'system', { signal: item.signal, problem });
    return undefined;
  }
  switch (item.signal) {
    case 'submitEvidence':
      // Evidence sent before the cycle opens (or before a prerequisite is done) waits for the opening.
      if (!inst.opened) inst.deferred.push(item);
      else await onSubmitEvidence(inst, item.payload, item.at);
      return undefined;
    case 'review':
      return (await onReview(inst, item.payload)) ? 'completed' : undefined;
    case 'requestExtension':
      await onRequestExtension(inst, item.payload);
      return undefined;
    case 'decideExtension':
      await onDecideExtension(inst, item.payload);
      return undefined;
    case 'amend':
      await onAmend(inst, item.payload);
      return undefined;
    case 'withdraw':
      await onWithdraw(inst, item.payload);
      return 'withdrawn';
    case 'dependencyCompleted':
      await onDependencyCompleted(inst, item.payload);
      if (awaitingClock(inst)) await startClock(inst, item.payload.obligationId);
      return undefined;
  }
}

/**
 * Runs whatever timers have come due, as histories from before catch-up-v1 recorded it. Nothing
 * runs while the reviewer holds a submission.
 */
async function fireTimers(inst: Instance): Promise<'handed-over' | undefined> {
  if (inst.state.status === 'in-progress') {
    await commit(inst, sendDueReminders(inst));
    if (nowMs() > inst.timers.dueMs) {
      inst.timers.reminders = [];
      await commit(inst, markOverdue(inst));
    }
  }
  if (inst.state.status === 'overdue') {
    await commit(inst, walkEscalation(inst));
    await commit(inst, sendOverdueReminder(inst));
    if (isWindowed(inst) && inst.timers.escalations.length === 0) return 'handed-over';
  }
  return undefined;
}

/**
 * Timers that came due, sending what is true now however many passed since the last wake (a late
 * deployment, a worker down for a weekend, a rejection long after the due date): no "due soon"
 * reminder once the due date has passed; the unit told once that it is overdue, how long and how
 * far up it has gone, and not again in the same wake (an opening or a rejection already told
 * it); of several escalation steps passed at once only the current one's recipients are told,
 * the earlier ones recorded in the audit as passed during catch-up.
 */
function* catchUp(inst: Instance): Recording<'handed-over' | undefined> {
  const unit = inst.input.unit.id;
  const unitTold = inst.journal.notices.some((n) => n.to.includes(unit));
  let newlyOverdue = false;
  if (inst.state.status === 'in-progress') {
    if (nowMs() > inst.timers.dueMs) {
      inst.timers.reminders = [];
      yield* markOverdue(inst, { notifyUnit: false });
      newlyOverdue = true;
    } else yield* sendDueReminders(inst);
  }
  if (inst.state.status === 'overdue') {
    const reached = yield* walkEscalation(inst, { catchUp: true });
    if (newlyOverdue && !unitTold) yield* noticeRecord(inst, 'overdue', [unit], reached ? { after: reached.after } : undefined);
    if (newlyOverdue || unitTold) skipOverdueReminders(inst);
    else yield* sendOverdueReminder(inst, reached);
    if (isWindowed(inst) && inst.timers.escalations.length === 0) return 'handed-over';
  }
  return undefined;
}

function nextWake(inst: Instance): number | undefined {
  const t = inst.timers;
  if (!inst.opened) {
    const opensAt = inst.schedule ? toMs(inst.schedule.opensAt) : undefined;
    const waits: number[] = opensAt !== undefined && opensAt > nowMs() ? [opensAt] : [];
    const blocked = inst.pendingDependencies.length > 0 && inst.schedule !== undefined && inst.state.status !== 'overdue';
    if (blocked && t.dueMs + 1 > nowMs() && isPatched('overdue-while-blocked-v1')) waits.push(t.dueMs + 1);
    return waits.length === 0 ? undefined : Math.min(...waits);
  }
  const candidates: number[] = [];
  if (inst.state.status === 'in-progress') {
    if (t.reminders[0]) candidates.push(t.reminders[0].at);
    candidates.push(t.dueMs + 1);
  } else if (inst.state.status === 'overdue') {
    if (t.escalations[0]) candidates.push(escalationAt(inst, t.escalations[0]));
    if (t.overdueReminderAt !== undefined) candidates.push(t.overdueReminderAt);
  }
  return candidates.length === 0 ? undefined : Math.min(...candidates);
}
