import type pg from 'pg';
import type { NotificationKind } from '../../workflows/types.js';
import { instant, Params, type Db } from './rows.js';

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

/** An inbox row: a workflow's notice (written with its step), or one written outside a workflow step; `key` makes it once. */
export interface InboxInsert {
  key: string;
  unitId: string;
  kind: InboxKind;
  directiveId: string;
  obligationId?: string;
  cycle?: number;
  due?: string;
  subject: string;
  body: string;
  at: string;
}

/**
 * insertInboxNotices(db, InboxInsert[]) → how many were written (a key already there: not again).
 * One statement for a whole step's notices, however many recipients: a statement's round trip
 * costs the worker more than the row (a year of 300 national instances spent 6 of its 19 busy
 * seconds on the main thread writing statements to the socket, one per row before).
 */
export async function insertInboxNotices(db: Db, rows: InboxInsert[]): Promise<number> {
  if (rows.length === 0) return 0;
  const p = new Params();
  const { rowCount } = await db.query(inboxInsertSql(p, rows), p.values);
  return rowCount ?? 0;
}

/** insertInboxNotices' statement, to be part of a larger one (store/steps.ts): only when `when` holds. */
export function inboxInsertSql(p: Params, rows: InboxInsert[], when = 'TRUE'): string {
  return `INSERT INTO inbox (idempotency_key, unit_id, kind, directive_id, obligation_id, cycle, due, subject, body, at)
           SELECT k, u, kind, d, o, c, due::date, s, b, at::timestamptz
             FROM unnest(${p.column(rows, (n) => n.key)}, ${p.column(rows, (n) => n.unitId)},
                         ${p.column(rows, (n) => n.kind)}, ${p.column(rows, (n) => n.directiveId)},
                         ${p.column(rows, (n) => n.obligationId ?? null)}, ${p.column(rows, (n) => n.cycle ?? null, 'int[]')},
                         ${p.column(rows, (n) => n.due ?? null)}, ${p.column(rows, (n) => n.subject)},
                         ${p.column(rows, (n) => n.body)}, ${p.column(rows, (n) => n.at)})
                  AS r(k, u, kind, d, o, c, due, s, b, at)
            WHERE ${when}
           ON CONFLICT (idempotency_key) DO NOTHING`;
}
