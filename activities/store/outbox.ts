import type pg from 'pg';

export interface NoticeDelivery {
  /** Committed e-mails and webhooks not sent yet (being sent, or waiting for a retry). */
  pending: number;
  /** Notices whose e-mail waits for its recipient's next letter (daily, weekly, or an assignment letter gathering). */
  inLetters: number;
  /** When the next of those letters is due (business time), if any. */
  nextLetterAt?: string;
  /** Given up after the retry window: the recipients have them only in the in-app inbox. */
  undelivered: number;
}

/** noticeDelivery(pool, directiveId, { unitId? }) → how the directive's outgoing notices stand. */
export async function noticeDelivery(pool: pg.Pool, directiveId: string, opts: { unitId?: string } = {}): Promise<NoticeDelivery> {
  const { rows } = await pool.query<{ pending: number; undelivered: number; in_letters: number; next_letter: Date | null }>(
    `SELECT count(*) FILTER (WHERE gave_up_at IS NULL AND hold_until IS NULL)::int AS pending,
            count(*) FILTER (WHERE gave_up_at IS NOT NULL)::int AS undelivered,
            count(*) FILTER (WHERE hold_until IS NOT NULL AND letter_key IS NULL)::int AS in_letters,
            min(hold_until) FILTER (WHERE hold_until IS NOT NULL AND letter_key IS NULL) AS next_letter
       FROM outbox
      WHERE directive_id = $1 AND ($2::text IS NULL OR unit_id = $2) AND sent_at IS NULL`,
    [directiveId, opts.unitId ?? null],
  );
  const r = rows[0];
  return {
    pending: r?.pending ?? 0,
    undelivered: r?.undelivered ?? 0,
    inLetters: r?.in_letters ?? 0,
    ...(r?.next_letter ? { nextLetterAt: r.next_letter.toISOString() } : {}),
  };
}
