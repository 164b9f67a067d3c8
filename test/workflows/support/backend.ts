import type pg from 'pg';
import type { NotificationKind, RuntimeActivities } from '../../../workflows/types.js';
import type { ReceivedMail } from '../../support/smtp.js';

/** One notice as it reached one recipient (an e-mail, or a memory record). */
export interface Delivered {
  key: string;
  kind: NotificationKind;
  /** Recipient unit id. */
  to: string;
  /** Workflow time of the notice, when the channel shows it. */
  at?: string;
  detail: Record<string, string>;
  /** The message body, for channels that render one. */
  text?: string;
}

/** The activities a test worker runs, and what reached the recipients. */
export interface Backend {
  name: string;
  activities: RuntimeActivities;
  delivered(): Promise<Delivered[]>;
  /** Whether `Delivered.at` is the workflow time of the notice. */
  timestamps: boolean;
  /** Whether `Delivered.detail` is filled. */
  details: boolean;
  close(): Promise<void>;
  /** The real backend's e-mails and database, for tests of letters (several notices, one e-mail). */
  mail?: { messages: ReceivedMail[]; pool: pg.Pool; idle(): Promise<void> };
}

/** `${workflowId}:${cycle}:${kind}:${index}` → its parts (workflow ids contain no colon). */
export function parseNoticeKey(key: string): { workflowId: string; cycle: number; kind: string; index: number } {
  const parts = key.split(':');
  const index = Number(parts.pop());
  const kind = parts.pop() ?? '';
  const cycle = Number(parts.pop());
  return { workflowId: parts.join(':'), cycle, kind, index };
}
