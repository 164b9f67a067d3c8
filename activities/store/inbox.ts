import type pg from 'pg';
import type { NotificationKind } from '../../workflows/types.js';
import { instant } from './rows.js';

export interface InboxNotice {
  id: string;
  unitId: string;
  kind: NotificationKind;
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
    id: string; unit_id: string; kind: NotificationKind; directive_id: string; obligation_id: string | null;
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
