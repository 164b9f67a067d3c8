import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PlanUnit } from '../compiler/plan.js';
import type { NotificationRequest } from '../workflows/types.js';
import type { WorkingCalendar } from '../compiler/calendar/index.js';
import { inTransaction } from './db/tx.js';
import { heldNotice, type HeldNotice } from './notify/letter-templates.js';
import { chooseLetter, isAssignment } from './notify/letters.js';
import { openAssignmentSlot, reserveLetter, type LetterSlot } from './store/letters.js';
import { DeliveryError } from './errors.js';
import type { NotificationChannels } from './notify/channels.js';
import { IDEMPOTENCY_HEADER } from './notify/webhook.js';
import { renderNotice } from './notify/templates.js';

interface OutboxRow {
  id: string;
  idempotency_key: string;
  channel: 'email' | 'webhook';
  recipient: string;
  subject: string;
  body: string;
  /** `at`: the workflow time of the notice, which is when it happened in the directive's life. */
  payload: { address?: string; url?: string; at?: string };
}

/**
 * notify: records every message in the outbox first (keyed `${req.key}:${channel}:${recipient}`,
 * inserted with ON CONFLICT DO NOTHING), then delivers the request's unsent rows and marks them
 * sent. A retried activity finds its rows already sent and delivers nothing again. The in-app
 * inbox row is written in the same transaction, so it exists whatever the other channels do.
 */
export function createNotify(pool: pg.Pool, channels: NotificationChannels): (req: NotificationRequest) => Promise<void> {
  return async (req) => {
    await enqueue(pool, channels, req);
    await dispatch(pool, channels, req.key);
  };
}

function recipientUnit(req: NotificationRequest, id: string): PlanUnit | undefined {
  return req.contacts[id] ?? (req.unit.id === id ? req.unit : undefined);
}

async function enqueue(pool: pg.Pool, channels: NotificationChannels, req: NotificationRequest): Promise<void> {
  await inTransaction(pool, (client) => enqueueNotice(client, channels, req));
}

/**
 * Writes a notice's inbox rows and outbox rows on `client` (the caller's transaction). With an
 * `owner`, the rows belong to the delivery dispatcher (./notify/delivery.ts), which sends them
 * after the transaction commits; without, to the `notify` activity that enqueued them.
 */
export async function enqueueNotice(
  client: pg.PoolClient,
  channels: NotificationChannels,
  req: NotificationRequest,
  owner?: { workflowId: string; letters?: LetterContext },
): Promise<LetterSlot[]> {
  const letters: LetterSlot[] = [];
  for (const to of [...new Set(req.to)]) {
    const { subject, text } = renderNotice(req, to);
    await client.query(
      `INSERT INTO inbox (idempotency_key, unit_id, kind, directive_id, obligation_id, cycle, due, subject, body, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (idempotency_key) DO NOTHING`,
      [`${req.key}:inbox:${to}`, to, req.kind, req.directive.id, req.obligation.id, req.cycle, req.due ?? null, subject, text, req.at],
    );
    const address = recipientUnit(req, to)?.email;
    const rows: { channel: OutboxRow['channel']; body: string; payload: OutboxRow['payload']; held?: { slot: string; notice: HeldNotice } }[] = [];
    if (channels.email && address) {
      const key = `${req.key}:email:${to}`;
      const ctx = owner?.letters;
      const choice = ctx
        ? chooseLetter(req, to, ctx.calendar(req.directive.calendar.id), isAssignment(req) ? await openAssignmentSlot(client, req.directive.id, to) : undefined)
        : ({ hold: false } as const);
      let held: { slot: string; notice: HeldNotice } | undefined;
      if (choice.hold && ctx) {
        const slot: LetterSlot = { directiveId: req.directive.id, recipient: to, slot: choice.slot, kind: choice.kind, clockOffsetMs: ctx.clockOffsetMs };
        await reserveLetter(client, slot);
        letters.push(slot);
        held = { slot: choice.slot, notice: heldNotice(req, key, recipientUnit(req, to) ?? { id: to, name: { vi: to }, kind: 'unit' }) };
      }
      rows.push({ channel: 'email', body: text, payload: { address, at: req.at }, ...(held ? { held } : {}) });
    }
    const target = channels.webhook?.targetFor(to);
    if (target) rows.push({ channel: 'webhook', body: webhookBody(req, to, subject, text), payload: { url: target.url } });
    for (const row of rows) {
      // A held e-mail has no next attempt: its letter is sent, not it (see ./notify/letters.ts).
      await client.query(
        `INSERT INTO outbox (idempotency_key, request_key, channel, recipient, subject, body, payload,
                             workflow_id, directive_id, obligation_id, unit_id, next_attempt_at, hold_until, notice)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                 CASE WHEN $8::text IS NULL OR $12::timestamptz IS NOT NULL THEN NULL ELSE now() END, $12, $13)
         ON CONFLICT (idempotency_key) DO NOTHING`,
        [
          `${req.key}:${row.channel}:${to}`,
          req.key,
          row.channel,
          to,
          subject,
          row.body,
          JSON.stringify(row.payload),
          owner?.workflowId ?? null,
          owner ? req.directive.id : null,
          owner ? req.obligation.id : null,
          owner ? req.unit.id : null,
          row.held?.slot ?? null,
          row.held ? JSON.stringify(row.held.notice) : null,
        ],
      );
    }
  }
  return letters;
}

