import type pg from 'pg';
import { loadCalendar, type WorkingCalendar } from '../compiler/calendar/index.js';
import type { StepRecord } from '../workflows/types.js';
import { inTransaction } from './db/tx.js';
import type { NotificationChannels } from './notify/channels.js';
import type { Delivery } from './notify/delivery.js';
import { temporalPostboxes, type Postboxes } from './notify/postbox.js';
import { isAssignment } from './notify/letters.js';
import { composeNotices, enqueueNotices, type LetterContext } from './notify.js';
import { appendAudits, chainableContents } from './store/audit.js';
import { upsertStatus } from './store/instances.js';
import { lockRecipientLetters, markSignalled, type LetterSlot } from './store/letters.js';
import { writeStepAtOnce } from './store/steps.js';

/**
 * recordStep: the projection row, the audit lines and the notices (inbox and outbox rows) of one
 * workflow step at once (one statement for most steps, writeAtOnce below; else one transaction),
 * so a report never shows a status whose notice or audit line is missing. Every row is keyed, so a retried step writes nothing twice. Sending is left to the
 * dispatcher, woken once the rows are committed; e-mails held for a letter are announced to the
 * directive's postbox workflow once per letter time (a retried step re-announces only what was
 * not: `postbox_slots.signalled_at`).
 */
export function createRecordStep(
  pool: pg.Pool,
  channels: NotificationChannels,
  delivery: Delivery,
  opts: { postboxes?: Postboxes; calendarDir?: string } = {},
): (step: StepRecord) => Promise<void> {
  const { calendarDir } = opts;
  const postboxes = opts.postboxes ?? temporalPostboxes();
  const calendar = (id: string): WorkingCalendar => (calendarDir === undefined ? loadCalendar(id) : loadCalendar(id, calendarDir));
  // Letter times announced by this process. Announced stays announced, so remembering it is safe;
  // it spares most held e-mails a query (Hanoi year under load: recordStep 71 → 58 ms on average). Bounded: a long-lived
  // worker forgets and asks the database again.
  const announced = new Set<string>();
  return async (step) => {
    const owner = { workflowId: step.workflowId, letters: { calendar, clockOffsetMs: step.clockOffsetMs ?? 0, announced } };
    const { letters, sendNow } = (await writeAtOnce(pool, channels, step, owner)) ?? (await inTransaction(pool, async (client) => {
      if (step.status) await upsertStatus(client, step.status);
      // Only the assignment letter is chosen from what is already in the database (the one still
      // gathering); a daily letter's time follows from the notice alone and needs no lock. Locking
      // every recipient serialised the steps of a whole directive on its coordinator and leadership
      // (recordStep 97 ms on average in the Hanoi year, against 15 ms without).
      const assigning = step.notices.filter(isAssignment);
      const directiveId = assigning[0]?.directive.id;
      if (directiveId !== undefined) await lockRecipientLetters(client, directiveId, assigning.flatMap((n) => n.to));
      const enqueued = await enqueueNotices(client, channels, step.notices, owner);
      // Last: an audit line locks its directive's chain head until the commit (store/audit.ts), so
      // every step of the directive waits for it; taken last, it is held for the commit alone, and
      // always after the letters' locks, in one order for every step.
      await appendAudits(client, step.audits);
      return enqueued;
    }));
    // Only for rows to send now. Most e-mails wait for a letter, which its composition kicks
    // (postbox.ts): kicking for them cost a claim that found nothing and a look for the next
    // attempt, 8,400 of the 45,500 statements of a year of 300 national instances.
    if (sendNow > 0) delivery.kick();
    const distinct = [...new Map(letters.map((l) => [l.slot, l])).values()];
    for (const letter of distinct) {
      await postboxes.announce(letter);
      await markSignalled(pool, letter);
      if (announced.size > 10_000) announced.clear();
      announced.add(`${letter.directiveId}|${letter.slot}`);
    }
  };
}

/**
 * Most steps (a timer's wake: a reminder, an overdue notice, an escalation, its e-mails held for
 * letter times already announced) read nothing and lock only their chain head: their rows and
 * lines go in one statement (store/steps.ts), where the transaction takes seven round trips. The
 * rest take the transaction: an assignment letter to choose, a letter time to reserve, a person's
 * action whose origin is looked up, a directive's first audit line, a step retried after its
 * commit. undefined when the step is not written here.
 * In a year of 600 national instances 7,329 of 8,220 steps went this way, and the year took 54.0
 * and 54.6 s instead of 57.8 and 58.5 s; the worker's writes to PostgreSQL's socket took 6.2 s of
 * its main thread's CPU instead of 12.7 s.
 */
async function writeAtOnce(
  pool: pg.Pool,
  channels: NotificationChannels,
  step: StepRecord,
  owner: { workflowId: string; letters: LetterContext },
): Promise<{ letters: LetterSlot[]; sendNow: number } | undefined> {
  if (step.notices.some(isAssignment)) return undefined;
  const audits = chainableContents(step.audits);
  if (!audits) return undefined;
  const notices = await composeNotices(undefined, channels, step.notices, owner);
  if (!notices) return undefined;
  const written = await writeStepAtOnce(pool, { ...(step.status && { status: step.status }), inbox: notices.inbox, outbox: notices.outbox, audits });
  return written ? { letters: [], sendNow: notices.sendNow } : undefined;
}
