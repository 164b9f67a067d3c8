import { canonicalJson } from '../compiler/hash.js';
import type { Plan, PlanObligation, PlanUnit } from '../compiler/plan.js';
import {
  instanceWorkflowId,
  type AmendSignal,
  type InstanceDirective,
  type InstanceInput,
  type ReportedEvent,
} from '../workflows/types.js';
import { UserError } from '../common/errors.js';
import { forAssignee } from '../compiler/relations.js';

/** Only what an instance needs of its directive: `asOf` is left out, so recompiling on another day is not an amendment. */
export function instanceDirective(plan: Plan): InstanceDirective {
  const d = plan.directive;
  return { id: d.id, number: d.number, title: d.title, timezone: d.timezone, calendar: d.calendar, revision: d.revision };
}

/**
 * Units an instance's notices name: reviewer, escalation targets, co-operating units, bodies reported
 * to (1.1). Give it the obligation as the instance runs it (forAssignee): a relation is no unit.
 */
export function contactsFor(plan: Plan, obligation: PlanObligation): Record<string, PlanUnit> {
  const ids = new Set<string>([obligation.reviewer, ...obligation.cooperating, ...obligation.escalation.flatMap((s) => s.to), ...(obligation.reportTo ?? [])]);
  const contacts: Record<string, PlanUnit> = {};
  for (const id of [...ids].sort()) {
    const unit = plan.units[id];
    if (unit) contacts[id] = unit;
  }
  return contacts;
}

export function unitOf(plan: Plan, unitId: string): PlanUnit {
  // The compiler lists every assignee in `units`; a bare record keeps a hand-edited plan usable.
  return plan.units[unitId] ?? { id: unitId, name: { vi: unitId }, kind: 'unknown' };
}

/** Runtime options of an instance that are not part of the plan. */
export interface InstanceOptions {
  /** See InstanceInput.clockOffsetMs: rehearsals and tests of past directives. */
  clockOffsetMs?: number;
  /** See InstanceInput.generation: a unit re-added after its withdrawal; absent for a first run. */
  generation?: number;
  /** See InstanceInput.searchAttributes: the server has chithi's (hasChithiSearchAttributes). */
  searchAttributes?: boolean;
}

export function instanceInput(
  plan: Plan,
  obligation: PlanObligation,
  unitId: string,
  event?: ReportedEvent,
  options: InstanceOptions = {},
): InstanceInput {
  // Ngôn ngữ 1.1: quan hệ (`assignee.parent`) được thay bằng đơn vị cụ thể của đơn vị này.
  // Language 1.1: relations (`assignee.parent`) become this unit's own recipients.
  const own = forAssignee(plan, obligation, unitId);
  const contacts = contactsFor(plan, own);
  // An event raised by another unit (`event.raisedBy`): the raiser is named in the notices, and told of the outcome.
  const raiser = event?.raisedBy !== undefined ? plan.units[event.raisedBy] : undefined;
  if (raiser && !(raiser.id in contacts)) contacts[raiser.id] = raiser;
  const input: InstanceInput = {
    directive: instanceDirective(plan),
    obligation: alone(own, unitId),
    unit: unitOf(plan, unitId),
    contacts,
    cycle: 1,
    dependents: dependentsOf(plan, obligation, unitId),
  };
  if (event) input.event = event;
  if (options.clockOffsetMs) input.clockOffsetMs = options.clockOffsetMs;
  if (options.generation !== undefined && options.generation > 1) input.generation = options.generation;
  if (options.searchAttributes) input.searchAttributes = true;
  return input;
}

