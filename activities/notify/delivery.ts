import type pg from 'pg';
import { inTransaction } from '../db/tx.js';
import { CLAIM_LEASE_MS, claimantId, sendNotice } from '../notify.js';
import { appendAudit } from '../store/audit.js';
import { claimDueNotice, markNoticeSent, nextDeliveryWait, retryOrGiveUp, type Backoff, type ClaimedNotice } from '../store/outbox.js';
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
  /** Rows sent at the same time. A pooled connection is used only to claim and to mark a row. */
  concurrency?: number;
  /**
   * How long a claimed row is its claimant's before another dispatcher may take it, i.e. how long
   * a row waits when its process died mid-send. Longer than the longest send (SMTP: 2 minutes in
   * all, ./email.ts; webhooks: 10 s, ./webhook.ts), so a live send is never doubled. Default 5 minutes.
   */
  claimLeaseMs?: number;
  /**
   * Looks for due rows this often without being kicked, so rows committed by a process that died
   * before sending them (or whose claim ran out) go out without waiting for another step. Default 30 s.
   */
  sweepIntervalMs?: number;
  log?: (message: string) => void;
}

export interface Delivery {
  /** Rows were committed: look for rows to send now. Cheap; calls made while a pass runs coalesce. */
  kick(): void;
  /** Resolves once no pass is running or asked for (a retry scheduled for later does not count). */
  idle(): Promise<void>;
  /** Stops the retry timer and the sweep and waits for the running pass. */
  stop(): Promise<void>;
}

/**
 * The outbox dispatcher of a worker process. Workflows commit their notices together with the
 * status and audit lines of the same step (`recordStep`); this sends them after the commit, so
 * a slow or dead mail relay delays mail but never a workflow, and a retry costs no workflow
 * history. Each row is claimed, committed, sent, then marked: the claim is one short statement
 * (store/outbox.ts) and nothing is open while the relay or webhook is talked to, so a relay that
 * hangs holds neither a row lock, nor a transaction, nor a pooled connection. Claims are leases:
 * several dispatchers send each row once, and a row whose process died mid-send is sent again
 * when the lease runs out, with the same Message-ID. On start, on every kick and every
 * `sweepIntervalMs` it sends whatever is due, including what an earlier process left.
 */
export function startDelivery(opts: DeliveryOptions): Delivery {
  const { pool, channels } = opts;
  const backoff: Backoff = {
    initialMs: opts.initialBackoffMs ?? 5_000,
    maxMs: opts.maxBackoffMs ?? 30 * 60_000,
    giveUpAfterMs: opts.giveUpAfterMs ?? 3 * 86_400_000,
  };
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const leaseMs = opts.claimLeaseMs ?? CLAIM_LEASE_MS;
  const log = opts.log ?? ((m: string) => console.warn(m));
  const claimant = claimantId('delivery');
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
        await sendDue();
        const waitMs = await nextDeliveryWait(pool);
        if (waitMs !== undefined) later(waitMs + 10);
      } catch (err) {
        // The database is away: the rows are safe in it, try again shortly.
        log(`chithi delivery: ${err instanceof Error ? err.message : String(err)}`);
        later(backoff.initialMs);
      }
    }
  }

  /** Claims and sends due rows until none is left, in up to `concurrency` lanes. */
  async function sendDue(): Promise<void> {
    // Rows that failed in this pass are not claimed again in it, even with a zero backoff.
    const failed: string[] = [];
    const lanes: Promise<void>[] = [];
    let error: unknown;
    const lane = async (): Promise<void> => {
      try {
        while (!stopped) {
          const row = await claimDueNotice(pool, claimant, leaseMs, failed);
          if (!row) return;
          // One more lane per row found: a kick for one notice costs one claim that finds it and
          // one that finds nothing, not `concurrency` claims.
          if (lanes.length < concurrency) lanes.push(lane());
          if (!(await deliver(row))) failed.push(row.id);
        }
      } catch (err) {
        error ??= err;
      }
    };
    lanes.push(lane());
    for (let i = 0; i < lanes.length; i++) await lanes[i];
    if (error !== undefined) throw error;
  }

  /** Sends a claimed row and marks it; false when the attempt failed (retried later or given up). */
  async function deliver(row: ClaimedNotice): Promise<boolean> {
    const failure = await sendNotice(channels, row);
    if (!failure) {
      await markNoticeSent(pool, row.id);
      return true;
    }
    await inTransaction(pool, async (client) => {
      const gaveUp = await retryOrGiveUp(client, row.id, claimant, failure.reason, backoff);
      if (!gaveUp) return;
      await appendAudit(client, {
        key: `${gaveUp.key}:undelivered`,
        workflowId: gaveUp.workflowId,
        directiveId: gaveUp.directiveId,
        ...(gaveUp.obligationId !== undefined ? { obligationId: gaveUp.obligationId } : {}),
        ...(gaveUp.unitId !== undefined ? { unitId: gaveUp.unitId } : {}),
        actor: 'system',
        action: 'notice-undelivered',
        at: new Date().toISOString(),
        detail: { key: gaveUp.requestKey, channel: gaveUp.channel, to: gaveUp.recipient, attempts: gaveUp.attempts, error: failure.reason },
      });
      log(`chithi delivery: gave up ${gaveUp.key} after ${gaveUp.attempts} attempts: ${failure.reason}`);
    });
    return false;
  }

  // unref: like the retry timer, the sweep must not keep a finished process alive.
  const sweep = setInterval(kick, opts.sweepIntervalMs ?? 30_000).unref();
  kick();
  return {
    kick,
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(sweep);
      await running;
    },
  };
}