/**
 * What enqueueNotice needs to hold e-mails for letters: the directive's calendar and clock. The
 * caller holds the recipients' letter locks (`lockRecipientLetters`) for the transaction.
 */
export interface LetterContext {
  calendar: (id: string) => WorkingCalendar;
  /** The instances' virtual epoch (InstanceInput.clockOffsetMs), for the postbox workflow. */
  clockOffsetMs: number;
}

/** The body is stored and re-sent byte for byte, so a retry carries the same HMAC. */
function webhookBody(req: NotificationRequest, to: string, subject: string, text: string): string {
  return JSON.stringify({
    key: `${req.key}:webhook:${to}`,
    kind: req.kind,
    recipient: to,
    directive: { id: req.directive.id, number: req.directive.number, title: req.directive.title },
    obligation: { id: req.obligation.id, clause: req.obligation.clause, title: req.obligation.title },
    unit: { id: req.unit.id, name: req.unit.name },
    cycle: req.cycle,
    due: req.due ?? null,
    at: req.at,
    detail: req.detail ?? {},
    subject,
    text,
  });
}

/** Delivers the unsent rows of one request; throws (so Temporal retries) if any failed. */
async function dispatch(pool: pg.Pool, channels: NotificationChannels, requestKey: string): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id FROM outbox WHERE request_key = $1 AND sent_at IS NULL ORDER BY id',
    [requestKey],
  );
  const failures: DeliveryError[] = [];
  for (const { id } of rows) {
    const failure = await deliverOne(pool, channels, id);
    if (failure) failures.push(failure);
  }
  if (failures.length > 0) throw failures[0];
}

async function deliverOne(pool: pg.Pool, channels: NotificationChannels, id: string): Promise<DeliveryError | undefined> {
  return inTransaction(pool, async (client) => {
    const outcome = await sendLocked(client, channels, id);
    return outcome === 'sent' || outcome === 'gone' ? undefined : outcome;
  });
}

/**
 * Sends one outbox row on `client` (inside the caller's transaction) and marks it sent, or counts
 * the failed attempt. The row stays locked while it is sent, so two overlapping attempts cannot
 * both send it; 'gone' means another attempt holds it or already sent it.
 */
export async function sendLocked(
  client: pg.PoolClient,
  channels: NotificationChannels,
  id: string,
): Promise<'sent' | 'gone' | DeliveryError> {
  const { rows } = await client.query<OutboxRow>('SELECT * FROM outbox WHERE id = $1 AND sent_at IS NULL FOR UPDATE SKIP LOCKED', [id]);
  const row = rows[0];
  if (!row) return 'gone';
  try {
    await send(channels, row);
    await client.query('UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1', [id]);
    return 'sent';
  } catch (err) {
    const failure =
      err instanceof DeliveryError ? err : new DeliveryError(row.channel, row.recipient, err instanceof Error ? err.message : String(err));
    await client.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [id, failure.reason]);
    return failure;
  }
}

async function send(channels: NotificationChannels, row: OutboxRow): Promise<void> {
  if (row.channel === 'email') {
    if (!channels.email || !row.payload.address) throw new DeliveryError('email', row.recipient, 'no e-mail channel or address');
    await channels.email.send({
      // If the process dies after the SMTP server accepted the message but before the row was
      // marked sent, the retry sends it again with the same Message-ID, and mail clients and
      // servers that de-duplicate on Message-ID show it once.
      messageId: messageId(row.idempotency_key),
      to: row.payload.address,
      subject: row.subject,
      text: row.body,
      headers: { [IDEMPOTENCY_HEADER]: row.idempotency_key, ...(row.payload.at ? { [NOTICE_AT_HEADER]: row.payload.at } : {}) },
      ...(row.payload.at ? { date: row.payload.at } : {}),
    });
    return;
  }
  const target = channels.webhook?.targetFor(row.recipient);
  if (!target) throw new DeliveryError('webhook', row.recipient, 'no webhook configured for this unit');
  await channels.webhook!.post(target, row.body, row.idempotency_key);
}

/** The notice's own time; with a virtual clock (rehearsals, tests) it differs from the send time. */
export const NOTICE_AT_HEADER = 'X-Chithi-Notice-At';

/** Outbox keys contain ':' and '/', which a Message-ID may not; a hash is stable and valid. */
export function messageId(idempotencyKey: string): string {
  return `${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@chithi`;
}
