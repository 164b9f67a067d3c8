import type pg from 'pg';

export interface NoticeDelivery {
  /** Committed e-mails and webhooks not sent yet (being sent, or waiting for a retry). */
  pending: number;
  /** Given up after the retry window: the recipients have them only in the in-app inbox. */
  undelivered: number;
}

/** noticeDelivery(pool, directiveId, { unitId? }) → how the directive's outgoing notices stand. */
export async function noticeDelivery(pool: pg.Pool, directiveId: string, opts: { unitId?: string } = {}): Promise<NoticeDelivery> {
  const { rows } = await pool.query<{ pending: number; undelivered: number }>(
    `SELECT count(*) FILTER (WHERE gave_up_at IS NULL)::int AS pending,
            count(*) FILTER (WHERE gave_up_at IS NOT NULL)::int AS undelivered
       FROM outbox
      WHERE directive_id = $1 AND ($2::text IS NULL OR unit_id = $2) AND sent_at IS NULL`,
    [directiveId, opts.unitId ?? null],
  );
  return { pending: rows[0]?.pending ?? 0, undelivered: rows[0]?.undelivered ?? 0 };
}
