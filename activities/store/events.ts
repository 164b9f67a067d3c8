import type pg from 'pg';
import type { ReportedEvent } from '../../workflows/types.js';
import { instant } from './rows.js';

/**
 * recordEvent(pool, directiveId, event) → { event, created }. Idempotent on the event id: a
 * re-reported event returns the stored one (`created: false`) so it opens no second cycle.
 */
export async function recordEvent(
  pool: pg.Pool,
  directiveId: string,
  e: ReportedEvent,
): Promise<{ event: ReportedEvent; created: boolean }> {
  const ins = await pool.query(
    `INSERT INTO events (id, directive_id, type, reported_by, occurred_at, description)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
    [e.id, directiveId, e.type, e.reportedBy, e.occurredAt, e.description ?? null],
  );
  const stored = await getEvent(pool, e.id);
  return { event: stored!, created: ins.rowCount === 1 };
}

/** getEvent(pool, id) → the reported event, or undefined. */
export async function getEvent(pool: pg.Pool, id: string): Promise<ReportedEvent | undefined> {
  const { rows } = await pool.query<{ id: string; type: string; reported_by: string; occurred_at: Date; description: string | null }>(
    'SELECT id, type, reported_by, occurred_at, description FROM events WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return (
    r && {
      id: r.id,
      type: r.type,
      reportedBy: r.reported_by,
      occurredAt: instant(r.occurred_at)!,
      ...(r.description !== null && { description: r.description }),
    }
  );
}