/**
 * Nghĩa vụ như một phiên mang theo: danh sách đơn vị chủ trì chỉ còn chính đơn vị đó. Danh sách đầy
 * đủ là cả đối tượng thực hiện (3.334 đơn vị của một chỉ thị toàn quốc: 40 KB trong đầu vào của
 * mỗi phiên, khoảng 4 GB ghi vào Temporal cho một lần triển khai), và không phiên nào đọc nó; một
 * đơn vị được thêm hay bớt ở nơi khác cũng không phải là sửa đổi của phiên này.
 * The obligation as one instance carries it: its assignee list is that unit alone. The whole list
 * is the audience (3,334 units of a national directive: 40 KB of every instance's input, about
 * 4 GB written to Temporal by one deployment; on the cluster such starts ran at 0.65x the rate of
 * bare ones, 0.96x with the unit alone, interleaved runs of 2,000), and no instance reads it; nor
 * is a unit added or dropped elsewhere a change to this one, so its slice key (sliceKey) no longer
 * sends every other unit an "amended" notice.
 */
function alone<O extends PlanObligation>(o: O, unitId: string): O {
  return { ...o, assignees: [unitId] };
}

export function amendSignal(plan: Plan, obligation: PlanObligation, unitId: string): AmendSignal {
  const own = forAssignee(plan, obligation, unitId);
  return {
    directive: instanceDirective(plan),
    obligation: alone(own, unitId),
    contacts: contactsFor(plan, own),
    dependents: dependentsOf(plan, obligation, unitId),
  };
}

/**
 * Obligation ids whose instances for this unit wait for this obligation (their `dependsOn` names
 * it): a completed prerequisite signals them, since they cannot learn of it otherwise while waiting.
 */
export function dependentsOf(plan: Plan, obligation: PlanObligation, unitId: string): string[] {
  return plan.obligations
    .filter((o) => o.kind !== 'event' && o.dependsOn.includes(obligation.id) && o.assignees.includes(unitId))
    .map((o) => o.id)
    .sort();
}

/**
 * What a running instance would see of the plan: if this string is unchanged between two
 * revisions, the instance needs no amendment. The revision number itself is left out: bumping it
 * for a change elsewhere must not send every unit an "amended" notice. Canonical JSON: the recorded
 * plan comes back from jsonb with its keys reordered.
 */
export function sliceKey(plan: Plan, obligation: PlanObligation, unitId: string): string {
  const { revision: _revision, ...directive } = instanceDirective(plan);
  // As the instance runs it: a unit whose parent changed is amended, its siblings are not.
  const own = forAssignee(plan, obligation, unitId);
  return canonicalJson([directive, alone(own, unitId), contactsFor(plan, own), unitOf(plan, unitId), dependentsOf(plan, obligation, unitId)]);
}

export interface PlannedInstance {
  workflowId: string;
  obligation: PlanObligation;
  unitId: string;
}

/** One instance per (obligation, assignee) for every obligation that runs from deployment (not events). */
export function plannedInstances(plan: Plan): PlannedInstance[] {
  return plan.obligations
    .filter((o) => o.kind !== 'event')
    .flatMap((o) => o.assignees.map((unitId) => ({ workflowId: instanceWorkflowId(plan.directive.id, o.id, unitId), obligation: o, unitId })));
}

export function findObligation(plan: Plan, obligationId: string): PlanObligation {
  const o = plan.obligations.find((x) => x.id === obligationId);
  if (!o) {
    const known = plan.obligations.map((x) => x.id).join(', ');
    throw new UserError({
      vi: `Chỉ thị ${plan.directive.id} không có nghĩa vụ "${obligationId}". Các nghĩa vụ: ${known}`,
      en: `Directive ${plan.directive.id} has no obligation "${obligationId}". Obligations: ${known}`,
    });
  }
  return o;
}

export function checkAssignee(plan: Plan, obligation: PlanObligation, unitId: string): void {
  if (!obligation.assignees.includes(unitId)) {
    throw new UserError({
      vi: `Đơn vị "${unitId}" không được giao nghĩa vụ ${obligation.id} (điểm ${obligation.clause}) của chỉ thị ${plan.directive.id}.`,
      en: `Unit "${unitId}" is not assigned obligation ${obligation.id} (clause ${obligation.clause}) of directive ${plan.directive.id}.`,
    });
  }
}
