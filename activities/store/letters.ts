import type pg from 'pg';
import type { InstanceStatus } from '../../workflows/types.js';
import type { LetterKind } from '../notify/letters.js';
import type { HeldNotice } from '../notify/letter-templates.js';
import type { Db } from './rows.js';

export interface LetterSlot {
  directiveId: string;
  recipient: string;
  /** Business time of the letter (workflow clock). */
  slot: string;
  kind: LetterKind;
  clockOffsetMs: number;
}

/**
 * Serialises the letter decisions of these recipients for this transaction: two steps of one
 * deployment committing at once must agree on one assignment letter. Taken in one sorted order,
 * all before the first decision, so two steps with overlapping recipients cannot deadlock (the
 * year benchmark did, locking per notice).
 */
export async function lockRecipientLetters(db: pg.PoolClient, directiveId: string, recipients: string[]): Promise<void> {
  for (const r of [...new Set(recipients)].sort()) {
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`letters:${directiveId}:${r}`]);
  }
}

/** The assignment letter of this directive to this recipient that is still gathering, if any. */
export async function openAssignmentSlot(db: Db, directiveId: string, recipient: string): Promise<string | undefined> {
  const { rows } = await db.query<{ slot: Date }>(
    `SELECT slot FROM letters
      WHERE directive_id = $1 AND recipient = $2 AND kind = 'assignment' AND composed_at IS NULL
      ORDER BY slot DESC LIMIT 1`,
    [directiveId, recipient],
  );
  return rows[0] ? rows[0].slot.toISOString() : undefined;
}

/**
 * Records that a letter is due at `slot` (once per recipient and time) and says whether the
 * directive's postbox still has to be told of that time: a new time, or one a crashed step
 * reserved but never announced. One statement, so most steps make no further query.
 */
export async function reserveLetter(db: Db, l: LetterSlot): Promise<boolean> {
  const { rows } = await db.query<{ unsignalled: boolean }>(
    `WITH letter AS (
       INSERT INTO letters (directive_id, recipient, slot, kind) VALUES ($1, $2, $3, $4)
       ON CONFLICT (directive_id, recipient, slot) DO NOTHING),
     ins AS (
       INSERT INTO postbox_slots (directive_id, slot, clock_offset_ms) VALUES ($1, $3, $5)
       ON CONFLICT (directive_id, slot) DO NOTHING
       RETURNING true AS unsignalled)
     SELECT unsignalled FROM ins
     UNION ALL
     SELECT signalled_at IS NULL FROM postbox_slots WHERE directive_id = $1 AND slot = $3
     LIMIT 1`,
    [l.directiveId, l.recipient, l.slot, l.kind, l.clockOffsetMs],
  );
  return rows[0]?.unsignalled ?? true;
}

export async function markSignalled(db: Db, l: Pick<LetterSlot, 'directiveId' | 'slot'>): Promise<void> {
  await db.query('UPDATE postbox_slots SET signalled_at = now() WHERE directive_id = $1 AND slot = $2', [l.directiveId, l.slot]);
}

/** Recipients with held e-mails due by `upTo`, a page at a time. */
export async function dueRecipients(db: Db, directiveId: string, upTo: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ recipient: string }>(
    `SELECT DISTINCT recipient FROM outbox
      WHERE directive_id = $1 AND hold_until IS NOT NULL AND hold_until <= $2 AND letter_key IS NULL
      ORDER BY recipient LIMIT $3`,
    [directiveId, upTo, limit],
  );
  return rows.map((r) => r.recipient);
}

export interface HeldRow {
  id: string;
  address: string | undefined;
  notice: HeldNotice;
}

/**
 * The held e-mails of a recipient whose letter time has come, locked for this transaction: two
 * compositions of the same letter (a retried activity, two workers) cannot both take them.
 */
export async function takeHeldNotices(db: pg.PoolClient, directiveId: string, recipient: string, upTo: string): Promise<HeldRow[]> {
  const { rows } = await db.query<{ id: string; payload: { address?: string }; notice: HeldNotice }>(
    `SELECT id, payload, notice FROM outbox
      WHERE directive_id = $1 AND recipient = $2 AND channel = 'email' AND hold_until IS NOT NULL
        AND hold_until <= $3 AND letter_key IS NULL
      ORDER BY hold_until, id
      FOR UPDATE`,
    [directiveId, recipient, upTo],
  );
  return rows.map((r) => ({ id: r.id, address: r.payload.address, notice: r.notice }));
}

/**
 * The earliest letter time still waiting in this directive, after a composition: a later one, or
 * the same one when recipients remain (a page was full, or a step committed meanwhile).
 */
