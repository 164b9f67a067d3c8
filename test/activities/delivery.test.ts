import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smtpEmailChannel } from '../../activities/notify/email.js';
import { startDelivery, type Delivery, type DeliveryOptions } from '../../activities/notify/delivery.js';
import { messageId } from '../../activities/notify.js';
import { webhookChannel } from '../../activities/notify/webhook.js';
import { createRecordStep } from '../../activities/step.js';
import { getInstance, listAudit, readInbox } from '../../activities/store/index.js';
import type { NotificationChannels } from '../../activities/notify/channels.js';
import type { NotificationRequest, StepRecord } from '../../workflows/types.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { notification } from '../support/fixtures.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startWebhookReceiver, verifySignature, type TestWebhookReceiver } from '../support/webhook.js';

const SECRET = 'khóa-thử';
const DIRECTIVE = 'hanoi-3968-2022';

describe('recordStep and the outbox dispatcher', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let hook: TestWebhookReceiver;
  let channels: NotificationChannels;
  const running: Delivery[] = [];
  let n = 0;

  beforeAll(async () => {
    [db, smtp, hook] = await Promise.all([freshDatabase(), startSmtpServer(), startWebhookReceiver()]);
    channels = { email: smtpEmailChannel(smtp.url), webhook: webhookChannel({ global: { url: hook.url, secret: SECRET } }) };
  });
  afterEach(async () => {
    // Each test's dispatchers stop with it: they must not send the next test's rows.
    await Promise.all(running.splice(0).map((d) => d.stop()));
  });
  afterAll(async () => {
    await Promise.all([db.drop(), smtp.stop(), hook.stop()]);
  });
  beforeEach(() => {
    smtp.messages.length = 0;
    hook.requests.length = 0;
  });

  const dispatcher = (opts: Partial<DeliveryOptions> = {}): Delivery => {
    const d = startDelivery({ pool: db.pool, channels, log: () => undefined, ...opts });
    running.push(d);
    return d;
  };

  /**
   * The dispatcher's own behaviour is what these tests are about, so the unit asks for every
   * notice at once (registry `notify: { cadence: immediate }`) instead of a daily letter; letters
   * are tested in letters.test.ts.
   */
  function sentAtOnce(n: NotificationRequest): NotificationRequest {
    const unit = { ...n.unit, notify: { cadence: 'immediate' as const, at: '08:00' } };
    return { ...n, unit, contacts: { ...n.contacts, [unit.id]: unit } };
  }

  /** One step of a fresh instance: status overdue, an audit line, an overdue notice to the unit. */
  function step(over: { notices?: StepRecord['notices'] } = {}): StepRecord {
    const workflowId = `chithi/${DIRECTIVE}/contact-point/so-y-te-${++n}`;
    const at = '2022-12-01T00:00:00.000+07:00';
    return {
      workflowId,
      status: { workflowId, directiveId: DIRECTIVE, obligationId: 'contact-point', unitId: 'so-y-te', cycle: 1, status: 'overdue', due: '2022-11-30', at },
      audits: [{ key: `${workflowId}:1:overdue:0`, workflowId, directiveId: DIRECTIVE, obligationId: 'contact-point', unitId: 'so-y-te', actor: 'system', action: 'overdue', at }],
      notices: over.notices ?? [sentAtOnce(notification({ key: `${workflowId}:1:overdue:0`, kind: 'overdue', at }))],
    };
  }

  const outbox = async (workflowId: string) =>
    (
      await db.pool.query<{ channel: string; attempts: number; sent: boolean; gave_up: boolean }>(
        `SELECT channel, attempts, sent_at IS NOT NULL AS sent, gave_up_at IS NOT NULL AS gave_up
           FROM outbox WHERE workflow_id = $1 ORDER BY channel`,
        [workflowId],
      )
    ).rows;

  it('commits status, audit line and notice together; a retried step sends its e-mail and webhook once', async () => {
    const delivery = dispatcher();
    const record = createRecordStep(db.pool, channels, delivery);
    const s = step();
    await record(s);
    await Promise.all([record(s), record(s)]);
    await delivery.idle();
    await new Promise((r) => setTimeout(r, 100));

    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.headers['x-chithi-idempotency-key']).toBe(`${s.notices[0]!.key}:email:so-y-te`);
    expect(smtp.messages[0]!.headers['x-chithi-notice-at']).toBe('2022-12-01T00:00:00.000+07:00');
    expect(hook.requests).toHaveLength(1);
    expect(verifySignature(hook.requests[0]!, SECRET)).toBe(true);
    expect((await getInstance(db.pool, s.workflowId))?.status).toBe('overdue');
    expect((await listAudit(db.pool, DIRECTIVE, { workflowId: s.workflowId })).map((a) => a.action)).toEqual(['overdue']);
    expect((await readInbox(db.pool, 'so-y-te')).filter((m) => m.subject === smtp.messages[0]!.subject)).toHaveLength(1);
    expect(await outbox(s.workflowId)).toEqual([
      { channel: 'email', attempts: 1, sent: true, gave_up: false },
      { channel: 'webhook', attempts: 1, sent: true, gave_up: false },
    ]);
  });

  it('a step that cannot be written leaves nothing behind and sends nothing', async () => {
    const delivery = dispatcher();
    const record = createRecordStep(db.pool, channels, delivery);
    const s = step();
    const broken: StepRecord = { ...s, audits: [...s.audits, { ...s.audits[0]!, key: `${s.workflowId}:bad`, at: 'not a date' }] };
    await expect(record(broken)).rejects.toThrow();
    await delivery.idle();
    expect(await getInstance(db.pool, s.workflowId)).toBeUndefined();
    expect(await listAudit(db.pool, DIRECTIVE, { workflowId: s.workflowId })).toEqual([]);
    expect(await outbox(s.workflowId)).toEqual([]);
    expect(smtp.messages).toHaveLength(0);
  });

  it('a mail relay that is down: retried with backoff, sent once when it is back', async () => {
    const delivery = dispatcher({ initialBackoffMs: 50 });
    const s = step();
    smtp.failNext(2);
    await createRecordStep(db.pool, channels, delivery)(s);
    await smtp.waitFor(1);
    await delivery.idle();
    expect(smtp.messages).toHaveLength(1);
    expect(await outbox(s.workflowId)).toEqual([
      { channel: 'email', attempts: 3, sent: true, gave_up: false },
      { channel: 'webhook', attempts: 1, sent: true, gave_up: false },
    ]);
  });

  it('past the give-up window a notice is marked, audited as notice-undelivered and not tried again', async () => {
    const delivery = dispatcher({ giveUpAfterMs: 0, initialBackoffMs: 20 });
    const s = step();
    smtp.failNext(1);
    await createRecordStep(db.pool, channels, delivery)(s);
    await hook.waitFor(1);
    await delivery.idle();
    await new Promise((r) => setTimeout(r, 150));
    delivery.kick();
    await delivery.idle();
    expect(smtp.messages).toHaveLength(0);
    expect(await outbox(s.workflowId)).toEqual([
      { channel: 'email', attempts: 1, sent: false, gave_up: true },
      { channel: 'webhook', attempts: 1, sent: true, gave_up: false },
    ]);
    const audit = await listAudit(db.pool, DIRECTIVE, { workflowId: s.workflowId });
    expect(audit.map((a) => a.action)).toEqual(['overdue', 'notice-undelivered']);
    expect(audit[1]!.detail).toMatchObject({ key: s.notices[0]!.key, channel: 'email', to: 'so-y-te', attempts: 1 });
  });

  it('notices a process committed but did not send are sent by the next process, once', async () => {
    const dead: Delivery = { kick: () => undefined, idle: async () => undefined, stop: async () => undefined };
    const s = step();
    await createRecordStep(db.pool, channels, dead)(s);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.messages).toHaveLength(0);

    // Two worker processes start at once: each row still goes out once.
    const [a, b] = [dispatcher(), dispatcher()];
    await smtp.waitFor(1);
    await Promise.all([a.idle(), b.idle()]);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.messages).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
  });

  it('many steps at once, two dispatchers: every e-mail exactly once', async () => {
    const [a, b] = [dispatcher(), dispatcher()];
    const steps = Array.from({ length: 30 }, () => step());
    await Promise.all(steps.map((s, i) => createRecordStep(db.pool, channels, i % 2 ? a : b)(s)));
    await smtp.waitFor(30);
    await Promise.all([a.idle(), b.idle()]);
    await new Promise((r) => setTimeout(r, 100));
    const keys = smtp.messages.map((m) => m.headers['x-chithi-idempotency-key']);
    expect(keys).toHaveLength(30);
    expect(new Set(keys).size).toBe(30);
  });

  /** A worker process that died after committing its step, before kicking its dispatcher. */
  const dead: Delivery = { kick: () => undefined, idle: async () => undefined, stop: async () => undefined };

  /** Polls `check` until it returns a value, or fails after `timeoutMs`. */
  async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Rejects if `p` takes longer than `ms` (a query waiting for a lock or for the only connection). */
  const within = <T>(ms: number, p: Promise<T>, what: string): Promise<T> =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms))]);

  it('while the mail relay holds a message, no transaction is open and its row is not locked', async () => {
    const held = smtp.holdNext();
    const delivery = dispatcher();
    const s = step();
    await createRecordStep(db.pool, channels, delivery)(s);
    await held.arrived;
    try {
      const open = await within(
        2_000,
        db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()`,
        ),
        'pg_stat_activity',
      );
      expect(open.rows[0]!.n).toBe(0);
      const client = await within(2_000, db.pool.connect(), 'a pooled connection');
      try {
        await client.query('BEGIN');
        // NOWAIT fails at once (55P03) if another transaction holds the row.
        const locked = await client.query(
          `SELECT id FROM outbox WHERE workflow_id = $1 AND channel = 'email' FOR UPDATE NOWAIT`,
          [s.workflowId],
        );
        expect(locked.rows).toHaveLength(1);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
      // It is claimed instead: another dispatcher leaves it alone until the lease runs out.
      const claim = await db.pool.query<{ claimed: boolean; by: string | null }>(
        `SELECT claimed_until > now() AS claimed, claimed_by AS by FROM outbox WHERE workflow_id = $1 AND channel = 'email'`,
        [s.workflowId],
      );
      expect(claim.rows[0]).toMatchObject({ claimed: true, by: expect.any(String) });
    } finally {
      held.release();
    }
    await smtp.waitFor(1);
    await delivery.idle();
    expect(await outbox(s.workflowId)).toEqual([
      { channel: 'email', attempts: 1, sent: true, gave_up: false },
      { channel: 'webhook', attempts: 1, sent: true, gave_up: false },
    ]);
  });

  it('a relay that accepts the connection and never answers: the send fails within the timeout and is retried later', async () => {
    const timeouts = { connectionTimeoutMs: 300, greetingTimeoutMs: 300, socketTimeoutMs: 300 };
    const delivery = dispatcher({
      channels: { ...channels, email: smtpEmailChannel(smtp.url, undefined, timeouts) },
      // Long enough for the test to end the silence before the retry.
      initialBackoffMs: 1_000,
    });
    const s = step();
    smtp.silence(true);
    try {
      const started = Date.now();
      await createRecordStep(db.pool, channels, delivery)(s);
      const failed = await eventually(
        async () =>
          (
            await db.pool.query<{ attempts: number; last_error: string; retry_later: boolean }>(
              `SELECT attempts, last_error, next_attempt_at > now() AS retry_later FROM outbox
                WHERE workflow_id = $1 AND channel = 'email' AND attempts > 0`,
              [s.workflowId],
            )
          ).rows[0],
        3_000,
        'the silent relay timed out',
      );
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(failed).toMatchObject({ attempts: 1, retry_later: true });
      expect(failed.last_error).toMatch(/greeting|timeout/i);
    } finally {
      smtp.silence(false);
    }
    await smtp.waitFor(1);
    await delivery.idle();
    expect(await outbox(s.workflowId)).toEqual([
      { channel: 'email', attempts: 2, sent: true, gave_up: false },
      { channel: 'webhook', attempts: 1, sent: true, gave_up: false },
    ]);
  });

  it('a claim whose lease ran out (its process died mid-send) is sent again, with the same Message-ID', async () => {
    const s = step();
    await createRecordStep(db.pool, channels, dead)(s);
    // As the dead process left them: claimed, the lease running.
    await db.pool.query(
      `UPDATE outbox SET claimed_until = now() + interval '1 second', claimed_by = 'dead-worker' WHERE workflow_id = $1`,
      [s.workflowId],
    );
    const delivery = dispatcher({ sweepIntervalMs: 100 });
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(0);
    expect(hook.requests).toHaveLength(0);

    const [mail] = await smtp.waitFor(1, 3_000);
    expect(mail!.messageId).toBe(messageId(`${s.notices[0]!.key}:email:so-y-te`));
    await hook.waitFor(1, 3_000);
    await delivery.idle();
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.messages).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
    expect(await outbox(s.workflowId)).toEqual([
      { channel: 'email', attempts: 1, sent: true, gave_up: false },
      { channel: 'webhook', attempts: 1, sent: true, gave_up: false },
    ]);
  });

  it('rows committed with no kick (their process died before sending) are sent by the periodic sweep', async () => {
    const delivery = dispatcher({ sweepIntervalMs: 200 });
    await delivery.idle();
    const s = step();
    await createRecordStep(db.pool, channels, dead)(s);
    await smtp.waitFor(1, 2_000);
    await hook.waitFor(1, 2_000);
    await delivery.idle();
    expect(await outbox(s.workflowId)).toEqual([
      { channel: 'email', attempts: 1, sent: true, gave_up: false },
      { channel: 'webhook', attempts: 1, sent: true, gave_up: false },
    ]);
  });
});
