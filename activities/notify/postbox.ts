import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import {
  LETTER_DUE_SIGNAL,
  POSTBOX_WORKFLOW,
  postboxWorkflowId,
  type ComposeLetterRequest,
  type ComposeLetterResult,
  type LetterDueSignal,
  type PostboxInput,
} from '../../workflows/types.js';
import { inTransaction } from '../db/tx.js';
import type { Plan } from '../../compiler/plan.js';
import { closeEmptyLetters, directiveStanding, type DirectiveStanding, dueRecipients, hadAssignmentLetter, insertLetter, latestPlan, nextHeldSlot, takeHeldNotices, type LetterSlot } from '../store/letters.js';
import { isAssignment } from './letters.js';
import type { Delivery } from './delivery.js';
import { renderLetter, type HeldNotice, type OtherDuties } from './letter-templates.js';

/** Tells a directive's postbox workflow that letters are due at a time (starting it if needed). */
export interface Postboxes {
  announce(letter: Pick<LetterSlot, 'directiveId' | 'slot' | 'clockOffsetMs'>): Promise<void>;
}

/**
 * Postboxes reached through a Temporal client: the worker's own (the activity context's) unless
 * one is given. `signalWithStart` makes the first announcement start the workflow, so deploying
 * needs to know nothing about letters.
 */
export function temporalPostboxes(opts: { client?: Client; taskQueue?: string } = {}): Postboxes {
  return {
    async announce(letter) {
      const client = opts.client ?? Context.current().client;
      const taskQueue = opts.taskQueue ?? Context.current().info.taskQueue;
      const input: PostboxInput = {
        directiveId: letter.directiveId,
        ...(letter.clockOffsetMs !== 0 ? { clockOffsetMs: letter.clockOffsetMs } : {}),
      };
      const signal: LetterDueSignal = { slot: letter.slot };
      await client.workflow.signalWithStart(POSTBOX_WORKFLOW, {
        workflowId: postboxWorkflowId(letter.directiveId),
        taskQueue,
        args: [input],
        signal: LETTER_DUE_SIGNAL,
        signalArgs: [signal],
      });
    },
  };
}

/**
 * A page of recipients per call keeps one composition (a local activity, inside a workflow task)
 * short however many units a national directive has; the rest follow in the next call.
 */
const RECIPIENTS_PER_CALL = 50;

/** Recipients composed at once: a few pooled connections, not the worker's whole pool. */
const COMPOSE_LANES = 4;

/**
 * composeLetter: for each recipient with held e-mails due by `upTo` (a page at a time), takes
 * them (row-locked), writes one letter row keyed `letter:<directive>:<recipient>:<upTo>:<seq>` and
 * marks the held rows as carried by it, in one transaction per recipient; the dispatcher sends the
 * letters. A retry, or a crash between composing and sending, neither loses nor doubles a letter:
 * the key and the marks are committed together, and the dispatcher sends a committed row once.
 * Nothing held: no letter.
 */
export function createComposeLetter(pool: pg.Pool, delivery: Delivery): (req: ComposeLetterRequest) => Promise<ComposeLetterResult> {
  return async (req) => {
    let composed = 0;
    // The postbox's workflow task waits on this call, and on the time-skipping server (rehearsals,
    // tests, the year benchmark) so does the clock of every other instance: recipients are composed
    // a few at a time (each its own transaction), and the directive's standing is read once.
    const queue = await dueRecipients(pool, req.directiveId, req.upTo, RECIPIENTS_PER_CALL);
    // Read on the connection of the composition that first needs it, inside its transaction: from
    // the pool it would wait for a second connection while holding one, for ever on the embedded
    // PGlite (one connection; seen: a rehearsal stuck at its first escalation letter).
    let standing: Promise<DirectiveStanding> | undefined;
    const standingOnce = (db: pg.PoolClient): Promise<DirectiveStanding> => (standing ??= directiveStanding(db, req.directiveId));
    const lanes = Array.from({ length: Math.min(COMPOSE_LANES, queue.length) }, async () => {
      for (let r = queue.shift(); r !== undefined; r = queue.shift()) if (await composeOne(pool, req, r, standingOnce)) composed++;
    });
    await Promise.all(lanes);
    if (composed > 0) delivery.kick();
    const next = await nextHeldSlot(pool, req.directiveId);
    return { composed, ...(next !== undefined ? { next } : {}) };
  };
}

async function composeOne(pool: pg.Pool, req: ComposeLetterRequest, recipient: string, standingOf: (db: pg.PoolClient) => Promise<DirectiveStanding>): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    const held = await takeHeldNotices(client, req.directiveId, recipient, req.upTo);
    const key = `letter:${req.directiveId}:${recipient}:${req.upTo}:${req.seq}`;
    const address = held.find((h) => h.address)?.address;
    if (held.length === 0 || address === undefined) {
      // Nothing to send (taken by another composition, or no address): close, so it is not taken again.
      await closeEmptyLetters(client, req.directiveId, recipient, req.upTo, held.map((h) => h.id));
      return false;
    }
    const notices = held.map((h) => h.notice);
    const standing = notices.some((n) => n.kind === 'escalation') ? await standingOf(client) : undefined;
    const { subject, text } = renderLetter(notices, req.upTo, standing, await otherDuties(client, req, recipient, notices));
    return insertLetter(
      client,
      { key, workflowId: req.workflowId, directiveId: req.directiveId, recipient, address, subject, body: text, at: req.upTo },
      held.map((h) => h.id),
    );
  });
}

/**
 * The first assignment letter of a directive lists every duty it gives the recipient, not only
 * the ones whose cycle opened: duties that start when an event is reported, and tasks that wait
 * for a prerequisite, come from the deployed plan.
 */
async function otherDuties(client: pg.PoolClient, req: ComposeLetterRequest, recipient: string, notices: HeldNotice[]): Promise<OtherDuties | undefined> {
  const assigned = notices.filter((n) => n.kind === 'opened' && isAssignment(n));
  if (assigned.length === 0 || (await hadAssignmentLetter(client, req.directiveId, recipient, req.upTo))) return undefined;
  const plan = (await latestPlan(client, req.directiveId)) as Plan | undefined;
  if (!plan) return undefined;
  const told = new Set(notices.map((n) => n.obligation.id));
  return {
    duties: plan.obligations.filter((o) => o.assignees.includes(recipient) && !told.has(o.id)),
    clauses: Object.fromEntries(plan.obligations.map((o) => [o.id, o.clause])),
  };
}
