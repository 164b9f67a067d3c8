import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { PlanUnit } from '../compiler/plan.js';
import type { NotificationRequest } from '../workflows/types.js';
import type { WorkingCalendar } from '../compiler/calendar/index.js';
import { inTransaction } from './db/tx.js';
import { heldNotice } from './notify/letter-templates.js';
import { chooseLetter, isAssignment } from './notify/letters.js';
import { openAssignmentSlot, reserveLetter, type LetterSlot } from './store/letters.js';
import { insertInboxNotices, type InboxInsert } from './store/inbox.js';
import { claimRequestNotice, insertOutboxRows, markNoticeSent, releaseFailedNotice, requestClaimWait, type ClaimedNotice, type OutboxInsert } from './store/outbox.js';
import { DeliveryError } from './errors.js';
import type { NotificationChannels } from './notify/channels.js';
import { IDEMPOTENCY_HEADER } from './notify/webhook.js';
import { renderNotice } from './notify/templates.js';

/**
 * notify: records every message in the outbox first (keyed `${req.key}:${channel}:${recipient}`,
 * inserted with ON CONFLICT DO NOTHING), then delivers the request's unsent rows and marks them
 * sent. A retried activity finds its rows already sent and delivers nothing again. The in-app
 * inbox row is written in the same transaction, so it exists whatever the other channels do.
 */
export function createNotify(pool: pg.Pool, channels: NotificationChannels): (req: NotificationRequest) => Promise<void> {
  const claimant = claimantId('notify');
  return async (req) => {
    await enqueue(pool, channels, req);
    await dispatch(pool, channels, claimant, req.key);
  };
}

function recipientUnit(req: NotificationRequest, id: string): PlanUnit | undefined {
  return req.contacts[id] ?? (req.unit.id === id ? req.unit : undefined);
}

async function enqueue(pool: pg.Pool, channels: NotificationChannels, req: NotificationRequest): Promise<void> {
  await inTransaction(pool, (client) => enqueueNotices(client, channels, [req]));
}

/**
 * Writes notices' inbox rows and outbox rows on `client` (the caller's transaction): a step's
 * notices in two statements, one per table, whatever the number of recipients and channels.
 * With an `owner`, the rows belong to the delivery dispatcher (./notify/delivery.ts), which sends
 * them after the transaction commits; without, to the `notify` activity that enqueued them.
 * Returns the letters its held e-mails go into whose postbox has not been told yet, and how many
 * of the rows the dispatcher is to send now (neither held for a letter nor the `notify` activity's).
 */
export async function enqueueNotices(
  client: pg.PoolClient,
  channels: NotificationChannels,
  reqs: NotificationRequest[],
  owner?: { workflowId: string; letters?: LetterContext },
): Promise<{ letters: LetterSlot[]; sendNow: number }> {
  const composed = (await composeNotices(client, channels, reqs, owner))!;
  await insertInboxNotices(client, composed.inbox);
  await insertOutboxRows(client, composed.outbox);
  return { letters: composed.letters, sendNow: composed.sendNow };
}

/** A step's notices as rows, not written yet (enqueueNotices, store/steps.ts writeStepAtOnce). */
export interface ComposedNotices {
  inbox: InboxInsert[];
  outbox: OutboxInsert[];
  /** Letters reserved here whose postbox has not been told yet. */
  letters: LetterSlot[];
  /** How many outbox rows the dispatcher is to send now. */
  sendNow: number;
}

/**
 * The rows enqueueNotices writes. With `client` (in the caller's transaction) it reads and reserves
 * letters as it goes; without one it reads nothing, and answers undefined when a letter needs the
 * database: an assignment letter to choose, a letter time this process has not announced.
 */
