import { isPatched } from './patches.js';
import { DAY_MS, nowMs } from './clock.js';
import type { Instance } from './instance-context.js';
import { auditRecord, noticeRecord, type Recording } from './notices.js';

/**
 * After the due date the escalation ladder tells superiors, but the unit still owes the work:
 * it is reminded weekly. Weekly matches the P7D spacing of the usual ladder and the weekly
 * briefing rhythm of the offices, without turning into daily noise over a months-long delay.
 */
export const OVERDUE_REMINDER_EVERY_MS = 7 * DAY_MS;

/**
 * Four weeks past due the unit has had four reminders and its superiors have been told: weekly
 * mail from then on is noise that teaches people to filter it (and it grew a long-overdue
 * instance's history by ~800 events a year). It is reminded every four weeks instead.
 */
export const OVERDUE_WEEKLY_FOR_MS = 28 * DAY_MS;
export const OVERDUE_REMINDER_LATER_EVERY_MS = 28 * DAY_MS;

function overdueReminderStep(at: number, dueMs: number): number {
  if (at - dueMs > OVERDUE_WEEKLY_FOR_MS && isPatched('overdue-reminder-taper-v1')) return OVERDUE_REMINDER_LATER_EVERY_MS;
  return OVERDUE_REMINDER_EVERY_MS;
}

/** Sends the reminders whose time has come; of several missed at once only the latest is worth sending. */
export function* sendDueReminders(inst: Instance): Recording {
  const now = nowMs();
  const due = inst.timers.reminders.filter((r) => r.at <= now);
  if (due.length === 0) return;
  inst.timers.reminders = inst.timers.reminders.filter((r) => r.at > now);
  const latest = due[due.length - 1]!;
  yield* noticeRecord(inst, 'reminder', [inst.input.unit.id], { before: latest.offset });
  yield* auditRecord(inst, 'reminded', 'system', { before: latest.offset });
}

/** `reached`: an escalation step walked in the same wake, which the reminder mentions. */
export function* sendOverdueReminder(inst: Instance, reached?: { after: string }): Recording {
  const t = inst.timers;
  const now = nowMs();
  if (t.overdueReminderAt === undefined || t.overdueReminderAt > now) return;
  while (t.overdueReminderAt <= now) t.overdueReminderAt += overdueReminderStep(t.overdueReminderAt, t.dueMs);
  yield* noticeRecord(inst, 'reminder', [inst.input.unit.id], { overdue: 'true', ...(reached ? { after: reached.after } : {}) });
  yield* auditRecord(inst, 'reminded', 'system', { overdue: true });
}

/** Moves the overdue reminder past now without sending: the unit was told in this wake already. */
export function skipOverdueReminders(inst: Instance): void {
  const t = inst.timers;
  const now = nowMs();
  if (t.overdueReminderAt === undefined) return;
  while (t.overdueReminderAt <= now) t.overdueReminderAt += overdueReminderStep(t.overdueReminderAt, t.dueMs);
}
