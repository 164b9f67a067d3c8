import type pg from 'pg';
import { appendAudit } from '../audit.js';
import { inTransaction } from '../db/tx.js';
import { sendLocked } from '../notify.js';
import type { NotificationChannels } from './channels.js';

export interface DeliveryOptions {
  pool: pg.Pool;
  channels: NotificationChannels;
  /** Wait before the first retry of a failed row; doubles per attempt up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * A notice still undelivered this long after it was committed is given up: marked, and a
   * `notice-undelivered` line goes to the audit trail. The inbox row exists regardless.
   */
  giveUpAfterMs?: number;
  /** Rows sent at the same time (each holds a pooled connection while it is sent). */
  concurrency?: number;
  log?: (message: string) => void;
}

export interface Delivery {
  /** Rows were committed: look for rows to send now. Cheap; calls made while a pass runs coalesce. */
  kick(): void;
  /** Resolves once no pass is running or asked for (a retry scheduled for later does not count). */
  idle(): Promise<void>;
  /** Stops the retry timer and waits for the running pass. */
  stop(): Promise<void>;
}

const BATCH = 200;

/**
 * The outbox dispatcher of a worker process. Workflows commit their notices together with the
 * status and audit lines of the same step (`recordStep`); this sends them after the commit, so
 * a slow or dead mail relay delays mail but never a workflow, and a retry costs no workflow
 * history. Every row is sent under a row lock and marked sent in the same transaction, so
 * overlapping passes and several worker processes send each row once. On start it sends whatever
 * an earlier process committed but did not get to send.
 */
export function startDelivery(opts: DeliveryOptions): Delivery {
  const { pool, channels } = opts;
  const initialBackoffMs = opts.initialBackoffMs ?? 5_000;
  const maxBackoffMs = opts.maxBackoffMs ?? 30 * 60_000;
  const giveUpAfterMs = opts.giveUpAfterMs ?? 3 * 86_400_000;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const log = opts.log ?? ((m: string) => console.warn(m));
  let wanted = false;
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  function kick(): void {
    if (stopped) return;
    wanted = true;
    if (running) return;
    running = pass().finally(() => {
      running = undefined;
      if (wanted) kick();
    });
  }

  function later(ms: number): void {
    if (stopped) return;
    clearTimeout(timer);
    // unref: a pending retry must not keep a finished process (CLI, test) alive.
    timer = setTimeout(kick, Math.max(0, ms)).unref();
  }

  async function pass(): Promise<void> {
    while (wanted && !stopped) {
      wanted = false;
      try {
        // A full batch may hide more due rows; stop when a batch made no progress (rows locked
        // by another worker process are theirs to send).
        for (let b = await sendDueBatch(); b.selected === BATCH && b.handled > 0 && !stopped; b = await sendDueBatch());
        const next = await pool.query<{ wait_ms: number | null }>(
          `SELECT (EXTRACT(EPOCH FROM (min(next_attempt_at) - now())) * 1000)::float8 AS wait_ms
             FROM outbox WHERE sent_at IS NULL AND gave_up_at IS NULL AND workflow_id IS NOT NULL`,
        );
        const waitMs = next.rows[0]?.wait_ms;
        if (waitMs !== null && waitMs !== undefined) later(waitMs + 10);
      } catch (err) {
        // The database is away: the rows are safe in it, try again shortly.
        log(`chithi delivery: ${err instanceof Error ? err.message : String(err)}`);
        later(initialBackoffMs);
      }
    }
  }

  async function sendDueBatch(): Promise<{ selected: number; handled: number }> {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM outbox
        WHERE sent_at IS NULL AND gave_up_at IS NULL AND workflow_id IS NOT NULL AND next_attempt_at <= now()
        ORDER BY next_attempt_at, id LIMIT ${BATCH}`,
    );
    const queue = rows.map((r) => r.id);
    let handled = 0;
    const lanes = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let id = queue.shift(); id !== undefined && !stopped; id = queue.shift()) if (await sendOne(id)) handled++;
    });
    await Promise.all(lanes);
    return { selected: rows.length, handled };
  }

  /** False when the row was not this pass's to send (sent meanwhile, or locked elsewhere). */
  async function sendOne(id: string): Promise<boolean> {
    return inTransaction(pool, async (client) => {
      const outcome = await sendLocked(client, channels, id);
      if (outcome === 'gone') return false;
      if (outcome === 'sent') return true;
      const { rows } = await client.query<{
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
        `UPDATE outbox SET
           next_attempt_at = now() + make_interval(secs => LEAST($2::float8 * power(2, attempts - 1), $3::float8) / 1000),
           gave_up_at = CASE WHEN created_at <= now() - make_interval(secs => $4::float8 / 1000) THEN now() END
         WHERE id = $1
         RETURNING gave_up_at IS NOT NULL AS gave_up, idempotency_key, request_key, channel, recipient, attempts,
                   workflow_id, directive_id, obligation_id, unit_id`,
        [id, initialBackoffMs, maxBackoffMs, giveUpAfterMs],
      );
      const row = rows[0];
      if (!row?.gave_up) return true;
      await appendAudit(client, {
        key: `${row.idempotency_key}:undelivered`,
        workflowId: row.workflow_id,
        directiveId: row.directive_id,
        ...(row.obligation_id !== null ? { obligationId: row.obligation_id } : {}),
        ...(row.unit_id !== null ? { unitId: row.unit_id } : {}),
        actor: 'system',
        action: 'notice-undelivered',
        at: new Date().toISOString(),
        detail: { key: row.request_key, channel: row.channel, to: row.recipient, attempts: row.attempts, error: outcome.reason },
      });
      log(`chithi delivery: gave up ${row.idempotency_key} after ${row.attempts} attempts: ${outcome.reason}`);
      return true;
    });
  }

  kick();
  return {
    kick,
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
