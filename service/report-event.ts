import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type pg from 'pg';
import { DEFAULT_TASK_QUEUE } from '../common/config.js';
import { instanceWorkflowId, type ReportedEvent } from '../workflows/types.js';
import { instanceInput } from './instances.js';
import { instanceSearchAttributes } from './search-attributes.js';
import { UserError } from '../common/errors.js';
import { recordEvent } from '../activities/store/index.js';
import { deployedPlan } from './target.js';

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
 * Starts one instance per event obligation of that type assigned to the unit, on `deps.taskQueue`
 * (the worker's; as in deploy(), the default suits the tests' workers).
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
  const assigned = ofType.filter((o) => o.assignees.includes(report.unitId));
  if (assigned.length === 0) {
    throw new UserError({
      vi: `Đơn vị "${report.unitId}" không có nghĩa vụ nào khi xảy ra "${report.eventType}".`,
      en: `Unit "${report.unitId}" has no obligation on "${report.eventType}".`,
    });
  }
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
  for (const o of assigned) {
    const workflowId = instanceWorkflowId(plan.directive.id, o.id, report.unitId, eventId);
    try {
      await deps.client.workflow.start('obligationInstance', {
        workflowId,
        taskQueue: deps.taskQueue ?? DEFAULT_TASK_QUEUE,
        args: [instanceInput(plan, o, report.unitId, event, { clockOffsetMs: report.clockOffsetMs ?? 0 })],
        typedSearchAttributes: await instanceSearchAttributes(deps.client, plan.directive.id, o.id, report.unitId),
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
