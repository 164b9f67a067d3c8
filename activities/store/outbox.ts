import type pg from 'pg';
import { Params, type Db } from './rows.js';

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

/** An outbox row as a notice's step writes it: an e-mail or a webhook to one recipient. */
export interface OutboxInsert {
  key: string;
  /** The NotificationRequest's key: a retried `notify` dispatches exactly its request's rows. */
  requestKey: string;
  channel: 'email' | 'webhook';
  recipient: string;
  subject: string;
  body: string;
  payload: ClaimedNotice['payload'];
  /** The workflow, directive, obligation and unit it belongs to: rows with them are the dispatcher's (delivery.ts); without, the `notify` activity's. */
  owner?: { workflowId: string; directiveId: string; obligationId: string; unitId: string };
  /** A held e-mail: the letter time it waits for and what the letter says of it (no attempt of its own). */
  held?: { until: string; notice: unknown };
}

/**
 * insertOutboxRows(db, OutboxInsert[]) → how many were written (a key already there: not again).
 * One statement for a step's rows (see insertInboxNotices). A row of the dispatcher's is due at
 * once (`next_attempt_at` now) unless it is held for a letter.
 */
export async function insertOutboxRows(db: Db, rows: OutboxInsert[]): Promise<number> {
  if (rows.length === 0) return 0;
  const p = new Params();
  const { rowCount } = await db.query(outboxInsertSql(p, rows), p.values);
  return rowCount ?? 0;
}

/** insertOutboxRows' statement, to be part of a larger one (store/steps.ts): only when `when` holds. */
export function outboxInsertSql(p: Params, rows: OutboxInsert[], when = 'TRUE'): string {
  return `INSERT INTO outbox (idempotency_key, request_key, channel, recipient, subject, body, payload,
                         workflow_id, directive_id, obligation_id, unit_id, next_attempt_at, hold_until, notice)
     SELECT k, rk, ch, rc, s, b, p::jsonb, w, d, o, u,
            CASE WHEN w IS NULL OR h IS NOT NULL THEN NULL ELSE now() END, h::timestamptz, n::jsonb
       FROM unnest(${p.column(rows, (r) => r.key)}, ${p.column(rows, (r) => r.requestKey)}, ${p.column(rows, (r) => r.channel)}, ${p.column(rows, (r) => r.recipient)},
                   ${p.column(rows, (r) => r.subject)}, ${p.column(rows, (r) => r.body)}, ${p.column(rows, (r) => JSON.stringify(r.payload))},
                   ${p.column(rows, (r) => r.owner?.workflowId ?? null)}, ${p.column(rows, (r) => r.owner?.directiveId ?? null)},
                   ${p.column(rows, (r) => r.owner?.obligationId ?? null)}, ${p.column(rows, (r) => r.owner?.unitId ?? null)},
                   ${p.column(rows, (r) => r.held?.until ?? null)}, ${p.column(rows, (r) => (r.held ? JSON.stringify(r.held.notice) : null))})
            AS r(k, rk, ch, rc, s, b, p, w, d, o, u, h, n)
      WHERE ${when}
     ON CONFLICT (idempotency_key) DO NOTHING`;
}

/** An outbox row claimed for sending: what the channels need. */
export interface ClaimedNotice {
  id: string;
  /** The outbox key: the e-mail's Message-ID and the webhook's idempotency key derive from it. */
  key: string;
  channel: 'email' | 'webhook';
  recipient: string;
  subject: string;
  body: string;
  /** `at`: the workflow time of the notice, which is when it happened in the directive's life. */
  payload: { address?: string; url?: string; at?: string };
}

interface ClaimedRow {
  id: string;
  idempotency_key: string;
  channel: 'email' | 'webhook';
  recipient: string;
  subject: string;
  body: string;
  payload: ClaimedNotice['payload'];
}

const CLAIMED = 'id, idempotency_key, channel, recipient, subject, body, payload';

function claimed(rows: ClaimedRow[]): ClaimedNotice | undefined {
  const r = rows[0];
  return r && { id: r.id, key: r.idempotency_key, channel: r.channel, recipient: r.recipient, subject: r.subject, body: r.body, payload: r.payload };
}

/**
 * Claims the dispatcher's next due row for `leaseMs`, in one statement (its own short
 * transaction): not sent, not given up, its retry time come, and not claimed, or claimed by a
 * process whose lease ran out (it died mid-send). SKIP LOCKED: two dispatchers claiming at once
 * take different rows. `skip`: rows this pass already tried, so a row failing with no backoff
 * is not taken again at once.
 */
