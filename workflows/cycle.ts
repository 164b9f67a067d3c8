import { condition, patched } from '@temporalio/workflow';
import { nowMs, toMs } from './clock.js';
import { loadPendingDependencies, onDependencyCompleted } from './dependencies.js';
import { escalationAt, markOverdue, walkEscalation } from './escalation.js';
import { onReview, onSubmitEvidence } from './evidence.js';
import { onDecideExtension, onRequestExtension } from './extension.js';
import { isWindowed, type InboxItem, type Instance } from './instance-context.js';
import { flush } from './journal.js';
import { onAmend, onWithdraw } from './lifecycle.js';
import { audit, notice } from './notices.js';
import { sendDueReminders, sendOverdueReminder } from './reminders.js';
import { applySchedule, computeSchedule } from './schedule.js';
import { setStatus } from './state.js';

/**
 * How a cycle ended. `handed-over`: a fixed-window cycle left overdue once its whole escalation
 * ladder was walked, so the next window can start; its status stays `overdue` in the projection.
 */
export type CycleOutcome = 'completed' | 'withdrawn' | 'handed-over';

/**
 * A cycle still waiting for a prerequisite when its own due date passes is reported overdue: the
 * due date stands whatever the reason (the prerequisite's ladder does the escalating). Before
 * this patch such a cycle stayed `not-yet-due` for years.
 */
export const OVERDUE_WHILE_BLOCKED_PATCH = 'overdue-while-blocked-v1';

/**
 * One cycle: not-yet-due until it opens and its prerequisites are done, then reminders before
 * due, overdue + escalation ladder + weekly reminders after, until accepted evidence or withdrawal.
 * Every wait is one `condition` on the inbox with the next timer as timeout; what a wake
 * recorded is committed just before it (journal.ts), and before the cycle's outcome is returned.
 */
export async function runCycle(inst: Instance): Promise<CycleOutcome> {
  const outcome = await cycle(inst);
  await flush(inst);
  return outcome;
}

async function cycle(inst: Instance): Promise<CycleOutcome> {
  applySchedule(inst, await computeSchedule(inst));
  await loadPendingDependencies(inst);
  await setStatus(inst, 'not-yet-due', true);
  await audit(inst, 'cycle-scheduled', 'system', {
    opensAt: inst.schedule?.opensAt,
    due: inst.state.due,
    waitingFor: inst.pendingDependencies,
  });

  for (;;) {
    const outcome = await drainInbox(inst);
    if (outcome !== undefined) return outcome;
    if (!inst.opened && canOpen(inst)) {
      await open(inst);
      continue;
    }
    if (blockedPastDue(inst) && inst.state.status !== 'overdue' && patched(OVERDUE_WHILE_BLOCKED_PATCH)) {
      await setStatus(inst, 'overdue');
      await audit(inst, 'overdue-waiting-for-prerequisite', 'system', { waitingFor: inst.pendingDependencies });
    }
    if (inst.opened && (await fireTimers(inst)) === 'handed-over') return 'handed-over';
    await flush(inst);
    const wake = nextWake(inst);
    if (wake !== undefined && wake <= nowMs()) continue;
    if (wake === undefined) await condition(() => inst.inbox.length > 0);
    else await condition(() => inst.inbox.length > 0, wake - nowMs());
  }
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
  // Cooperating units (phối hợp) are informed of the opening, not tracked.
  await notice(inst, 'opened', [inst.input.unit.id, ...inst.input.obligation.cooperating.filter((u) => u !== inst.input.unit.id)], {
    ...(inst.state.dueAt !== undefined ? { dueAt: inst.state.dueAt } : {}),
    ...(event ? { eventId: event.id, occurredAt: event.occurredAt, ...(event.description ? { event: event.description } : {}) } : {}),
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
      return undefined;
  }
}

/** Runs whatever timers have come due. Nothing runs while the reviewer holds a submission. */
async function fireTimers(inst: Instance): Promise<'handed-over' | undefined> {
  if (inst.state.status === 'in-progress') {
    await sendDueReminders(inst);
    if (nowMs() > inst.timers.dueMs) {
      inst.timers.reminders = [];
      await markOverdue(inst);
    }
  }
  if (inst.state.status === 'overdue') {
    await walkEscalation(inst);
    await sendOverdueReminder(inst);
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
    if (blocked && t.dueMs + 1 > nowMs() && patched(OVERDUE_WHILE_BLOCKED_PATCH)) waits.push(t.dueMs + 1);
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
