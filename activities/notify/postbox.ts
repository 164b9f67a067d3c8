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
import { closeEmptyLetters, directiveStanding, hadAssignmentLetter, insertLetter, latestPlan, nextHeldSlot, takeHeldNotices, type LetterSlot } from '../store/letters.js';
import { isAssignment } from './letters.js';
import type { Delivery } from './delivery.js';
import { renderLetter, type HeldNotice, type OtherDuties } from './letter-templates.js';

/** Tells a recipient's postbox workflow that a letter is due (starting the workflow if needed). */
export interface Postboxes {
  announce(letter: LetterSlot): Promise<void>;
}

/**
 * Postboxes reached through a Temporal client: the worker's own (the activity context's) unless
 * one is given. `signalWithStart` makes the first announcement start the workflow, so deploying
 * needs to know nothing about letters.
 */
export function temporalPostboxes(opts: { client?: Client; taskQueue?: string } = {}): Postboxes {
  return {
    async announce(letter) {
      const inActivity = Context.current();
      const client = opts.client ?? inActivity.client;
      const taskQueue = opts.taskQueue ?? inActivity.info.taskQueue;
      const input: PostboxInput = {
        directiveId: letter.directiveId,
        recipient: letter.recipient,
        ...(letter.clockOffsetMs !== 0 ? { clockOffsetMs: letter.clockOffsetMs } : {}),
      };
      const signal: LetterDueSignal = { slot: letter.slot };
      await client.workflow.signalWithStart(POSTBOX_WORKFLOW, {
        workflowId: postboxWorkflowId(letter.directiveId, letter.recipient),
        taskQueue,
        args: [input],
        signal: LETTER_DUE_SIGNAL,
        signalArgs: [signal],
      });
    },
  };
}

/**
 * composeLetter: takes every held e-mail of the recipient due by `upTo` (row-locked), writes one
 * letter row keyed `letter:<directive>:<recipient>:<upTo>:<seq>` and marks the held rows as carried by
 * it, in one transaction; the dispatcher sends the letter. A retry, or a crash between composing
 * and sending, neither loses nor doubles a letter: the key and the marks are committed together,
 * and the dispatcher sends a committed row once. Nothing held: no letter.
 */
export function createComposeLetter(pool: pg.Pool, delivery: Delivery): (req: ComposeLetterRequest) => Promise<ComposeLetterResult> {
  return async (req) => {
    const composed = await inTransaction(pool, async (client) => {
      const held = await takeHeldNotices(client, req.directiveId, req.recipient, req.upTo);
      const address = held.find((h) => h.address)?.address;
      if (held.length === 0 || address === undefined) {
        await closeEmptyLetters(client, req.directiveId, req.recipient, req.upTo);
        return false;
      }
      const escalations = held.some((h) => h.notice.kind === 'escalation');
      const standing = escalations ? await directiveStanding(client, req.directiveId) : undefined;
      const { subject, text } = renderLetter(
        held.map((h) => h.notice),
        req.upTo,
        standing,
        await otherDuties(client, req, held.map((h) => h.notice)),
      );
      return insertLetter(
        client,
        {
          key: `letter:${req.directiveId}:${req.recipient}:${req.upTo}:${req.seq}`,
          workflowId: req.workflowId,
          directiveId: req.directiveId,
          recipient: req.recipient,
          address,
          subject,
          body: text,
          at: req.upTo,
          notices: held.map((h) => h.notice.key),
        },
        held.map((h) => h.id),
      );
    });
    if (composed) delivery.kick();
    const next = await nextHeldSlot(pool, req.directiveId, req.recipient);
    return { composed, ...(next !== undefined ? { next } : {}) };
  };
}

/**
 * The first assignment letter of a directive lists every duty it gives the recipient, not only
 * the ones whose cycle opened: duties that start when an event is reported, and tasks that wait
 * for a prerequisite, come from the deployed plan.
 */
async function otherDuties(client: pg.PoolClient, req: ComposeLetterRequest, notices: HeldNotice[]): Promise<OtherDuties | undefined> {
  const assigned = notices.filter((n) => n.kind === 'opened' && isAssignment(n));
  if (assigned.length === 0 || (await hadAssignmentLetter(client, req.directiveId, req.recipient, req.upTo))) return undefined;
  const plan = (await latestPlan(client, req.directiveId)) as Plan | undefined;
  if (!plan) return undefined;
  const told = new Set(notices.map((n) => n.obligation.id));
  return {
    duties: plan.obligations.filter((o) => o.assignees.includes(req.recipient) && !told.has(o.id)),
    clauses: Object.fromEntries(plan.obligations.map((o) => [o.id, o.clause])),
  };
}