export async function claimDueNotice(db: Db, claimant: string, leaseMs: number, skip: string[] = []): Promise<ClaimedNotice | undefined> {
  const { rows } = await db.query<ClaimedRow>(
    `UPDATE outbox SET claimed_until = now() + make_interval(secs => $2::float8 / 1000), claimed_by = $1
      WHERE id = (
        SELECT id FROM outbox
         WHERE sent_at IS NULL AND gave_up_at IS NULL AND workflow_id IS NOT NULL AND next_attempt_at <= now()
           AND (claimed_until IS NULL OR claimed_until <= now()) AND NOT (id = ANY($3::bigint[]))
         ORDER BY next_attempt_at, id LIMIT 1
         FOR UPDATE SKIP LOCKED)
      RETURNING ${CLAIMED}`,
    [claimant, leaseMs, skip],
  );
  return claimed(rows);
}

/**
 * The same for the rows of one request of the `notify` activity (histories from before
 * recordStep), which has no retry times: the activity is retried by Temporal instead.
 */
export async function claimRequestNotice(
  db: Db,
  requestKey: string,
  claimant: string,
  leaseMs: number,
  skip: string[] = [],
): Promise<ClaimedNotice | undefined> {
  const { rows } = await db.query<ClaimedRow>(
    `UPDATE outbox SET claimed_until = now() + make_interval(secs => $3::float8 / 1000), claimed_by = $2
      WHERE id = (
        SELECT id FROM outbox
         WHERE request_key = $1 AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= now())
           AND NOT (id = ANY($4::bigint[]))
         ORDER BY id LIMIT 1
         FOR UPDATE SKIP LOCKED)
      RETURNING ${CLAIMED}`,
    [requestKey, claimant, leaseMs, skip],
  );
  return claimed(rows);
}

/**
 * Of the request's unsent rows other than `skip`, the one claimable first and how long until then
 * (0: now; otherwise another attempt holds it), or undefined when there are none.
 */
export async function requestClaimWait(
  db: Db,
  requestKey: string,
  skip: string[],
): Promise<{ waitMs: number; channel: string; recipient: string } | undefined> {
  const { rows } = await db.query<{ wait_ms: number; channel: string; recipient: string }>(
    `SELECT (EXTRACT(EPOCH FROM (GREATEST(claimed_until, now()) - now())) * 1000)::float8 AS wait_ms, channel, recipient
       FROM outbox WHERE request_key = $1 AND sent_at IS NULL AND NOT (id = ANY($2::bigint[]))
      ORDER BY GREATEST(claimed_until, now()), id LIMIT 1`,
    [requestKey, skip],
  );
  const r = rows[0];
  return r && { waitMs: r.wait_ms, channel: r.channel, recipient: r.recipient };
}

/** Marks a claimed row sent (whoever holds the claim now: it was sent). */
export async function markNoticeSent(db: Db, id: string): Promise<void> {
  await db.query(
    'UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL, claimed_until = NULL WHERE id = $1 AND sent_at IS NULL',
    [id],
  );
}

/**
 * Counts a failed attempt of a row of the `notify` activity and lets go of the claim; the
 * activity's retry tries again. Nothing if the claim is no longer `claimant`'s.
 */
export async function releaseFailedNotice(db: Db, id: string, claimant: string, error: string): Promise<void> {
  await db.query(
    `UPDATE outbox SET attempts = attempts + 1, last_error = $3, claimed_until = NULL
      WHERE id = $1 AND claimed_by = $2 AND sent_at IS NULL`,
    [id, claimant, error],
  );
}

export interface Backoff {
  /** Wait before the first retry; doubles per attempt up to `maxMs`. */
  initialMs: number;
  maxMs: number;
  /** A row still unsent this long after it was committed is given up. */
  giveUpAfterMs: number;
}

/** A row the dispatcher gave up on: what the audit line says about it. */
export interface GivenUpNotice {
  key: string;
  requestKey: string;
  channel: string;
  recipient: string;
  attempts: number;
  workflowId: string;
  directiveId: string;
  obligationId?: string;
  unitId?: string;
}

/**
 * Counts a failed attempt of a dispatcher row, lets go of the claim and sets the next attempt
 * (exponential backoff), or gives the row up once it is older than the give-up window. Returns
 * the row when it was given up; undefined when it will be retried, or when the claim is no longer
 * `claimant`'s (its lease ran out and another process has it).
 */
