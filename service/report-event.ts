import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type pg from 'pg';
import { DEFAULT_TASK_QUEUE } from '../common/config.js';
import { instanceWorkflowId, type ReportedEvent } from '../workflows/types.js';
import { instanceInput } from './instances.js';
import { hasChithiSearchAttributes } from './search-attributes.js';
import { UserError } from '../common/errors.js';
import { recordEvent } from '../activities/store/index.js';
import { deployedPlan } from './target.js';
import type { EventObligation, Plan, PlanObligation } from '../compiler/plan.js';

export interface EventReport {
  directiveId: string;
  eventType: string;
  unitId: string;
  /** Reporting the same id again starts nothing new; default: a fresh id. */
  eventId?: string;
  occurredAt?: string;
  description?: string;
  reportedBy?: string;
  /** As in deploy(): business time − server time, for a rehearsal of a past directive. */
  clockOffsetMs?: number;
}

export interface EventReportResult {
  eventId: string;
  started: string[];
  /** Instances that already existed for this event id (a repeated report). */
  existing: string[];
}

const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function freshEventId(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${randomBytes(3).toString('hex')}`;
}

/**
 * Starts the instances the report opens, on `deps.taskQueue` (the worker's; as in deploy(), the
 * default suits the tests' workers): for every event obligation of that type (one report opens them
 * all), the reporting unit's own instance where it is an assignee; where the obligation says who
 * may raise the event (`raisedBy`, language 1.1), every assignee's instance when the reporting unit
 * is one of them (eventOpenings). The route authorises the reporting unit (`event.report`, own unit);
 * reaching other units' duties is what `raisedBy` grants, checked here for every caller.
 */
export async function reportEvent(report: EventReport, deps: { client: Client; pool: pg.Pool; taskQueue?: string }): Promise<EventReportResult> {
  const plan = await deployedPlan(deps.pool, report.directiveId);
  const ofType = plan.obligations.filter((o) => o.kind === 'event' && o.event === report.eventType);
  if (ofType.length === 0) {
    const types = [...new Set(plan.obligations.flatMap((o) => (o.kind === 'event' ? [o.event] : [])))].join(', ') || '—';
    throw new UserError({
      vi: `Chỉ thị ${plan.directive.id} không có sự kiện loại "${report.eventType}". Các loại: ${types}`,
      en: `Directive ${plan.directive.id} has no event type "${report.eventType}". Types: ${types}`,
    });
  }
  const opens = eventOpenings(ofType, report.unitId);
  if (opens.length === 0) throw notRaisable(plan, ofType, report);
  if (report.eventId !== undefined && !EVENT_ID.test(report.eventId)) {
    throw new UserError({
      vi: `Mã sự kiện chỉ gồm chữ, số, '.', '_' , '-' (tối đa 64 ký tự): ${report.eventId}`,
      en: `An event id is letters, digits, '.', '_', '-' (at most 64): ${report.eventId}`,
    }, 2);
  }
  const now = new Date(Date.now() + (report.clockOffsetMs ?? 0));
  const eventId = report.eventId ?? freshEventId(now);
  const event: ReportedEvent = {
    id: eventId,
    type: report.eventType,
    reportedBy: report.reportedBy ?? report.unitId,
    occurredAt: report.occurredAt ?? now.toISOString(),
  };
  if (report.description) event.description = report.description;
  // Event ids are global in the store: scope them by unit so two units may both report "sc-1".
  await recordEvent(deps.pool, plan.directive.id, { ...event, id: `${plan.directive.id}/${report.unitId}/${eventId}` });

  const result: EventReportResult = { eventId, started: [], existing: [] };
  for (const { obligation: o, unitId } of opens) {
    // Raised for other units: the instance's event names the raiser, and its id is the raiser's
    // (`huyen-x.yc-1`), so two units both raising "yc-1" open two duties, not one.
    const raised = o.raisedBy !== undefined;
    const own: ReportedEvent = raised ? { ...event, id: `${report.unitId}.${eventId}`, raisedBy: report.unitId } : event;
    const workflowId = instanceWorkflowId(plan.directive.id, o.id, unitId, own.id);
    try {
      await deps.client.workflow.start('obligationInstance', {
        workflowId,
        taskQueue: deps.taskQueue ?? DEFAULT_TASK_QUEUE,
        args: [instanceInput(plan, o, unitId, own, { clockOffsetMs: report.clockOffsetMs ?? 0, searchAttributes: await hasChithiSearchAttributes(deps.client) })],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      result.started.push(workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      result.existing.push(workflowId);
    }
  }
  return result;
}

/**
 * Các phiên một báo cáo sự kiện mở: nghĩa vụ không ghi `raisedBy` mở phiên của chính đơn vị báo (nếu
 * nó được giao); nghĩa vụ ghi `raisedBy` mở phiên của mọi đơn vị chủ trì khi đơn vị báo có tên trong đó.
 * The instances one report opens: an obligation without `raisedBy` opens the reporting unit's own
 * (when it is an assignee: v1); one with `raisedBy` opens every assignee's when the reporting unit
 * may raise it (a broadcast to an audience, or another unit's duty).
 */
export function eventOpenings(ofType: readonly PlanObligation[], unitId: string): { obligation: EventObligation; unitId: string }[] {
  const out: { obligation: EventObligation; unitId: string }[] = [];
  for (const o of ofType) {
    if (o.kind !== 'event') continue;
    if (o.raisedBy === undefined) {
      if (o.assignees.includes(unitId)) out.push({ obligation: o, unitId });
    } else if (o.raisedBy.includes(unitId)) {
      for (const a of o.assignees) out.push({ obligation: o, unitId: a });
    }
  }
  return out;
}

/** Nobody's duty opens: which units may raise the event, per obligation, so the reporter knows who should. */
function notRaisable(plan: Plan, ofType: readonly PlanObligation[], report: EventReport): UserError {
  const raisable = ofType.filter((o): o is EventObligation => o.kind === 'event' && o.raisedBy !== undefined);
  if (raisable.length === 0) {
    return new UserError({
      vi: `Đơn vị "${report.unitId}" không có nghĩa vụ nào khi xảy ra "${report.eventType}".`,
      en: `Unit "${report.unitId}" has no obligation on "${report.eventType}".`,
    });
  }
  const names = (ids: readonly string[], lang: 'vi' | 'en'): string => {
    const shown = ids.slice(0, 5).map((id) => {
      const n = plan.units[id]?.name;
      return n ? `${lang === 'en' ? (n.en ?? n.vi) : n.vi} (${id})` : id;
    });
    const more = ids.length > 5 ? (lang === 'vi' ? ` và ${ids.length - 5} đơn vị khác` : ` and ${ids.length - 5} more`) : '';
    return shown.join(', ') + more;
  };
  const who = ofType.flatMap((o) =>
    o.kind !== 'event'
      ? []
      : o.raisedBy !== undefined
        ? [{ vi: `nghĩa vụ ${o.id} (điểm ${o.clause}): ${names(o.raisedBy, 'vi')}`, en: `obligation ${o.id} (clause ${o.clause}): ${names(o.raisedBy, 'en')}` }]
        : [{ vi: `nghĩa vụ ${o.id} (điểm ${o.clause}): mỗi đơn vị chủ trì tự báo`, en: `obligation ${o.id} (clause ${o.clause}): each assignee reports its own` }],
  );
  return new UserError(
    {
      vi: `Đơn vị "${report.unitId}" không được báo sự kiện "${report.eventType}" của chỉ thị ${plan.directive.id}. Được báo: ${who.map((w) => w.vi).join('; ')}.`,
      en: `Unit "${report.unitId}" may not raise "${report.eventType}" of directive ${plan.directive.id}. Who may: ${who.map((w) => w.en).join('; ')}.`,
    },
    1,
    { problem: 'not-allowed' },
  );
}
