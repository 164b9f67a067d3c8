import { ActivityFailure, workflowInfo } from '@temporalio/workflow';
import { history } from './activities.js';
import { nowIso, nowMs, toIso, toMs } from './clock.js';
import { markOverdue } from './escalation.js';
import type { Instance } from './instance-context.js';
import { audit, commit, notice } from './notices.js';
import { isPatched } from './patches.js';
import { completionRecipients } from './recipients.js';
import { setStatus } from './state.js';
import { SIGNAL, type ReviewSignal, type SubmitEvidenceSignal } from './types.js';

export async function onSubmitEvidence(inst: Instance, s: SubmitEvidenceSignal, at: number): Promise<void> {
  if (inst.state.submissions.some((x) => x.submissionId === s.submissionId)) {
    // A client retry of a signal it could not confirm; the first one counts.
    await audit(inst, 'submission-repeated', s.submittedBy, { submissionId: s.submissionId });
    return;
  }
  // Taken up after the due date: it may have been sent before it, while no worker ran. Only then is
  // it worth asking when the server received it; before the due date the arrival settles it.
  const received = at > inst.timers.dueMs && isPatched('received-at-v1') ? await receivedAt(inst, s.submissionId, at) : at;
  inst.state.submissions.push({ submissionId: s.submissionId, at: toIso(received) });
  await audit(inst, 'evidence-submitted', s.submittedBy, {
    submissionId: s.submissionId,
    items: s.items.map((i) => i.name),
    ...(s.note !== undefined ? { note: s.note } : {}),
    ...(received !== at ? { receivedAt: toIso(received), takenUpAt: toIso(at) } : {}),
  });
  await setStatus(inst, 'awaiting-review');
  await notice(inst, 'submitted', [inst.input.obligation.reviewer], {
    submissionId: s.submissionId,
    submittedBy: s.submittedBy,
  });
}

/**
 * When the server received the submission's signal, in business time (the history event's time
 * plus the clock offset, as nowMs() adds it to workflow time), never later than its arrival. The
 * arrival when history has no such signal (one carried from the previous run) or cannot be read:
 * a lookup that fails must not hold the instance.
 */
async function receivedAt(inst: Instance, submissionId: string, arrival: number): Promise<number> {
  try {
    const t = await history.signalReceivedAt({ workflowId: inst.workflowId, runId: workflowInfo().runId, signal: SIGNAL.submitEvidence, key: 'submissionId', value: submissionId });
    return t === undefined ? arrival : Math.min(arrival, toMs(t) + (inst.input.clockOffsetMs ?? 0));
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    await audit(inst, 'received-at-unknown', 'system', { submissionId, error: err.cause?.message ?? err.message });
    return arrival;
  }
}

/** Returns true when the review completed the cycle. */
export async function onReview(inst: Instance, r: ReviewSignal): Promise<boolean> {
  const sub = inst.state.submissions.find((x) => x.submissionId === r.submissionId);
  const reviewId: Record<string, string> = r.reviewId !== undefined ? { reviewId: r.reviewId } : {};
  if (sub === undefined || sub.decision !== undefined) {
    // The CLI sends a stored decision again when it could not confirm the first signal: the same
    // decision is a repeat, not a contradiction.
    const repeated = sub?.decision === r.decision && isPatched('cycle-scoped-actions-v1');
    await audit(inst, repeated ? 'review-repeated' : 'review-ignored', r.reviewer, { submissionId: r.submissionId, decision: r.decision, ...reviewId });
    return false;
  }
  sub.decision = r.decision;
  if (r.comment !== undefined) sub.comment = r.comment;
  const comment: Record<string, string> = r.comment !== undefined ? { comment: r.comment } : {};

  if (r.decision === 'accept') {
    // On time is judged at submission against the due date in force (after extensions),
    // not at the reviewer's pace.
    const onTime = toMs(sub.at) <= inst.timers.dueMs;
    inst.state.completedAt = nowIso();
    await audit(inst, 'accepted', r.reviewer, { submissionId: r.submissionId, onTime, ...comment, ...reviewId });
    await setStatus(inst, onTime ? 'completed-on-time' : 'completed-late');
    await notice(inst, 'accepted', [inst.input.unit.id, ...completionRecipients(inst)], { submissionId: r.submissionId, ...comment });
    return true;
  }

  await audit(inst, 'rejected', r.reviewer, { submissionId: r.submissionId, ...comment, ...reviewId });
  await notice(inst, 'rejected', [inst.input.unit.id], { submissionId: r.submissionId, ...comment });
  if (inst.state.submissions.some((x) => x.decision === undefined)) return false;
  if (nowMs() > inst.timers.dueMs) await commit(inst, markOverdue(inst));
  else await setStatus(inst, 'in-progress');
  return false;
}
