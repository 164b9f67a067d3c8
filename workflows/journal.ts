import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { isPatched } from './patches.js';
import { steps } from './activities.js';
import type { Instance } from './instance-context.js';
import { instanceAttributes, SEARCH_ATTRIBUTES } from './search-attributes.js';
import type { InstanceStatus, StepRecord } from './types.js';

/**
 * Before this patch every status change, audit line and notice was its own activity call; a
 * step such as "overdue" took three, and the notice a full server round trip. Now a step's
 * records are collected here and committed together in one local activity when the workflow is
 * about to wait (`flush`): one call per wake, written atomically, and notices are delivered by
 * the worker's outbox dispatcher instead of an activity retried in the workflow's history.
 * Histories recorded before the patch replay with the per-record calls.
 */

export function journaling(): boolean {
  return isPatched('step-journal-v1');
}

export function emptyJournal(workflowId: string): StepRecord {
  return { workflowId, audits: [], notices: [] };
}

/**
 * Commits what the step recorded. Call before every wait and before the run ends. Not `async`: it
 * hands back the local activity's own promise, one promise fewer per wake (see wake.ts for why
 * promises count).
 */
export function flush(inst: Instance): Promise<void> {
  const step = inst.journal;
  if (step.status === undefined && step.audits.length === 0 && step.notices.length === 0) return Promise.resolve();
  inst.journal = emptyJournal(inst.workflowId);
  if (step.status !== undefined) showStatus(inst, step.status.status);
  const offset = inst.input.clockOffsetMs;
  return steps.recordStep(offset ? { ...step, clockOffsetMs: offset } : step);
}

/**
 * Trạng thái mới vào thuộc tính tìm kiếm ChithiStatus, chỉ khi máy chủ đã đăng ký các thuộc tính của
 * chithi; bước đầu tiên đặt cả chỉ thị, nghĩa vụ, đơn vị; lượt chạy mới mang theo giá trị cũ.
 * The new status into the ChithiStatus search attribute, only where the server has chithi's
 * attributes registered (upserting an unknown one fails the workflow task): a run started with
 * them (search-attributes-v1), or one whose input says so, which its first step names with
 * directive, obligation and unit too (search-attributes-first-step-v1). A run continued as new
 * carries the values over, so an unchanged status costs nothing.
 */
function showStatus(inst: Instance, status: InstanceStatus): void {
  const attrs = workflowInfo().typedSearchAttributes;
  if (attrs.get(SEARCH_ATTRIBUTES.directive) === undefined) {
    // Started unnamed on a server that has them: named with the first status (search-attributes.ts).
    if (inst.input.searchAttributes !== true || !isPatched('search-attributes-first-step-v1')) return;
    const { directive, obligation, unit } = inst.input;
    upsertSearchAttributes([...instanceAttributes(directive.id, obligation.id, unit.id), { key: SEARCH_ATTRIBUTES.status, value: status }]);
    return;
  }
  if (attrs.get(SEARCH_ATTRIBUTES.status) === status) return;
  if (!isPatched('search-attributes-v1')) return;
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value: status }]);
}