export async function composeNotices(
  client: pg.PoolClient | undefined,
  channels: NotificationChannels,
  reqs: NotificationRequest[],
  owner?: { workflowId: string; letters?: LetterContext },
): Promise<ComposedNotices | undefined> {
  const letters: LetterSlot[] = [];
  const inbox: InboxInsert[] = [];
  const outbox: OutboxInsert[] = [];
  for (const req of reqs) {
    const rowOwner = owner ? { workflowId: owner.workflowId, directiveId: req.directive.id, obligationId: req.obligation.id, unitId: req.unit.id } : undefined;
    for (const to of [...new Set(req.to)]) {
      const { subject, text } = renderNotice(req, to, channels.portalUrl);
      inbox.push({
        key: `${req.key}:inbox:${to}`,
        unitId: to,
        kind: req.kind,
        directiveId: req.directive.id,
        obligationId: req.obligation.id,
        cycle: req.cycle,
        ...(req.due !== undefined ? { due: req.due } : {}),
        subject,
        body: text,
        at: req.at,
      });
      const row = (channel: OutboxInsert['channel'], body: string, payload: OutboxInsert['payload']): OutboxInsert => ({
        key: `${req.key}:${channel}:${to}`,
        requestKey: req.key,
        channel,
        recipient: to,
        subject,
        body,
        payload,
        ...(rowOwner ? { owner: rowOwner } : {}),
      });
      const address = recipientUnit(req, to)?.email;
      if (channels.email && address) {
        const email = row('email', text, { address, at: req.at });
        const ctx = owner?.letters;
        let openSlot: string | undefined;
        if (ctx && isAssignment(req)) {
          if (!client) return undefined;
          openSlot = await openAssignmentSlot(client, req.directive.id, to);
        }
        const choice = ctx ? chooseLetter(req, to, ctx.calendar(req.directive.calendar.id), openSlot) : ({ hold: false } as const);
        if (choice.hold && ctx) {
          const slot: LetterSlot = { directiveId: req.directive.id, recipient: to, slot: choice.slot, kind: choice.kind, clockOffsetMs: ctx.clockOffsetMs };
          // One row per letter: a step whose notices share a letter reserves it once, and a daily
          // letter time this process already announced needs no query at all (most notices).
          const known = choice.kind === 'digest' && ctx.announced?.has(`${slot.directiveId}|${slot.slot}`);
          if (!known && !letters.some((l) => l.recipient === to && l.slot === slot.slot)) {
            if (!client) return undefined;
            if (await reserveLetter(client, slot)) letters.push(slot);
          }
          // A held e-mail has no next attempt: its letter is sent, not it (see ./notify/letters.ts).
          email.held = { until: choice.slot, notice: heldNotice(req, email.key, recipientUnit(req, to) ?? { id: to, name: { vi: to }, kind: 'unit' }, channels.portalUrl) };
        }
        outbox.push(email);
      }
      const target = channels.webhook?.targetFor(to);
      if (target) outbox.push(row('webhook', webhookBody(req, to, subject, text), { url: target.url }));
    }
  }
  return { inbox, outbox, letters, sendNow: outbox.filter((r) => r.owner && !r.held).length };
}

/**
 * What enqueueNotices needs to hold e-mails for letters: the directive's calendar and clock. The
 * caller holds the recipients' letter locks (`lockRecipientLetters`) for the transaction.
 */
export interface LetterContext {
  calendar: (id: string) => WorkingCalendar;
  /** The instances' virtual epoch (InstanceInput.clockOffsetMs), for the postbox workflow. */
  clockOffsetMs: number;
  /** `directive|slot` of letter times this process has announced (announced stays announced). */
  announced?: ReadonlySet<string>;
}

/**
 * The body is stored and re-sent byte for byte, so every attempt carries the same `key`, the
 * receiver's idempotency key; the signature covers it with the attempt's time (./notify/webhook.ts).
 */
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

/**
 * How long a claimed outbox row is its claimant's (see ./notify/delivery.ts, `claimLeaseMs`):
 * more than twice the longest send (SMTP: 2 minutes in all, ./notify/email.ts; webhooks: 10 s),
 * so a live send is never claimed by another attempt.
 */
