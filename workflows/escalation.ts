import { nowMs } from './clock.js';
import type { Instance, PendingEscalation } from './instance-context.js';
import { auditRecord, noticeRecord, type Recording } from './notices.js';
import { OVERDUE_REMINDER_EVERY_MS } from './reminders.js';
import { statusRecord } from './state.js';

/** A step never fires before the deadline has actually passed, even a `P0D` one. */
export function escalationAt(inst: Instance, step: PendingEscalation): number {
  return Math.max(step.at, inst.timers.dueMs + 1);
}

/** `notifyUnit: false`: the caller tells the unit itself, once it knows how far the ladder went (catch-up). */
export function* markOverdue(inst: Instance, opts: { notifyUnit?: boolean } = {}): Recording {
  yield* statusRecord(inst, 'overdue');
  if (opts.notifyUnit ?? true) yield* noticeRecord(inst, 'overdue', [inst.input.unit.id]);
  yield* auditRecord(inst, 'overdue', 'system', { due: inst.state.due });
  // Aligned with the ladder: the weekly reminder lands with the P7D, P14D… steps.
  inst.timers.overdueReminderAt ??= inst.timers.dueMs + 1 + OVERDUE_REMINDER_EVERY_MS;
}

/**
 * Walks every escalation step whose instant has come, in order, and returns the last one walked.
 * With `catchUp`, of several steps passed at once only the last (the current step) is notified;
 * the others are audited as passed during catch-up: leadership told today of the top of the
 * ladder does not also want the three letters it would have had on the way up.
 */
export function* walkEscalation(inst: Instance, opts: { catchUp?: boolean } = {}): Recording<PendingEscalation | undefined> {
  const now = nowMs();
  const passed: PendingEscalation[] = [];
  while (inst.timers.escalations[0] !== undefined && escalationAt(inst, inst.timers.escalations[0]) <= now) {
    passed.push(inst.timers.escalations.shift()!);
  }
  for (const [i, step] of passed.entries()) {
    inst.timers.escalated.push(step.after);
    const current = !opts.catchUp || i === passed.length - 1;
    if (current) yield* noticeRecord(inst, 'escalation', step.to, { after: step.after, roles: step.roles.join(',') });
    yield* auditRecord(inst, 'escalated', 'system', { after: step.after, to: step.to, roles: step.roles, ...(current ? {} : { catchUp: true }) });
  }
  return passed[passed.length - 1];
}
