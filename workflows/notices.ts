import { ActivityFailure } from '@temporalio/workflow';
import { mail, records } from './activities.js';
import { nowIso } from './clock.js';
import { keyPrefix, nextSeq, type Instance } from './instance-context.js';
import { journaling } from './journal.js';
import type { AuditEvent, NotificationKind, NotificationRequest, StatusUpdate } from './types.js';

/**
 * What a wake records, one entry at a time: a status, a notice or an audit line, each built (its
 * key and counters taken, the state changed) when the generator reaches it. Timer wakes run as
 * generators all the way down and are taken into the step's journal synchronously (`journal`):
 * every promise workflow code creates costs the SDK's sandbox a stack trace, source-mapped, for
 * its stack-trace query: a third of the workflow thread's busy time in a year of 300 national
 * instances, four fifths of it for the async helpers these generators replace. Code that also runs
 * histories from before journal.ts awaits `commit`, which there makes one activity per entry, in
 * the order they were made, as those histories recorded them.
 */
export type StepEntry = { status: StatusUpdate } | { notice: NotificationRequest } | { audit: AuditEvent };
export type Recording<T = void> = Generator<StepEntry, T, void>;

/** Takes the entries into the step's journal, committed by one recordStep before the next wait (journal.ts). Only for runs that journal. */
export function journal<T>(inst: Instance, recording: Recording<T>): T {
  for (let r = recording.next(); ; r = recording.next()) {
    if (r.done) return r.value;
    add(inst, r.value);
  }
}

/** Records the entries: into the journal, or, in histories from before it, one activity each. */
export async function commit<T>(inst: Instance, recording: Recording<T>): Promise<T> {
  let r = recording.next();
  // Nothing recorded asks no patch, as before (a marker's place in history is part of it).
  if (r.done) return r.value;
  if (journaling()) {
    add(inst, r.value);
    return journal(inst, recording);
  }
  for (; !r.done; r = recording.next()) await commitOne(inst, r.value);
  return r.value;
}

function add(inst: Instance, e: StepEntry): void {
  if ('status' in e) inst.journal.status = e.status;
  else if ('notice' in e) inst.journal.notices.push(e.notice);
  else inst.journal.audits.push(e.audit);
}

/** Histories from before journal.ts: each record its own activity; a notice delivered inside `notify`. */
async function commitOne(inst: Instance, e: StepEntry): Promise<void> {
  if ('status' in e) return records().recordStatus(e.status);
  if ('audit' in e) return records().recordAudit(e.audit);
  const req = e.notice;
  try {
    await mail.notify(req);
  } catch (err) {
    // Undeliverable (bad address) or out of retries: the deadline machinery must go on; the audit
    // trail shows the gap to whoever reads the report.
    if (!(err instanceof ActivityFailure)) throw err;
    await commit(inst, auditRecord(inst, 'notice-undelivered', 'system', { key: req.key, kind: req.kind, to: req.to, error: err.cause?.message ?? err.message }));
  }
}

/**
 * One notice, sent after the step commits (or by `notify` in histories from before journal.ts).
 * The key `${workflowId}:${cycle}:${kind}:${index}` (`${workflowId}:g${generation}:…` for a unit's
 * later run, instance-context.ts) is the same on every replay and retry, so the outbox delivers it once.
 */
export function* noticeRecord(inst: Instance, kind: NotificationKind, to: string[], detail?: Record<string, string>): Recording {
  if (to.length === 0) return;
  const index = nextSeq(inst, `notice:${kind}`);
  const key = `${keyPrefix(inst)}:${kind}:${index}`;
  if (kind === 'reminder') inst.state.remindersSent++;
  if (kind === 'escalation') inst.state.escalationsSent++;
  const { directive, obligation, unit, contacts } = inst.input;
  yield {
    notice: {
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
    },
  };
}

/** One audit line; the key `${workflowId}:${cycle}:${action}:${seq}` (keyPrefix) makes retries append once. */
export function* auditRecord(inst: Instance, action: string, actor: string, detail?: Record<string, unknown>): Recording {
  const seq = nextSeq(inst, `audit:${action}`);
  yield {
    audit: {
      key: `${keyPrefix(inst)}:${action}:${seq}`,
      workflowId: inst.workflowId,
      directiveId: inst.state.directiveId,
      obligationId: inst.state.obligationId,
      unitId: inst.state.unitId,
      actor,
      action,
      at: nowIso(),
      ...(detail ? { detail } : {}),
    },
  };
}

export function notice(inst: Instance, kind: NotificationKind, to: string[], detail?: Record<string, string>): Promise<void> {
  return commit(inst, noticeRecord(inst, kind, to, detail));
}

export function audit(inst: Instance, action: string, actor: string, detail?: Record<string, unknown>): Promise<void> {
  return commit(inst, auditRecord(inst, action, actor, detail));
}
