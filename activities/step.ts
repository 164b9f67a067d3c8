import type pg from 'pg';
import { loadCalendar, type WorkingCalendar } from '../compiler/calendar/index.js';
import type { StepRecord } from '../workflows/types.js';
import { appendAudit } from './audit.js';
import { inTransaction } from './db/tx.js';
import type { NotificationChannels } from './notify/channels.js';
import type { Delivery } from './notify/delivery.js';
import { temporalPostboxes, type Postboxes } from './notify/postbox.js';
import { enqueueNotice } from './notify.js';
import { upsertStatus } from './status.js';
import { lockRecipientLetters, markSignalled, unsignalledLetters, type LetterSlot } from './store/letters.js';

/**
 * recordStep: the projection row, the audit lines and the notices (inbox and outbox rows) of one
 * workflow step in one transaction, so a report never shows a status whose notice or audit line
 * is missing. Every row is keyed, so a retried step writes nothing twice. Sending is left to the
 * dispatcher, woken once the rows are committed; e-mails held for a letter are announced to the
 * recipient's postbox workflow once per letter (a retried step re-announces only what was not).
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
  return async (step) => {
    const letters: LetterSlot[] = [];
    await inTransaction(pool, async (client) => {
      if (step.status) await upsertStatus(client, step.status);
      for (const e of step.audits) await appendAudit(client, e);
      const owner = { workflowId: step.workflowId, letters: { calendar, clockOffsetMs: step.clockOffsetMs ?? 0 } };
      const directiveId = step.notices[0]?.directive.id;
      if (directiveId !== undefined) await lockRecipientLetters(client, directiveId, step.notices.flatMap((n) => n.to));
      for (const n of step.notices) letters.push(...(await enqueueNotice(client, channels, n, owner)));
    });
    if (step.notices.length > 0) delivery.kick();
    const distinct = [...new Map(letters.map((l) => [`${l.recipient}|${l.slot}`, l])).values()];
    for (const letter of await unsignalledLetters(pool, distinct)) {
      await postboxes.announce(letter);
      await markSignalled(pool, letter);
    }
  };
}
