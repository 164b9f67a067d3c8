import { nowIso, nowMs, toIso, toMs } from './clock.js';
import { markOverdue } from './escalation.js';
import type { Instance } from './instance-context.js';
import { audit, notice } from './notices.js';
import { setStatus } from './state.js';
import type { ReviewSignal, SubmitEvidenceSignal } from './types.js';

export async function onSubmitEvidence(inst: Instance, s: SubmitEvidenceSignal, at: number): Promise<void> {
  if (inst.state.submissions.some((x) => x.submissionId === s.submissionId)) {
    // A client retry of a signal it could not confirm; the first one counts.
    await audit(inst, 'submission-repeated', s.submittedBy, { submissionId: s.submissionId });
    return;
  }
  inst.state.submissions.push({ submissionId: s.submissionId, at: toIso(at) });
  await audit(inst, 'evidence-submitted', s.submittedBy, {
    submissionId: s.submissionId,
    items: s.items.map((i) => i.name),
    ...(s.note !== undefined ? { note: s.note } : {}),
  });
  await setStatus(inst, 'awaiting-review');
  await notice(inst, 'submitted', [inst.input.obligation.reviewer], {
    submissionId: s.submissionId,
    submittedBy: s.submittedBy,
  });
}

/** Returns true when the review completed the cycle. */
export async function onReview(inst: Instance, r: ReviewSignal): Promise<boolean> {
  const sub = inst.state.submissions.find((x) => x.submissionId === r.submissionId);
  if (sub === undefined || sub.decision !== undefined) {
    await audit(inst, 'review-ignored', r.reviewer, { submissionId: r.submissionId, decision: r.decision });
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
    await audit(inst, 'accepted', r.reviewer, { submissionId: r.submissionId, onTime, ...comment });
    await setStatus(inst, onTime ? 'completed-on-time' : 'completed-late');
    await notice(inst, 'accepted', [inst.input.unit.id], { submissionId: r.submissionId, ...comment });
    return true;
  }

  await audit(inst, 'rejected', r.reviewer, { submissionId: r.submissionId, ...comment });
  await notice(inst, 'rejected', [inst.input.unit.id], { submissionId: r.submissionId, ...comment });
  if (inst.state.submissions.some((x) => x.decision === undefined)) return false;
  if (nowMs() > inst.timers.dueMs) await markOverdue(inst);
  else await setStatus(inst, 'in-progress');
  return false;
}
