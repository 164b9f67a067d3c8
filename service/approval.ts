/**
 * Lãnh đạo đơn vị phê duyệt những gì đơn vị gửi đi (danh mục: `submissionApproval: unit-head`).
 * Minh chứng của cán bộ được lưu ở trạng thái chờ và chỉ tới phiên thực hiện khi được phê duyệt; bị
 * trả lại thì không bao giờ tới, và hộp thư của đơn vị ghi lý do.
 * The unit head approves what the unit sends out (registry `submissionApproval: unit-head`). An
 * officer's submission is stored as pending and reaches the instance only once approved, signalled
 * exactly as `submit` would have; a returned one never reaches it, and the unit's inbox says why.
 * The workflows are unchanged: to them an approved submission is a submission.
 */
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { ChithiConfig as RuntimeConfig } from '../common/config.js';
import { UserError } from '../common/errors.js';
import { SIGNAL, type EvidenceItemRef, type SubmitEvidenceSignal } from '../workflows/types.js';
import { appendAudit, decideApproval, getInstance, getSubmission, listPendingApprovals, type PendingSubmission, type SubmissionRecord } from '../activities/store/index.js';
import { signalAction } from './signal.js';
import { deployedPlan, madeFor, scopeOf, TERMINAL } from './target.js';
import { checkText } from './text.js';

export interface ApprovalRequest {
  submissionId: string;
  decision: 'approve' | 'return';
  /** Why it is returned (shown to the officer in the unit's inbox); optional when approving. */
  comment?: string;
  /** The unit head, `unit/login`. */
  by: string;
}

export interface ApprovalResult {
  submissionId: string;
  workflowId: string;
  decision: 'approved' | 'returned';
  /** False: this decision was recorded before (a retry); an approved submission was sent again. */
  created: boolean;
  /** True: sent to the instance (approved); a returned submission never is. */
  sent: boolean;
}

/** The unit's submissions awaiting its head's approval, oldest first. */
export function pendingApprovals(pool: pg.Pool, unitId: string): Promise<PendingSubmission[]> {
  return listPendingApprovals(pool, unitId);
}

/**
 * Records the unit head's decision once, then, for an approval, signals the submission as submit
 * would have. Like submit, the write comes first: if the signal fails, the same decision again
 * records nothing and sends it again (the workflow takes a submission id once).
 */
export async function decideSubmission(req: ApprovalRequest, deps: { client: Client; pool: pg.Pool; config?: RuntimeConfig }): Promise<ApprovalResult> {
  checkText(req.comment, '--comment');
  const sub = await getSubmission(deps.pool, req.submissionId);
  if (req.decision === 'return' && !req.comment?.trim()) {
    throw new UserError({
      vi: 'Trả lại minh chứng cần nêu lý do để cán bộ sửa: thêm --comment "…".',
      en: 'Returning a submission needs a reason the officer can act on: add --comment "…".',
    });
  }
  if (req.decision === 'approve') await checkStillOpen(deps.pool, sub);
  const at = new Date().toISOString();
  const notice = req.decision === 'return' ? await returnNotice(deps.pool, sub, req, at) : undefined;
  const { created, submission } = await decideApproval(deps.pool, {
    submissionId: sub.submissionId,
    decision: req.decision === 'approve' ? 'approved' : 'returned',
    by: req.by,
    ...(req.comment !== undefined && { comment: req.comment }),
    at,
    ...(notice && { notice }),
  });
  const result = { submissionId: sub.submissionId, workflowId: sub.workflowId, decision: submission.approval as 'approved' | 'returned', created };
  // The unit head's decision is the unit's act, so it is in the directive's audit chain too, once
  // (the key is the submission's: a retry appends nothing).
  await appendAudit(deps.pool, {
    key: `${sub.workflowId}:submission:${sub.submissionId}:${submission.approval}`,
    workflowId: sub.workflowId,
    directiveId: sub.directiveId,
    obligationId: sub.obligationId,
    unitId: sub.unitId,
    actor: submission.approvedBy ?? req.by,
    action: submission.approval === 'approved' ? 'submission-approved' : 'submission-returned',
    at: submission.approvedAt ?? at,
    detail: { submissionId: sub.submissionId, submittedBy: sub.submittedBy, ...(submission.approvalComment !== undefined && { comment: submission.approvalComment }) },
  });
  if (req.decision === 'return') return { ...result, sent: false };
  const items = submission.evidence.map((e): EvidenceItemRef => ({ name: e.name, kind: e.kind, value: e.value, ...(e.sha256 !== undefined && { sha256: e.sha256 }) }));
  // The officer is the submitter the reviewer sees, as when no approval is needed; who approved it
  // is in the submission's row (and `chithi approvals` history), not in the workflow's signal.
  const signal: SubmitEvidenceSignal = { submissionId: sub.submissionId, items, submittedBy: sub.submittedBy };
  if (sub.note) signal.note = sub.note;
  await signalAction(deps.client, sub.workflowId, SIGNAL.submitEvidence, signal, {
    id: sub.submissionId,
    what: { vi: 'minh chứng đã phê duyệt', en: 'the approved evidence' },
    temporal: deps.config?.temporal,
  });
  return { ...result, sent: true };
}

