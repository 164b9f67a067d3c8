import type pg from 'pg';
import type { RuntimeActivities } from '../workflows/types.js';
import { createCompletedObligations, createPrerequisiteCompletion } from './dependencies.js';
import type { NotificationChannels } from './notify/channels.js';
import type { Delivery } from './notify/delivery.js';
import { createNotify } from './notify.js';
import { createComposeLetter, type Postboxes } from './notify/postbox.js';
import { createScheduleCycle } from './schedule.js';
import { createRecordStatus } from './status.js';
import { createRecordStep } from './step.js';
import { createRecordAudit } from './store/audit.js';

export interface ActivityDeps {
  pool: pg.Pool;
  channels: NotificationChannels;
  /** The process's outbox dispatcher (`startDelivery({ pool, channels })`), woken after each step. */
  delivery: Delivery;
  /** Folder of working-day calendars; default: the compiler's (directives/calendars). */
  calendarDir?: string;
  /** Where held e-mails' letters are announced; default: the worker's Temporal client. */
  postboxes?: Postboxes;
}

/** The activities the worker registers; every dependency is injected so tests use loopback servers. */
export function createActivities(deps: ActivityDeps): RuntimeActivities {
  return {
    scheduleCycle: createScheduleCycle(deps.calendarDir),
    recordStep: createRecordStep(deps.pool, deps.channels, deps.delivery, {
      ...(deps.postboxes && { postboxes: deps.postboxes }),
      ...(deps.calendarDir !== undefined && { calendarDir: deps.calendarDir }),
    }),
    composeLetter: createComposeLetter(deps.pool, deps.delivery),
    notify: createNotify(deps.pool, deps.channels),
    recordStatus: createRecordStatus(deps.pool),
    recordAudit: createRecordAudit(deps.pool),
    completedObligations: createCompletedObligations(deps.pool),
    prerequisiteCompletion: createPrerequisiteCompletion(deps.pool),
  };
}

export { migrate, migrateAsOwner } from './db/migrate.js';
export { createPool } from './db/pool.js';
export type { EmailChannel, EmailMessage, NotificationChannels, WebhookChannel, WebhookTarget } from './notify/channels.js';
export { channelsFromEnv, DEFAULT_MAIL_DIR } from './notify/env.js';
export { fileEmailChannel, smtpEmailChannel } from './notify/email.js';
export { startDelivery, type Delivery, type DeliveryOptions } from './notify/delivery.js';
export { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody, webhookChannel } from './notify/webhook.js';
export { renderNotice } from './notify/templates.js';
export { temporalPostboxes, type Postboxes } from './notify/postbox.js';
export { computeSchedule } from './schedule.js';
export * from './errors.js';
