import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { commandLine } from '../common/commands.js';
import { SIGNAL, type DecideExtensionSignal, type RequestExtensionSignal } from '../workflows/types.js';
import type { ChithiConfig as RuntimeConfig } from '../common/config.js';
import { UserError } from '../common/errors.js';
import { checkText } from './text.js';
import { signalAction } from './signal.js';
import { findExtension, listExtensions, recordExtensionDecision, recordExtensionRequest, type ExtensionRecord } from '../activities/store/index.js';
import { madeFor, resolveTarget, scopeOf, TERMINAL, type Target } from './target.js';

interface Ref {
  directive: string;
  obligation: string;
  unit: string;
  event?: string;
}

type Deps = { client: Client; pool: pg.Pool; config?: RuntimeConfig };

const REQUEST = { vi: 'đề nghị gia hạn', en: 'the extension request' };
const DECISION = { vi: 'quyết định gia hạn', en: 'the extension decision' };

/**
 * Asks for an extension of the running cycle. The request is stored once under its id, for the
 * cycle it is asked in, then signalled; the same command with the same `--id` writes nothing and
 * signals again (a signal lost after the write). A request stored for a cycle that has closed
 * since lapsed with it and is not sent again.
 */
export async function requestExtension(
  req: Ref & { until: string; reason: string; by?: string; id?: string },
  deps: Deps,
): Promise<{ requestId: string; workflowId: string; created: boolean }> {
  const target = await resolveTarget(deps.pool, req);
  const requestedBy = req.by ?? target.unitId;
  const cycle = target.instance.cycle;
  const send = async (r: ExtensionRecord, created: boolean) => {
    const signal: RequestExtensionSignal = { requestId: r.requestId, until: r.until, reason: r.reason, requestedBy: r.requestedBy };
    if (r.cycle !== undefined) signal.cycle = r.cycle;
    await signalAction(deps.client, target.workflowId, SIGNAL.requestExtension, signal, { id: r.requestId, what: REQUEST, temporal: deps.config?.temporal });
    return { requestId: r.requestId, workflowId: target.workflowId, created };
  };

  // A retry is sent again as stored; the checks of the instance's state were passed when it was.
  const stored = req.id === undefined ? undefined : await findExtension(deps.pool, { requestId: req.id });
  if (stored !== undefined) {
    if (stored.workflowId !== target.workflowId || stored.until !== req.until || stored.reason !== req.reason || stored.requestedBy !== requestedBy) {
      throw new UserError({
        vi: `Mã ${stored.requestId} đã được dùng cho một đề nghị gia hạn khác (đến ${stored.until}, của ${stored.requestedBy}). Để đề nghị mới, bỏ --id.`,
        en: `Id ${stored.requestId} was already used for another extension request (until ${stored.until}, by ${stored.requestedBy}). For a new request, leave out --id.`,
      });
    }
    if (scopeOf(stored, target.instance) === 'earlier') {
      const was = madeFor(stored, target.instance);
      throw new UserError({
        vi: `Đề nghị gia hạn ${stored.requestId} được gửi ${was.vi}; nay đang là chu kỳ ${cycle}, đề nghị đã hết hiệu lực cùng chu kỳ đó nên không gửi lại. Để đề nghị cho chu kỳ này, bỏ --id.`,
        en: `Extension request ${stored.requestId} was made ${was.en}; cycle ${cycle} is running now and the request lapsed with its cycle, so it is not sent again. To ask for this cycle, leave out --id.`,
      });
    }
    return send(stored, false);
  }

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
  const { created, request } = await recordExtensionRequest(deps.pool, {
    requestId: req.id ?? randomUUID(),
    until: req.until,
    reason: req.reason,
    requestedBy,
    generation: target.instance.generation,
    cycle,
    at: new Date().toISOString(),
    workflowId: target.workflowId,
    directiveId: target.plan.directive.id,
    obligationId: target.obligation.id,
    unitId: target.unitId,
  });
  return send(request, created);
}

export interface DecisionResult {
  requestId: string;
  workflowId: string;
  /** The date granted (approve only). */
  until?: string;
  decisionId: string;
  /** False: this decision was stored before (a retry); it was sent to the instance again. */
  created: boolean;
}

/**
 * Approves or rejects a pending request of the instance's running cycle: the one given
 * (`requestId`) or the latest. A request is decided once, under the decision's id, then the
 * decision is signalled; the same command again (with or without the printed `--id`) sends a
 * decision whose signal was lost (the workflow takes a request's decision once), another decision
 * on a decided request is refused. A request left pending by a cycle that has closed lapsed with
 * it: the workflow no longer holds it, so deciding it would report a success the instance ignores.
 * The running cycle is the projection's: no worker is needed to decide.
 */