/**
 * An approval sends the submission now: if the cycle it was made for has closed (or the instance
 * has finished), the running cycle would take it for its own, so it is refused before anything is
 * recorded, as submit refuses a retry of such a submission.
 */
async function checkStillOpen(pool: pg.Pool, sub: SubmissionRecord): Promise<void> {
  const instance = await getInstance(pool, sub.workflowId);
  if (instance && !TERMINAL.has(instance.status) && scopeOf(sub, instance) !== 'earlier') return;
  const why = !instance || TERMINAL.has(instance.status)
    ? { vi: `nghĩa vụ ${sub.obligationId} của ${sub.unitId} đã kết thúc`, en: `obligation ${sub.obligationId} of ${sub.unitId} has ended` }
    : { vi: `minh chứng được nộp ${madeFor(sub, instance).vi}, chu kỳ đó đã đóng`, en: `it was made ${madeFor(sub, instance).en}, and that cycle has closed` };
  throw new UserError({
    vi: `Không phê duyệt được minh chứng ${sub.submissionId}: ${why.vi}. Hãy trả lại (--return --comment …) để cán bộ biết.`,
    en: `Submission ${sub.submissionId} cannot be approved: ${why.en}. Return it (--return --comment …) so the officer knows.`,
  });
}

/** The inbox row that tells the unit's officers their submission came back, and why. */
async function returnNotice(pool: pg.Pool, sub: SubmissionRecord, req: ApprovalRequest, at: string) {
  const plan = await deployedPlan(pool, sub.directiveId, { allowWithdrawn: true });
  const ob = plan.obligations.find((o) => o.id === sub.obligationId);
  const title = ob?.title.vi ?? sub.obligationId;
  return {
    // One notice per submission: a return is decided once.
    key: `submission:${sub.submissionId}:returned:inbox:${sub.unitId}`,
    unitId: sub.unitId,
    kind: 'submission-returned' as const,
    directiveId: sub.directiveId,
    obligationId: sub.obligationId,
    ...(sub.cycle !== undefined && { cycle: sub.cycle }),
    subject: `[Chỉ thị ${plan.directive.number}] Minh chứng bị lãnh đạo đơn vị trả lại: ${title}`,
    body: [
      `Minh chứng ${sub.submissionId} (${sub.submittedBy} nộp) cho nhiệm vụ "${title}" đã bị ${req.by} trả lại, chưa gửi tới cơ quan duyệt.`,
      `Lý do: ${req.comment}`,
      'Hãy sửa và nộp minh chứng mới (chithi submit, không dùng --id cũ).',
      '',
      `Submission ${sub.submissionId} (by ${sub.submittedBy}) for "${ob?.title.en ?? title}" was returned by ${req.by}; it was not sent to the reviewer.`,
      `Reason: ${req.comment}`,
      'Correct it and submit new evidence (chithi submit, without the old --id).',
    ].join('\n'),
    at,
  };
}
