import { defineSignal, setHandler } from '@temporalio/workflow';
import { nowMs } from './clock.js';
import type { InboxItem, Instance } from './instance-context.js';
import {
  SIGNAL,
  type AmendSignal,
  type DecideExtensionSignal,
  type DependencyCompletedSignal,
  type ReaddSignal,
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
export const readdSignal = defineSignal<[ReaddSignal]>(SIGNAL.readd);

/**
 * Handlers only queue: the cycle loop applies signals one at a time between timers, so no two
 * steps ever run activities concurrently and the order in history is the order of arrival.
 */
export function registerSignals(inst: Instance): void {
  const push = (item: InboxItem): void => {
    inst.inbox.push(item);
    // Sent after the re-add (an amendment by a later deploy, evidence for the re-added unit): they
    // are the next generation's, and this run, withdrawn, would drop them.
    if (inst.readd !== undefined) inst.afterReadd.push(item);
  };
  setHandler(submitEvidenceSignal, (payload) => push({ signal: 'submitEvidence', payload, at: nowMs() }));
  setHandler(reviewSignal, (payload) => push({ signal: 'review', payload, at: nowMs() }));
  setHandler(requestExtensionSignal, (payload) => push({ signal: 'requestExtension', payload, at: nowMs() }));
  setHandler(decideExtensionSignal, (payload) => push({ signal: 'decideExtension', payload, at: nowMs() }));
  setHandler(amendSignal, (payload) => push({ signal: 'amend', payload, at: nowMs() }));
  setHandler(withdrawSignal, (payload) => {
    // A withdrawal cancels a re-add that arrived before it: the unit was removed again.
    inst.withdrawReceived = true;
    inst.readd = undefined;
    push({ signal: 'withdraw', payload, at: nowMs() });
  });
  // Not queued: it matters only once the withdrawal before it has ended the run (instance.ts), and
  // only a run that received a withdrawal keeps it (otherwise this run is the one the deploy meant).
  setHandler(readdSignal, (payload) => {
    if (!inst.withdrawReceived) return;
    inst.readd = payload;
    inst.afterReadd = [];
  });
  setHandler(dependencyCompletedSignal, (payload) => push({ signal: 'dependencyCompleted', payload, at: nowMs() }));
}
