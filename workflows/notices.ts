import { ActivityFailure } from '@temporalio/workflow';
import { mail, records } from './activities.js';
import { nowIso } from './clock.js';
import { keyPrefix, nextSeq, type Instance } from './instance-context.js';
import { journaling } from './journal.js';
import type { AuditEvent, NotificationKind, NotificationRequest } from './types.js';

/**
 * Issues one notice: into the step's journal (sent after the step commits), or, in histories from
 * before journal.ts, by the `notify` activity. The key `${workflowId}:${cycle}:${kind}:${index}`
 * (`${workflowId}:g${generation}:…` for a unit's later run, instance-context.ts) is the same on
 * every replay and retry, so the outbox delivers it once.
 */
export async function notice(
  inst: Instance,
  kind: NotificationKind,
  to: string[],
  detail?: Record<string, string>,
): Promise<void> {
  if (to.length === 0) return;
  const index = nextSeq(inst, `notice:${kind}`);
  const key = `${keyPrefix(inst)}:${kind}:${index}`;
  if (kind === 'reminder') inst.state.remindersSent++;
  if (kind === 'escalation') inst.state.escalationsSent++;
  const { directive, obligation, unit, contacts } = inst.input;
  const req: NotificationRequest = {
    key,
    kind,
    to,
    directive,
    obligation,
    unit,
    contacts,
    cycle: inst.state.cycle,
    ...(inst.state.due !== undefined ? { due: inst.state.due } : {}),
    at: nowIso(),
    ...(detail ? { detail } : {}),
  };
  if (journaling()) {
    inst.journal.notices.push(req);
    return;
  }
  try {
    await mail.notify(req);
  } catch (err) {
    // Undeliverable (bad address) or out of retries: the deadline machinery must go on; the audit
    // trail shows the gap to whoever reads the report.
    if (!(err instanceof ActivityFailure)) throw err;
    await audit(inst, 'notice-undelivered', 'system', { key, kind, to, error: err.cause?.message ?? err.message });
  }
}

/** Appends one audit line; the key `${workflowId}:${cycle}:${action}:${seq}` (keyPrefix) makes retries append once. */
export async function audit(
  inst: Instance,
  action: string,
  actor: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  const seq = nextSeq(inst, `audit:${action}`);
  const event: AuditEvent = {
    key: `${keyPrefix(inst)}:${action}:${seq}`,
    workflowId: inst.workflowId,
    directiveId: inst.state.directiveId,
    obligationId: inst.state.obligationId,
    unitId: inst.state.unitId,
    actor,
    action,
    at: nowIso(),
    ...(detail ? { detail } : {}),
  };
  if (journaling()) inst.journal.audits.push(event);
  else await records().recordAudit(event);
}
