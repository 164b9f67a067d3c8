import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { SIGNAL, type DecideExtensionSignal, type RequestExtensionSignal } from '../workflows/types.js';
import { UserError } from './io.js';
import { checkText } from './text.js';
import { signalOrExplain } from './signal.js';
import * as store from './store.js';
import { resolveTarget, TERMINAL } from './target.js';

interface Ref {
  directive: string;
  obligation: string;
  unit: string;
  event?: string;
}

export async function requestExtension(
  req: Ref & { until: string; reason: string; by?: string },
  deps: { client: Client; pool: pg.Pool },
): Promise<{ requestId: string; workflowId: string }> {
  const target = await resolveTarget(deps.pool, req);
  if (TERMINAL.has(target.instance.status)) {
    throw new UserError({ vi: 'Nghĩa vụ đã kết thúc; không thể gia hạn.', en: 'The obligation is closed; it cannot be extended.' });
  }
  const due = target.instance.due;
  if (due && req.until <= due) {
    throw new UserError({
      vi: `Ngày gia hạn ${req.until} phải sau hạn hiện tại ${due}.`,
      en: `The extension date ${req.until} must be after the current due date ${due}.`,
    });
  }
  checkText(req.reason, '--reason');
  if (!req.reason.trim()) {
    throw new UserError({ vi: 'Đề nghị gia hạn cần lý do: --reason "…"', en: 'An extension request needs a reason: --reason "…"' }, 2);
  }
  const requestId = randomUUID();
  const signal: RequestExtensionSignal = { requestId, until: req.until, reason: req.reason, requestedBy: req.by ?? target.unitId };
  await store.recordExtensionRequest(deps.pool, {
    ...signal,
    at: new Date().toISOString(),
    workflowId: target.workflowId,
    directiveId: target.plan.directive.id,
    obligationId: target.obligation.id,
    unitId: target.unitId,
  });
  await signalOrExplain(deps.client, target.workflowId, SIGNAL.requestExtension, signal);
  return { requestId, workflowId: target.workflowId };
}

/** Approves or rejects the pending request (the latest undecided one unless `requestId` is given). */
export async function decideExtension(
  req: Ref & { approve: boolean; requestId?: string; until?: string; comment?: string; by?: string },
  deps: { client: Client; pool: pg.Pool },
): Promise<{ requestId: string; workflowId: string; until?: string }> {
  const target = await resolveTarget(deps.pool, req);
  const pending = await store.pendingExtensions(deps.pool, target.plan.directive.id, target.workflowId);
  const chosen = req.requestId ? pending.find((p) => p.requestId === req.requestId) : pending[pending.length - 1];
  if (!chosen) {
    throw new UserError({
      vi: req.requestId ? `Không có đề nghị gia hạn đang chờ với mã ${req.requestId}.` : `Không có đề nghị gia hạn nào đang chờ cho ${target.workflowId}.`,
      en: req.requestId ? `No pending extension request with id ${req.requestId}.` : `No pending extension request for ${target.workflowId}.`,
    });
  }
  const signal: DecideExtensionSignal = { requestId: chosen.requestId, approve: req.approve, decidedBy: req.by ?? target.obligation.reviewer };
  const until = req.approve ? (req.until ?? chosen.until) : undefined;
  // An extension to a date already past re-walked every escalation step at once: the workflow
  // refuses it too (on its own clock), this says so before anything is written.
  const due = target.instance.due;
  if (until !== undefined && due && until <= due) {
    throw new UserError({
      vi: `Không thể gia hạn đến ${until}: ngày gia hạn phải sau hạn hiện tại ${due}. Sửa --until, hoặc bỏ --until để chấp thuận ngày đơn vị đề nghị (${chosen.until}).`,
      en: `Cannot extend to ${until}: the new date must be after the current due date ${due}. Fix --until, or leave it out to grant the date the unit asked for (${chosen.until}).`,
    });
  }
  checkText(req.comment, '--comment');
  if (until) signal.until = until;
  if (req.comment) signal.comment = req.comment;
  await store.recordExtensionDecision(deps.pool, { ...signal, at: new Date().toISOString() });
  await signalOrExplain(deps.client, target.workflowId, SIGNAL.decideExtension, signal);
  return until ? { requestId: chosen.requestId, workflowId: target.workflowId, until } : { requestId: chosen.requestId, workflowId: target.workflowId };
}