export async function retryOrGiveUp(
  db: Db,
  id: string,
  claimant: string,
  error: string,
  backoff: Backoff,
): Promise<GivenUpNotice | undefined> {
  const { rows } = await db.query<{
    gave_up: boolean;
    idempotency_key: string;
    request_key: string;
    channel: string;
    recipient: string;
    attempts: number;
    workflow_id: string;
    directive_id: string;
    obligation_id: string | null;
    unit_id: string | null;
  }>(
    // `attempts` on the right is the count before this attempt: the first retry waits initialMs.
    `UPDATE outbox SET
       attempts = attempts + 1,
       last_error = $3,
       claimed_until = NULL,
       next_attempt_at = now() + make_interval(secs => LEAST($4::float8 * power(2, attempts), $5::float8) / 1000),
       gave_up_at = CASE WHEN created_at <= now() - make_interval(secs => $6::float8 / 1000) THEN now() END
     WHERE id = $1 AND claimed_by = $2 AND sent_at IS NULL
     RETURNING gave_up_at IS NOT NULL AS gave_up, idempotency_key, request_key, channel, recipient, attempts,
               workflow_id, directive_id, obligation_id, unit_id`,
    [id, claimant, error, backoff.initialMs, backoff.maxMs, backoff.giveUpAfterMs],
  );
  const r = rows[0];
  if (!r?.gave_up) return undefined;
  return {
    key: r.idempotency_key,
    requestKey: r.request_key,
    channel: r.channel,
    recipient: r.recipient,
    attempts: r.attempts,
    workflowId: r.workflow_id,
    directiveId: r.directive_id,
    ...(r.obligation_id !== null && { obligationId: r.obligation_id }),
    ...(r.unit_id !== null && { unitId: r.unit_id }),
  };
}

/**
 * How long until the dispatcher has a row to send: the earliest retry time of an unclaimed row,
 * or the end of the earliest claim's lease (if its process died, the row is claimable then);
 * undefined when nothing waits. Two index scans (outbox_to_deliver, outbox_claims), not a scan of
 * every pending row: held e-mails waiting for their letter are pending too.
 */
export async function nextDeliveryWait(db: Db): Promise<number | undefined> {
  const { rows } = await db.query<{ wait_ms: number | null }>(
    `SELECT (EXTRACT(EPOCH FROM (LEAST(
              (SELECT min(next_attempt_at) FROM outbox
                WHERE sent_at IS NULL AND gave_up_at IS NULL AND workflow_id IS NOT NULL AND claimed_until IS NULL),
              (SELECT min(claimed_until) FROM outbox
                WHERE sent_at IS NULL AND gave_up_at IS NULL AND workflow_id IS NOT NULL AND claimed_until IS NOT NULL)
            ) - now())) * 1000)::float8 AS wait_ms`,
  );
  return rows[0]?.wait_ms ?? undefined;
}

/** The whole outbox as an operator watches it (the worker's Prometheus gauges, worker/metrics.ts). */
export interface OutboxTotals {
  /** Due or being sent: committed, not sent, not held for a letter, not given up. */
  pending: number;
  /** Waiting for a retry after a refusal (a subset of `pending`). */
  retrying: number;
  /** Given up after the retry window: in the in-app inbox only. */
  undelivered: number;
  /** Seconds since the oldest pending row was committed (0 when none): a relay down for that long. */
  oldestPendingSeconds: number;
}

export async function outboxTotals(db: Db): Promise<OutboxTotals> {
  const { rows } = await db.query<{ pending: number; retrying: number; undelivered: number; oldest: number | null }>(
    `SELECT count(*) FILTER (WHERE sent_at IS NULL AND gave_up_at IS NULL AND hold_until IS NULL)::int AS pending,
            count(*) FILTER (WHERE sent_at IS NULL AND gave_up_at IS NULL AND hold_until IS NULL AND attempts > 0)::int AS retrying,
            count(*) FILTER (WHERE gave_up_at IS NOT NULL AND sent_at IS NULL)::int AS undelivered,
            EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE sent_at IS NULL AND gave_up_at IS NULL AND hold_until IS NULL))::float8 AS oldest
       FROM outbox`,
  );
  const r = rows[0];
  return { pending: r?.pending ?? 0, retrying: r?.retrying ?? 0, undelivered: r?.undelivered ?? 0, oldestPendingSeconds: Math.max(0, r?.oldest ?? 0) };
}
