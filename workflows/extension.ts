import { nowIso, nowMs } from './clock.js';
import type { Instance } from './instance-context.js';
import { audit, notice } from './notices.js';
import { applySchedule, computeSchedule } from './schedule.js';
import { reconcileWithDue } from './state.js';
import type { DecideExtensionSignal, RequestExtensionSignal } from './types.js';

export async function onRequestExtension(inst: Instance, r: RequestExtensionSignal): Promise<void> {
  if (inst.state.extensions.some((e) => e.requestId === r.requestId)) {
    await audit(inst, 'extension-request-repeated', r.requestedBy, { requestId: r.requestId });
    return;
  }
  inst.state.extensions.push({ requestId: r.requestId, until: r.until });
  await audit(inst, 'extension-requested', r.requestedBy, { requestId: r.requestId, until: r.until, reason: r.reason });
  await notice(inst, 'extension-requested', [inst.input.obligation.reviewer], {
    requestId: r.requestId,
    until: r.until,
    reason: r.reason,
  });
}

export async function onDecideExtension(inst: Instance, d: DecideExtensionSignal): Promise<void> {
  const req = inst.state.extensions.find((e) => e.requestId === d.requestId);
  if (req === undefined || req.approved !== undefined) {
    await audit(inst, 'extension-decision-ignored', d.decidedBy, { requestId: d.requestId });
    return;
  }
  req.approved = d.approve;
  req.decidedAt = nowIso();
  const comment: Record<string, string> = d.comment !== undefined ? { comment: d.comment } : {};
  if (d.approve) {
    req.until = d.until ?? req.until;
    inst.extendedDue = req.until;
    // originalDue is kept: reports show both the granted and the original date.
    const cycleDue = inst.state.originalDue;
    applySchedule(inst, await computeSchedule(inst, { extendedDue: req.until, ...(cycleDue !== undefined ? { cycleDue } : {}) }));
    await reconcileWithDue(inst, nowMs());
  }
  await audit(inst, d.approve ? 'extension-approved' : 'extension-refused', d.decidedBy, {
    requestId: d.requestId,
    until: req.until,
    ...comment,
  });
  await notice(inst, 'extension-decided', [inst.input.unit.id], {
    requestId: d.requestId,
    approved: String(d.approve),
    until: req.until,
    ...comment,
  });
}
