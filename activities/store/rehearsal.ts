/**
 * Đọc lại những gì một buổi diễn tập (service/rehearse.ts) đã gửi, từ cơ sở dữ liệu dùng một lần
 * của nó: mỗi thông báo như hộp thư trong ứng dụng nhận, và thư điện tử nào đã mang nó đi.
 * Reads back what a rehearsal (service/rehearse.ts) sent, from its throwaway database: every
 * notice as the in-app inbox got it, and the e-mail that carried it.
 */
import type { InboxKind } from './inbox.js';
import { instant, type Db } from './rows.js';

export interface RehearsedNoticeRow {
  /** The inbox row's key: `<notice key>:inbox:<recipient>`. */
  key: string;
  /** The notice's key (NotificationRequest.key): the same for every recipient of one notice. */
  noticeKey: string;
  recipient: string;
  kind: InboxKind;
  obligationId?: string;
  /** The instance the notice is about (its workflow id), when a workflow issued it. */
  workflowId?: string;
  /** The unit whose duty it is about: the instance's assignee. */
  unitId?: string;
  cycle?: number;
  due?: string;
  /** The notice's own (business) time. */
  at: string;
  /**
   * Its e-mail: sent at once (`letter` absent), carried by a letter (its key and time), or still
   * held for a letter due after the rehearsal ends (`heldUntil`). Absent: no e-mail (no address).
   */
  email?: { at?: string; letter?: string; heldUntil?: string };
}

/**
 * rehearsedNotices(db, directiveId, before) → every inbox row of the directive issued before
 * `before` (the rehearsal's end), with its e-mail, in time order.
 */
export async function rehearsedNotices(db: Db, directiveId: string, before: Date): Promise<RehearsedNoticeRow[]> {
  // An inbox row `<k>:inbox:<to>` has its e-mail row `<k>:email:<to>` (notify.ts enqueueNotice);
  // a held one points at the letter that carried it (letter_key), whose payload has the letter's time.
  const { rows } = await db.query<{
    key: string; recipient: string; kind: InboxKind; obligation_id: string | null; cycle: number | null; due: string | null; at: Date;
    workflow_id: string | null; unit_id: string | null; email_key: string | null; email_at: string | null; hold_until: Date | null;
    letter_key: string | null; letter_at: string | null;
  }>(
    `SELECT i.idempotency_key AS key, i.unit_id AS recipient, i.kind, i.obligation_id, i.cycle, i.due::text AS due, i.at,
            n.workflow_id, n.unit_id,
            e.idempotency_key AS email_key, e.payload->>'at' AS email_at, e.hold_until,
            l.idempotency_key AS letter_key, l.payload->>'at' AS letter_at
       FROM inbox i
       LEFT JOIN instances n ON n.workflow_id = split_part(i.idempotency_key, ':', 1)
       LEFT JOIN outbox e ON e.idempotency_key = replace(i.idempotency_key, ':inbox:', ':email:')
       LEFT JOIN outbox l ON l.idempotency_key = e.letter_key
      WHERE i.directive_id = $1 AND i.at < $2
      ORDER BY i.at, i.id`,
    [directiveId, before],
  );
  return rows.map((r) => {
    const email: RehearsedNoticeRow['email'] =
      r.email_key === null
        ? undefined
        : r.hold_until === null
          ? { ...(r.email_at !== null && { at: instant(r.email_at)! }) }
          : r.letter_key !== null
            ? { at: instant(r.letter_at)!, letter: r.letter_key }
            : { heldUntil: instant(r.hold_until)! };
    const cut = r.key.lastIndexOf(':inbox:');
    return {
      key: r.key,
      noticeKey: cut >= 0 ? r.key.slice(0, cut) : r.key,
      recipient: r.recipient,
      kind: r.kind,
      ...(r.obligation_id !== null && { obligationId: r.obligation_id }),
      ...(r.workflow_id !== null && { workflowId: r.workflow_id }),
      ...(r.unit_id !== null && { unitId: r.unit_id }),
      ...(r.cycle !== null && { cycle: r.cycle }),
      ...(r.due !== null && { due: r.due }),
      at: instant(r.at)!,
      ...(email && { email }),
    };
  });
}

export interface RehearsedEmailRow {
  key: string;
  recipient: string;
  address: string;
  /** Business time it leaves: the notice's, or the letter's. */
  at: string;
  subject: string;
  /** A letter (`letter:…`) gathering `notices` notices, or one notice's own e-mail (1). */
  letter: boolean;
  notices: number;
}

/**
 * rehearsedEmails(db, directiveId, before) → the e-mails that left before `before` (letters and
 * notices sent at once), in time order.
 */
export async function rehearsedEmails(db: Db, directiveId: string, before: Date): Promise<RehearsedEmailRow[]> {
  // Held rows are not e-mails of their own: their letter is (hold_until set on them only).
  const { rows } = await db.query<{ key: string; recipient: string; address: string; at: string; subject: string; carried: number }>(
    `SELECT o.idempotency_key AS key, o.recipient, o.payload->>'address' AS address, o.payload->>'at' AS at, o.subject,
            coalesce(h.carried, 0) AS carried
       FROM outbox o
       LEFT JOIN (SELECT letter_key, count(*)::int AS carried FROM outbox WHERE directive_id = $1 AND letter_key IS NOT NULL GROUP BY letter_key) h
         ON h.letter_key = o.idempotency_key
      WHERE o.directive_id = $1 AND o.channel = 'email' AND o.hold_until IS NULL AND (o.payload->>'at')::timestamptz < $2
      ORDER BY o.payload->>'at', o.id`,
    [directiveId, before],
  );
  return rows.map((r) => {
    const letter = r.key.startsWith('letter:');
    return { key: r.key, recipient: r.recipient, address: r.address, at: instant(r.at)!, subject: r.subject, letter, notices: letter ? r.carried : 1 };
  });
}
