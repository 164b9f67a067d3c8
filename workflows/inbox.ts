import { defineSignal, setHandler } from '@temporalio/workflow';
import { nowMs } from './clock.js';
import type { InboxItem, Instance } from './instance-context.js';
import {
  SIGNAL,
  type AmendSignal,
  type DecideExtensionSignal,
  type DependencyCompletedSignal,
  type RequestExtensionSignal,
  type ReviewSignal,
  type SubmitEvidenceSignal,
  type WithdrawSignal,
} from './types.js';

export const submitEvidenceSignal = defineSignal<[SubmitEvidenceSignal]>(SIGNAL.submitEvidence);
export const reviewSignal = defineSignal<[ReviewSignal]>(SIGNAL.review);
export const requestExtensionSignal = defineSignal<[RequestExtensionSignal]>(SIGNAL.requestExtension);
export const decideExtensionSignal = defineSignal<[DecideExtensionSignal]>(SIGNAL.decideExtension);
export const amendSignal = defineSignal<[AmendSignal]>(SIGNAL.amend);
export const withdrawSignal = defineSignal<[WithdrawSignal]>(SIGNAL.withdraw);
export const dependencyCompletedSignal = defineSignal<[DependencyCompletedSignal]>(SIGNAL.dependencyCompleted);

/**
 * Handlers only queue: the cycle loop applies signals one at a time between timers, so no two
 * steps ever run activities concurrently and the order in history is the order of arrival.
 */
export function registerSignals(inst: Instance): void {
  const push = (item: InboxItem): void => {
    inst.inbox.push(item);
  };
  setHandler(submitEvidenceSignal, (payload) => push({ signal: 'submitEvidence', payload, at: nowMs() }));
  setHandler(reviewSignal, (payload) => push({ signal: 'review', payload, at: nowMs() }));
  setHandler(requestExtensionSignal, (payload) => push({ signal: 'requestExtension', payload, at: nowMs() }));
  setHandler(decideExtensionSignal, (payload) => push({ signal: 'decideExtension', payload, at: nowMs() }));
  setHandler(amendSignal, (payload) => push({ signal: 'amend', payload, at: nowMs() }));
  setHandler(withdrawSignal, (payload) => push({ signal: 'withdraw', payload, at: nowMs() }));
  setHandler(dependencyCompletedSignal, (payload) => push({ signal: 'dependencyCompleted', payload, at: nowMs() }));
}
