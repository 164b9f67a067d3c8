import type pg from 'pg';
import type { NotificationKind } from '../../workflows/types.js';
import { instant, type Db } from './rows.js';

/**
 * What an inbox row is about: a workflow's notice, or a submission its unit head returned (written
 * by the API server, not a workflow: it never reached one).
 */
export type InboxKind = NotificationKind | 'submission-returned' | 'submission-awaiting-approval';

export interface InboxNotice {
  id: string;
  unitId: string;
  kind: InboxKind;
  directiveId: string;
  obligationId?: string;
  cycle?: number;
  due?: string;
  subject: string;
  body: string;
  at: string;
  read: boolean;
}

/** readInbox(pool, unitId, { unreadOnly?, limit? }) → the unit's notices, newest first (default 50). */
export async function readInbox(
  pool: pg.Pool,
  unitId: string,
  opts: { unreadOnly?: boolean; limit?: number } = {},
): Promise<InboxNotice[]> {
  const { rows } = await pool.query<{
    id: string; unit_id: string; kind: InboxKind; directive_id: string; obligation_id: string | null;
    cycle: number | null; due: string | null; subject: string; body: string; at: Date; read: boolean;
  }>(
    `SELECT id, unit_id, kind, directive_id, obligation_id, cycle, due::text AS due, subject, body, at, read
     FROM inbox WHERE unit_id = $1 AND (NOT $2::boolean OR NOT read)
     ORDER BY at DESC, id DESC LIMIT $3`,
    [unitId, opts.unreadOnly ?? false, opts.limit ?? 50],
  );
  return rows.map((r) => ({
    id: r.id,
    unitId: r.unit_id,
    kind: r.kind,
    directiveId: r.directive_id,
    ...(r.obligation_id !== null && { obligationId: r.obligation_id }),
    ...(r.cycle !== null && { cycle: r.cycle }),
    ...(r.due !== null && { due: r.due }),
    subject: r.subject,
    body: r.body,
    at: instant(r.at)!,
    read: r.read,
  }));
}

/** markInboxRead(pool, unitId, ids?) → number marked; without ids, every unread notice of the unit. */
export async function markInboxRead(pool: pg.Pool, unitId: string, ids?: string[]): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE inbox SET read = true, read_at = now()
     WHERE unit_id = $1 AND NOT read AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))`,
    [unitId, ids ?? null],
  );
  return rowCount ?? 0;
}

/** A notice written straight to a unit's inbox, outside a workflow step; `key` makes it once. */
export interface InboxInsert {
  key: string;
  unitId: string;
  kind: InboxKind;
  directiveId: string;
  obligationId?: string;
  cycle?: number;
  subject: string;
  body: string;
  at: string;
}

/** insertInboxNotice(db, InboxInsert) → whether it was written (the same key again: not). */
export async function insertInboxNotice(db: Db, n: InboxInsert): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO inbox (idempotency_key, unit_id, kind, directive_id, obligation_id, cycle, subject, body, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (idempotency_key) DO NOTHING`,
    [n.key, n.unitId, n.kind, n.directiveId, n.obligationId ?? null, n.cycle ?? null, n.subject, n.body, n.at],
  );
  return (rowCount ?? 0) > 0;
}
