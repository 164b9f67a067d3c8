import { condition, continueAsNew, defineSignal, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { nowMs, setClockOffset, toIso, toMs } from './clock.js';
import {
  LETTER_DUE_SIGNAL,
  NON_RETRYABLE_ACTIVITY_ERRORS,
  type LetterDueSignal,
  type PostboxInput,
  type RuntimeActivities,
} from './types.js';

export const letterDueSignal = defineSignal<[LetterDueSignal]>(LETTER_DUE_SIGNAL);

// One database transaction, like recordStep: a local activity, retried until it succeeds (the
// letter key and the marks on the held rows make a retry harmless).
const letters = proxyLocalActivities<Pick<RuntimeActivities, 'composeLetter'>>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: [...NON_RETRYABLE_ACTIVITY_ERRORS] },
});

/**
 * A letter time costs about four history events whatever the number of letters; a new run every
 * 200 compositions keeps a history well under Temporal's limits for a directive that runs for years.
 */
const COMPOSITIONS_PER_RUN = 200;

/**
 * postbox(directive): sleeps until the earliest letter time it was told of (recordStep's
 * `letterDue` signals, one per letter time, not one per notice or recipient), then has each
 * recipient's letter composed from every e-mail held for it. On the business clock of the directive's instances, so
 * a rehearsal or a time-skipping test sees its letters at their own dates. Idle costs nothing: it
 * waits for the next signal.
 */
export async function postbox(input: PostboxInput): Promise<void> {
  setClockOffset(input.clockOffsetMs ?? 0);
  const slots = new Set<number>((input.slots ?? []).map(toMs));
  setHandler(letterDueSignal, ({ slot }) => {
    slots.add(toMs(slot));
  });
  const earliest = (): number => Math.min(...slots);
  let seq = input.seq ?? 0;
  for (let run = 0; run < COMPOSITIONS_PER_RUN && !workflowInfo().continueAsNewSuggested; run++) {
    if (slots.size === 0) await condition(() => slots.size > 0);
    const due = earliest();
    // A letter announced meanwhile for an earlier time (an assignment letter while the daily one
    // waits) wakes the loop to take that one first.
    if (due > nowMs() && (await condition(() => earliest() < due, due - nowMs()))) continue;
    const result = await letters.composeLetter({ workflowId: workflowInfo().workflowId, directiveId: input.directiveId, upTo: toIso(due), seq });
    seq++;
    for (const s of [...slots]) if (s <= due) slots.delete(s);
    if (result.next !== undefined) slots.add(toMs(result.next));
  }
  await continueAsNew<typeof postbox>({ ...input, slots: [...slots].sort((a, b) => a - b).map(toIso), seq });
}