export async function decideExtension(
  req: Ref & { approve: boolean; requestId?: string; until?: string; comment?: string; by?: string; id?: string },
  deps: Deps,
): Promise<DecisionResult> {
  const target = await resolveTarget(deps.pool, req);
  checkText(req.comment, '--comment');
  const decidedBy = req.by ?? target.obligation.reviewer;
  const cycle = target.instance.cycle;
  const send = async (r: ExtensionRecord, created: boolean): Promise<DecisionResult> => {
    const decisionId = r.decisionId!;
    const signal: DecideExtensionSignal = { requestId: r.requestId, approve: r.approved === true, decidedBy: r.decidedBy ?? decidedBy, decisionId };
    if (r.approved && r.grantedUntil !== undefined) signal.until = r.grantedUntil;
    if (r.comment !== undefined) signal.comment = r.comment;
    if (r.cycle !== undefined) signal.cycle = r.cycle;
    await signalAction(deps.client, target.workflowId, SIGNAL.decideExtension, signal, { id: decisionId, what: DECISION, temporal: deps.config?.temporal });
    return { requestId: r.requestId, workflowId: target.workflowId, ...(signal.until !== undefined && { until: signal.until }), decisionId, created };
  };

  // A retry is sent again as stored; the checks of the instance's state were passed when it was.
  const stored = req.id === undefined ? undefined : await findExtension(deps.pool, { decisionId: req.id });
  if (stored !== undefined) {
    const same =
      stored.workflowId === target.workflowId &&
      (req.requestId === undefined || req.requestId === stored.requestId) &&
      stored.approved === req.approve &&
      (!req.approve || req.until === undefined || req.until === stored.grantedUntil) &&
      (stored.comment ?? null) === (req.comment ?? null) &&
      stored.decidedBy === decidedBy;
    if (!same) {
      throw new UserError({
        vi: `Mã ${req.id} đã được dùng cho một quyết định gia hạn khác (đề nghị ${stored.requestId}). Để quyết định mới, bỏ --id.`,
        en: `Id ${req.id} was already used for another extension decision (request ${stored.requestId}). For a new decision, leave out --id.`,
      });
    }
    if (scopeOf(stored, target.instance) === 'earlier') {
      const was = madeFor(stored, target.instance);
      throw new UserError({
        vi: `Quyết định ${req.id} là về đề nghị gia hạn ${stored.requestId}, được gửi ${was.vi}; nay đang là chu kỳ ${cycle}, nên không gửi lại.`,
        en: `Decision ${req.id} is on extension request ${stored.requestId}, made ${was.en}; cycle ${cycle} is running now, so it is not sent again.`,
      });
    }
    return send(stored, false);
  }

  const rows = await listExtensions(deps.pool, target.plan.directive.id, { workflowId: target.workflowId });
  let chosen: ExtensionRecord | undefined;
  if (req.requestId !== undefined) {
    chosen = rows.find((r) => r.requestId === req.requestId);
    if (chosen === undefined) {
      throw new UserError({ vi: `Không có đề nghị gia hạn nào với mã ${req.requestId} cho ${target.workflowId}.`, en: `No extension request with id ${req.requestId} for ${target.workflowId}.` });
    }
  } else {
    // The latest pending request; none pending, the latest request: deciding it again the same
    // way is the retry of a decision whose signal was lost, another way is refused below.
    chosen = rows.filter((r) => r.approved === undefined).at(-1) ?? rows.at(-1);
    if (chosen === undefined) {
      throw new UserError({ vi: `Không có đề nghị gia hạn nào đang chờ cho ${target.workflowId}.`, en: `No pending extension request for ${target.workflowId}.` });
    }
  }
  const scope = scopeOf(chosen, target.instance);
  if (scope === 'unknown' && chosen.approved === undefined) throw unknownCycle(chosen, cycle, target);
  if (scope === 'earlier') {
    if (chosen.approved === undefined) throw lapsed(chosen, cycle, target);
    throw new UserError({ vi: `Không có đề nghị gia hạn nào đang chờ cho ${target.workflowId}.`, en: `No pending extension request for ${target.workflowId}.` });
  }

  const until = req.approve ? (req.until ?? chosen.until) : undefined;
  // An extension to a date already past re-walked every escalation step at once: the workflow
  // refuses it too (on its own clock), this says so before anything is written.
  const due = target.instance.due;
  if (chosen.approved === undefined && until !== undefined && due && until <= due) {
    throw new UserError({
      vi: `Không thể gia hạn đến ${until}: ngày gia hạn phải sau hạn hiện tại ${due}. Sửa --until, hoặc bỏ --until để chấp thuận ngày đơn vị đề nghị (${chosen.until}).`,
      en: `Cannot extend to ${until}: the new date must be after the current due date ${due}. Fix --until, or leave it out to grant the date the unit asked for (${chosen.until}).`,
    });
  }
  const outcome = await recordExtensionDecision(deps.pool, {
    requestId: chosen.requestId,
    decisionId: req.id ?? randomUUID(),
    approve: req.approve,
    ...(until !== undefined && { until }),
    ...(req.comment ? { comment: req.comment } : {}),
    decidedBy,
    at: new Date().toISOString(),
  });
  // Decided already by this same decision (the same command run again after a lost signal): it
  // is sent again; the workflow applies it if the first never arrived, records a repeat if it did.
  if (!outcome.created && !outcome.same) throw alreadyDecided(outcome.request, target);
  return send(outcome.request, outcome.created);
}

