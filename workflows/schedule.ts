import { store } from './activities.js';
import { nowIso, nowMs, toMs } from './clock.js';
import { isPatched } from './patches.js';
import type { Instance } from './instance-context.js';
import type { CycleSchedule, ScheduleRequest } from './types.js';

/** Asks the scheduler for this cycle's dates, from the obligation as last amended. */
export async function computeSchedule(
  inst: Instance,
  change: { extendedDue?: string; cycleDue?: string; firstDueOnOrAfter?: string } = {},
): Promise<CycleSchedule> {
  const { directive, obligation, event, previousCompletedAt, previousDue } = inst.input;
  const req: ScheduleRequest = {
    directive,
    obligation,
    cycle: inst.state.cycle,
    now: nowIso(),
    ...(previousCompletedAt !== undefined ? { previousCompletedAt } : {}),
    ...(previousDue !== undefined ? { previousDue } : {}),
    ...(event !== undefined ? { event } : {}),
    ...(change.extendedDue !== undefined ? { extendedDue: change.extendedDue } : {}),
    ...(change.cycleDue !== undefined ? { cycleDue: change.cycleDue } : {}),
    ...(change.firstDueOnOrAfter !== undefined ? { firstDueOnOrAfter: change.firstDueOnOrAfter } : {}),
    // Language 1.1 (relative-due.ts; reminders-on-working-days-v1, asked only where the plan says so).
    ...(inst.clockFrom !== undefined ? { clockFrom: inst.clockFrom } : {}),
    ...(directive.calendar.remindersOnDayOff === 'previous-working-day' && isPatched('reminders-on-working-days-v1') ? { remindersOnDayOff: 'previous-working-day' as const } : {}),
  };
  return store.scheduleCycle(req);
}

/**
 * Installs a (re)computed schedule. When the due instant moves, the reminder and escalation
 * ladders restart from the new date (a unit given more time is not escalated at the old one);
 * when it does not, steps already walked are not walked again.
 */
export function applySchedule(inst: Instance, schedule: CycleSchedule): void {
  const now = nowMs();
  const dueMs = toMs(schedule.dueAt);
  const t = inst.timers;
  if (dueMs !== t.dueMs) {
    t.escalated = [];
    t.overdueReminderAt = undefined;
  }
  t.dueMs = dueMs;
  t.reminders = schedule.reminders.map((r) => ({ at: toMs(r.at), offset: r.offset })).filter((r) => r.at > now);
  t.escalations = schedule.escalations
    .filter((s) => !t.escalated.includes(s.after))
    .map((s) => ({ after: s.after, to: s.to, roles: s.roles, at: toMs(s.at) }));
  inst.schedule = schedule;
  inst.state.due = schedule.due;
  inst.state.dueAt = schedule.dueAt;
  inst.state.originalDue ??= schedule.due;
}
