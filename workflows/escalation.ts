import { nowMs } from './clock.js';
import type { Instance, PendingEscalation } from './instance-context.js';
import { audit, notice } from './notices.js';
import { OVERDUE_REMINDER_EVERY_MS } from './reminders.js';
import { setStatus } from './state.js';

/** A step never fires before the deadline has actually passed, even a `P0D` one. */
export function escalationAt(inst: Instance, step: PendingEscalation): number {
  return Math.max(step.at, inst.timers.dueMs + 1);
}

export async function markOverdue(inst: Instance): Promise<void> {
  await setStatus(inst, 'overdue');
  await notice(inst, 'overdue', [inst.input.unit.id]);
  await audit(inst, 'overdue', 'system', { due: inst.state.due });
  // Aligned with the ladder: the weekly reminder lands with the P7D, P14D… steps.
  inst.timers.overdueReminderAt ??= inst.timers.dueMs + 1 + OVERDUE_REMINDER_EVERY_MS;
}

/** Walks every escalation step whose instant has come, in order. */
export async function walkEscalation(inst: Instance): Promise<void> {
  const now = nowMs();
  while (inst.timers.escalations[0] !== undefined && escalationAt(inst, inst.timers.escalations[0]) <= now) {
    const step = inst.timers.escalations.shift()!;
    inst.timers.escalated.push(step.after);
    await notice(inst, 'escalation', step.to, { after: step.after, roles: step.roles.join(',') });
    await audit(inst, 'escalated', 'system', { after: step.after, to: step.to, roles: step.roles });
  }
}