function refFlags(target: Target) {
  return {
    directive: target.plan.directive.id,
    obligation: target.obligation.id,
    unit: target.unitId,
    ...(target.eventId !== undefined && { event: target.eventId }),
  };
}

function lapsed(r: ExtensionRecord, cycle: number, target: Target): UserError {
  const ask = (reason: string) => commandLine('extend', { positionals: ['request'], flags: { ...refFlags(target), until: '<YYYY-MM-DD>', reason } });
  const was = madeFor(r, target.instance);
  return new UserError({
    vi: `Đề nghị gia hạn ${r.requestId} (đến ${r.until}) được gửi ${was.vi}; nay đang là chu kỳ ${cycle}, đề nghị đã hết hiệu lực cùng chu kỳ đó và không được quyết định. Đơn vị có thể đề nghị lại cho chu kỳ này:\n  ${ask('<lý do>')}`,
    en: `Extension request ${r.requestId} (until ${r.until}) was made ${was.en}; cycle ${cycle} is running now and the request lapsed with its cycle: it is not decided. The unit can ask again for this cycle:\n  ${ask('<reason>')}`,
  });
}

function unknownCycle(r: ExtensionRecord, cycle: number, target: Target): UserError {
  const ask = (reason: string) => commandLine('extend', { positionals: ['request'], flags: { ...refFlags(target), until: r.until, reason } });
  return new UserError({
    vi: `Đề nghị gia hạn ${r.requestId} (đến ${r.until}) được lưu trước khi chithi ghi chu kỳ của đề nghị, và phiên nay đang ở chu kỳ ${cycle}: không biết đề nghị có thuộc chu kỳ này không, nên không quyết định. Đơn vị đề nghị lại cho chu kỳ này:\n  ${ask('<lý do>')}`,
    en: `Extension request ${r.requestId} (until ${r.until}) was stored before chithi recorded a request's cycle, and the instance is in cycle ${cycle} now: whether it belongs to this cycle cannot be told, so it is not decided. The unit can ask again for this cycle:\n  ${ask('<reason>')}`,
  });
}

function alreadyDecided(r: ExtensionRecord, target: Target): UserError {
  const approve = r.approved === true;
  const again = commandLine('extend', {
    positionals: [approve ? 'approve' : 'reject'],
    flags: {
      ...refFlags(target),
      request: r.requestId,
      ...(approve && r.grantedUntil !== undefined && { until: r.grantedUntil }),
      ...(r.comment !== undefined && { comment: r.comment }),
      ...(r.decisionId !== undefined && { id: r.decisionId }),
    },
  });
  const what = approve ? { vi: `chấp thuận đến ${r.grantedUntil}`, en: `approved until ${r.grantedUntil}` } : { vi: 'từ chối', en: 'refused' };
  return new UserError({
    vi: `Đề nghị gia hạn ${r.requestId} đã được ${r.decidedBy} quyết định lúc ${r.decidedAt}: ${what.vi}. Mỗi đề nghị chỉ có một quyết định; quyết định này không được ghi. Nếu phiên vẫn coi đề nghị là đang chờ, quyết định đã có chưa đến được phiên; gửi lại bằng:\n  ${again}`,
    en: `Extension request ${r.requestId} was already decided by ${r.decidedBy} at ${r.decidedAt}: ${what.en}. A request has one decision; this one was not recorded. If the instance still holds the request pending, the recorded decision has not reached it; send it again with:\n  ${again}`,
  });
}