export async function nextHeldSlot(db: Db, directiveId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ slot: Date | null }>(
    `SELECT min(hold_until) AS slot FROM outbox
      WHERE directive_id = $1 AND hold_until IS NOT NULL AND letter_key IS NULL`,
    [directiveId],
  );
  return rows[0]?.slot ? rows[0].slot.toISOString() : undefined;
}

export interface LetterRow {
  key: string;
  workflowId: string;
  directiveId: string;
  recipient: string;
  address: string;
  subject: string;
  body: string;
  /** Business time of the letter: its Date header. */
  at: string;
}

/**
 * Writes the letter as an outbox row for the dispatcher and marks the held rows as carried by it.
 * Returns false when the letter existed already (a retried composition): nothing is written.
 */
export async function insertLetter(db: pg.PoolClient, l: LetterRow, heldIds: string[]): Promise<boolean> {
  const inserted = await db.query(
    `INSERT INTO outbox (idempotency_key, request_key, channel, recipient, subject, body, payload,
                         workflow_id, directive_id, next_attempt_at)
     VALUES ($1, $1, 'email', $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [l.key, l.recipient, l.subject, l.body, JSON.stringify({ address: l.address, at: l.at }), l.workflowId, l.directiveId],
  );
  await db.query('UPDATE outbox SET letter_key = $2, sent_at = now() WHERE id = ANY($1::bigint[])', [heldIds, l.key]);
  await db.query(
    `UPDATE letters SET composed_at = now(), letter_key = $4
      WHERE directive_id = $1 AND recipient = $2 AND slot <= $3 AND composed_at IS NULL`,
    [l.directiveId, l.recipient, l.at, l.key],
  );
  return (inserted.rowCount ?? 0) > 0;
}

/**
 * Closes letter times that turned out to have nothing to send (every notice went in an earlier
 * letter); held rows with no address to write to are marked so that no composition takes them again.
 */
export async function closeEmptyLetters(db: Db, directiveId: string, recipient: string, upTo: string, unaddressed: string[] = []): Promise<void> {
  await db.query(
    `UPDATE letters SET composed_at = now() WHERE directive_id = $1 AND recipient = $2 AND slot <= $3 AND composed_at IS NULL`,
    [directiveId, recipient, upTo],
  );
  if (unaddressed.length > 0) await db.query(`UPDATE outbox SET letter_key = 'no-address' WHERE id = ANY($1::bigint[])`, [unaddressed]);
}

export interface DirectiveStanding {
  /** Instances per status bucket (current cycle). */
  counts: Partial<Record<InstanceStatus, number>>;
  /** Overdue units, longest overdue first (earliest due date), with how many duties each owes. */
  overdueUnits: { unitId: string; oldestDue: string; overdue: number }[];
}

/** The directive's standing in the Government Office's status buckets, for leadership digests. */
export async function directiveStanding(db: Db, directiveId: string, limit = 10): Promise<DirectiveStanding> {
  const counts = await db.query<{ status: InstanceStatus; n: number }>(
    'SELECT status, count(*)::int AS n FROM instances WHERE directive_id = $1 GROUP BY status',
    [directiveId],
  );
  const overdue = await db.query<{ unit_id: string; oldest: string; n: number }>(
    `SELECT unit_id, min(due)::text AS oldest, count(*)::int AS n FROM instances
      WHERE directive_id = $1 AND status = 'overdue'
      GROUP BY unit_id ORDER BY min(due), unit_id LIMIT $2`,
    [directiveId, limit],
  );
  return {
    counts: Object.fromEntries(counts.rows.map((r) => [r.status, r.n])),
    overdueUnits: overdue.rows.map((r) => ({
      unitId: r.unit_id,
      oldestDue: r.oldest,
      overdue: r.n,
    })),
  };
}

/** Whether this recipient already had an assignment letter about this directive before `upTo`. */
export async function hadAssignmentLetter(db: Db, directiveId: string, recipient: string, upTo: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM letters WHERE directive_id = $1 AND recipient = $2 AND kind = 'assignment'
        AND composed_at IS NOT NULL AND letter_key IS NOT NULL AND slot < $3 LIMIT 1`,
    [directiveId, recipient, upTo],
  );
  return rows.length > 0;
}

/** The plan of the directive's latest deployment (deployments.plan), as stored. */
export async function latestPlan(db: Db, directiveId: string): Promise<unknown> {
  const { rows } = await db.query<{ plan: unknown }>(
    'SELECT plan FROM deployments WHERE directive_id = $1 ORDER BY deployed_at DESC, id DESC LIMIT 1',
    [directiveId],
  );
  return rows[0]?.plan;
}