export const CLAIM_LEASE_MS = 5 * 60_000;

/** Who claims rows, for `claimed_by`: the host and process, and which instance in it. */
export function claimantId(role: string): string {
  return `${role}@${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * A `notify` attempt waits this long at most for rows of its request that another attempt has
 * claimed (overlapping retries finish in milliseconds); a longer claim (its process died
 * mid-send) makes it fail, and Temporal retries it after the backoff.
 */
const OTHER_ATTEMPT_WAIT_MS = 30_000;

/**
 * Delivers the unsent rows of one request; throws (so Temporal retries) if any failed. Each row
 * is claimed, sent with nothing open, then marked (store/outbox.ts), as the dispatcher does.
 */
async function dispatch(pool: pg.Pool, channels: NotificationChannels, claimant: string, requestKey: string): Promise<void> {
  const tried: string[] = [];
  const failures: DeliveryError[] = [];
  const waitUntil = Date.now() + OTHER_ATTEMPT_WAIT_MS;
  for (;;) {
    const row = await claimRequestNotice(pool, requestKey, claimant, CLAIM_LEASE_MS, tried);
    if (row) {
      tried.push(row.id);
      const failure = await sendNotice(channels, row);
      if (failure) {
        failures.push(failure);
        await releaseFailedNotice(pool, row.id, claimant, failure.reason);
      } else {
        await markNoticeSent(pool, row.id);
      }
      continue;
    }
    // Done unless another attempt holds some of the rows: then wait for it, so that success
    // means sent (and take over a row it failed).
    const other = await requestClaimWait(pool, requestKey, tried);
    if (other === undefined) break;
    if (Date.now() >= waitUntil) {
      const reason = `being sent by another attempt, whose claim ends in ${Math.ceil(other.waitMs / 1000)} s`;
      failures.push(new DeliveryError(other.channel, other.recipient, reason));
      break;
    }
    await new Promise((r) => setTimeout(r, Math.min(Math.max(other.waitMs, 20), 100)));
  }
  if (failures.length > 0) throw failures[0];
}

/** Sends one claimed row on its channel; the failure, if any, as a DeliveryError. */
export async function sendNotice(channels: NotificationChannels, row: ClaimedNotice): Promise<DeliveryError | undefined> {
  try {
    await send(channels, row);
    return undefined;
  } catch (err) {
    return err instanceof DeliveryError ? err : new DeliveryError(row.channel, row.recipient, err instanceof Error ? err.message : String(err), { cause: err });
  }
}

async function send(channels: NotificationChannels, row: ClaimedNotice): Promise<void> {
  if (row.channel === 'email') {
    if (!channels.email || !row.payload.address) throw new DeliveryError('email', row.recipient, 'no e-mail channel or address');
    await channels.email.send({
      // If the process dies after the SMTP server accepted the message but before the row was
      // marked sent, the row is sent again when its claim runs out, with the same Message-ID, and
      // mail clients and servers that de-duplicate on Message-ID show it once.
      messageId: messageId(row.key),
      to: row.payload.address,
      subject: row.subject,
      text: row.body,
      headers: { [IDEMPOTENCY_HEADER]: row.key, ...(row.payload.at ? { [NOTICE_AT_HEADER]: row.payload.at } : {}) },
      ...(row.payload.at ? { date: row.payload.at } : {}),
    });
    return;
  }
  const target = channels.webhook?.targetFor(row.recipient);
  if (!target) throw new DeliveryError('webhook', row.recipient, 'no webhook configured for this unit');
  await channels.webhook!.post(target, row.body, row.key);
}

/** The notice's own time; with a virtual clock (rehearsals, tests) it differs from the send time. */
export const NOTICE_AT_HEADER = 'X-Chithi-Notice-At';

/** Outbox keys contain ':' and '/', which a Message-ID may not; a hash is stable and valid. */
export function messageId(idempotencyKey: string): string {
  return `${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@chithi`;
}
