import { DAY_MS, nowMs } from './clock.js';
import type { Instance } from './instance-context.js';
import { audit, notice } from './notices.js';

/**
 * After the due date the escalation ladder tells superiors, but the unit still owes the work:
 * it is reminded weekly. Weekly matches the P7D spacing of the usual ladder and the weekly
 * briefing rhythm of the offices, without turning into daily noise over a months-long delay.
 */
export const OVERDUE_REMINDER_EVERY_MS = 7 * DAY_MS;

/** Sends the reminders whose time has come; of several missed at once only the latest is worth sending. */
export async function sendDueReminders(inst: Instance): Promise<void> {
  const now = nowMs();
  const due = inst.timers.reminders.filter((r) => r.at <= now);
  if (due.length === 0) return;
  inst.timers.reminders = inst.timers.reminders.filter((r) => r.at > now);
  const latest = due[due.length - 1]!;
  await notice(inst, 'reminder', [inst.input.unit.id], { before: latest.offset });
  await audit(inst, 'reminded', 'system', { before: latest.offset });
}

export async function sendOverdueReminder(inst: Instance): Promise<void> {
  const t = inst.timers;
  const now = nowMs();
  if (t.overdueReminderAt === undefined || t.overdueReminderAt > now) return;
  while (t.overdueReminderAt <= now) t.overdueReminderAt += OVERDUE_REMINDER_EVERY_MS;
  await notice(inst, 'reminder', [inst.input.unit.id], { overdue: 'true' });
  await audit(inst, 'reminded', 'system', { overdue: true });
}
