import { proxyActivities } from '@temporalio/workflow';
import { NON_RETRYABLE_ACTIVITY_ERRORS, type RuntimeActivities } from './types.js';

const nonRetryableErrorTypes = [...NON_RETRYABLE_ACTIVITY_ERRORS];

// The scheduler and the PostgreSQL store answer in milliseconds; a call that hangs is a dead
// connection, so time out early. Retry without a limit: a lost status row or audit line is worse
// than a late one, and the keys make repeats harmless.
export const store = proxyActivities<
  Pick<RuntimeActivities, 'scheduleCycle' | 'recordStatus' | 'recordAudit' | 'completedObligations'>
>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes },
});

// A mail relay can be down for hours. The notice key makes retries idempotent, so keep trying for
// three days; after that the notice is recorded as undelivered (see notices.ts) rather than
// blocking the obligation's deadlines forever.
export const mail = proxyActivities<Pick<RuntimeActivities, 'notify'>>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '3 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes },
});
