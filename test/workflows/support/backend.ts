import type pg from 'pg';
import type { NotificationKind, RuntimeActivities } from '../../../workflows/types.js';
import type { ReceivedMail } from '../../support/smtp.js';

/** One notice as it reached one recipient: an e-mail, alone or in a letter. */
export interface Delivered {
  key: string;
  kind: NotificationKind;
  /** Recipient unit id. */
  to: string;
  /** Workflow time of the notice (its inbox row). */
  at?: string;
  /** The e-mail's body. */
  text: string;
}

/** The activities a test worker runs, and what reached the recipients. */
export interface Backend {
  name: string;
  activities: RuntimeActivities;
  delivered(): Promise<Delivered[]>;
  close(): Promise<void>;
  /** The e-mails and the database, for tests of letters (several notices, one e-mail) and of the audit. */
  mail: { messages: ReceivedMail[]; pool: pg.Pool; idle(): Promise<void> };
}

/** `${workflowId}:${cycle}:${kind}:${index}` → its parts (workflow ids contain no colon). */
export function parseNoticeKey(key: string): { workflowId: string; cycle: number; kind: string; index: number } {
  const parts = key.split(':');
  const index = Number(parts.pop());
  const kind = parts.pop() ?? '';
  const cycle = Number(parts.pop());
  return { workflowId: parts.join(':'), cycle, kind, index };
}
