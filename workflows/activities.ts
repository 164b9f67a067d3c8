import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { isPatched } from './patches.js';
import { NON_RETRYABLE_ACTIVITY_ERRORS, type HistoryActivities, type RuntimeActivities } from './types.js';

const nonRetryableErrorTypes = [...NON_RETRYABLE_ACTIVITY_ERRORS];

// The scheduler and the PostgreSQL store answer in milliseconds; a call that hangs is a dead
// connection, so time out early. Retry without a limit: a lost status row or audit line is worse
// than a late one, and the keys make repeats harmless.
export const store = proxyActivities<
  Pick<RuntimeActivities, 'scheduleCycle' | 'recordStatus' | 'recordAudit' | 'completedObligations' | 'prerequisiteCompletion'>
>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes },
});

// Histories from before journal.ts only: there a notice was delivered inside this activity. A mail
// relay can be down for hours; the notice key makes retries idempotent, so it kept trying for three
// days, then recorded the notice as undelivered (notices.ts) rather than block the deadlines.
export const mail = proxyActivities<Pick<RuntimeActivities, 'notify'>>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '3 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes },
});

type Records = Pick<RuntimeActivities, 'recordStatus' | 'recordAudit' | 'recordStep'>;

// The projection row and the audit line are single idempotent INSERTs: as local activities they
// run inside the workflow task instead of a server round trip each, which was half of all
// activity traffic (`npm run bench`, year of Hanoi 3968). Retried until they succeed, as above.
const localRecords = proxyLocalActivities<Records>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes },
});

export function records(): Pick<Records, 'recordStatus' | 'recordAudit'> {
  return isPatched('local-records-v1') ? localRecords : store;
}

/** One transaction per step (see journal.ts); a local activity like the records above. */
export const steps: Pick<Records, 'recordStep'> = localRecords;

// A read of the run's own history (when a signal reached the server). Retried for a few minutes
// only: the caller then judges by the time the worker took the signal up, as before, rather than
// hold the instance while Temporal cannot answer.
export const history = proxyActivities<HistoryActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes },
});
