import type pg from 'pg';
import type { StepRecord } from '../workflows/types.js';
import { appendAudit } from './audit.js';
import { inTransaction } from './db/tx.js';
import type { NotificationChannels } from './notify/channels.js';
import type { Delivery } from './notify/delivery.js';
import { enqueueNotice } from './notify.js';
import { upsertStatus } from './status.js';

/**
 * recordStep: the projection row, the audit lines and the notices (inbox and outbox rows) of one
 * workflow step in one transaction, so a report never shows a status whose notice or audit line
 * is missing. Every row is keyed, so a retried step writes nothing twice. Sending is left to the
 * dispatcher, woken once the rows are committed.
 */
export function createRecordStep(pool: pg.Pool, channels: NotificationChannels, delivery: Delivery): (step: StepRecord) => Promise<void> {
  return async (step) => {
    await inTransaction(pool, async (client) => {
      if (step.status) await upsertStatus(client, step.status);
      for (const e of step.audits) await appendAudit(client, e);
      for (const n of step.notices) await enqueueNotice(client, channels, n, { workflowId: step.workflowId });
    });
    if (step.notices.length > 0) delivery.kick();
  };
}
