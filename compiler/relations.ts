/**
 * Người nhận theo quan hệ (ngôn ngữ 1.1): "thủ trưởng đơn vị chủ trì", "cơ quan cấp trên của đơn vị
 * chủ trì". Trình biên dịch ghi quan hệ của từng đơn vị vào kế hoạch (`units[u].parent|head`); mỗi
 * phiên nhận nghĩa vụ đã thay quan hệ bằng đơn vị cụ thể, nên luồng công việc không cần danh mục.
 * Relational recipients (language 1.1): "the head of the unit concerned", "the assignee's parent
 * body". A directive writes `assignee.head` or `assignee.parent` where a recipient goes (reviewer,
 * cooperating, escalation `to`, reportTo); the compiler records each assignee's parent and head in
 * the plan's units, and keeps the relation in the obligation. Every consumer that acts for one
 * assignee (the instance's input, its amendments, its authorisation) takes `forAssignee(plan, o, u)`:
 * the obligation with the relation replaced by that assignee's unit. The workflows never see a
 * relation, and need no registry.
 *
 * What "head" means: a unit's head (thủ trưởng) is a person inside it, not a unit. When the registry
 * lists the person's office as a unit of its own (`chu-tich-ubnd` for `ubnd-hanoi`) and says so with
 * `head:`, that unit is reached. Otherwise the head is reached through the unit itself — its e-mail,
 * its inbox — and the notice is addressed to its head ("Kính gửi: Thủ trưởng …"); the step's `roles`
 * keep `assignee.head`, which is how the notice knows (activities/notify). That fallback serves an
 * escalation (the head is told the unit is late); a reviewer, a co-operating unit or a body reported
 * to must be another unit than the assignee, so there the registry must name the head (compile error
 * `no-head` otherwise).
 */
import type { Bilingual } from '../common/cli-spec.js';
import type { Plan, PlanObligation, PlanUnit } from './plan.js';

export const RELATIONS = ['assignee.head', 'assignee.parent'] as const;
export type Relation = (typeof RELATIONS)[number];

export const RELATION_TEXT: Record<Relation, Bilingual> = {
  'assignee.head': { vi: 'thủ trưởng đơn vị chủ trì', en: "the assignee's head" },
  'assignee.parent': { vi: 'cơ quan cấp trên của đơn vị chủ trì', en: "the assignee's parent body" },
};

export function isRelation(ref: unknown): ref is Relation {
  return typeof ref === 'string' && (RELATIONS as readonly string[]).includes(ref);
}

/** Written as a relation (`assignee.…`), known or not: names and unit ids never hold a dot. */
export function isRelational(ref: unknown): ref is string {
  return typeof ref === 'string' && ref.includes('.');
}

/**
 * The unit a relation names for one assignee, from the plan's units: its parent, its head (the unit
 * itself when the registry names none). Undefined when the plan does not know (the compiler refuses
 * such a plan; a hand-edited one loses that recipient rather than sending to a name).
 */
export function relationTarget(units: Readonly<Record<string, PlanUnit>>, relation: Relation, unitId: string): string | undefined {
  const unit = units[unitId];
  if (relation === 'assignee.parent') return unit?.parent;
  return unit?.head ?? (unit ? unitId : undefined);
}

/** Whether any recipient of the obligation is a relation (else forAssignee returns it unchanged). */
export function usesRelations(o: PlanObligation): boolean {
  return isRelational(o.reviewer) || o.cooperating.some(isRelational) || o.escalation.some((s) => s.to.some(isRelational)) || (o.reportTo ?? []).some(isRelational);
}

/**
 * The obligation as one assignee's instance runs it: every relation replaced by the unit it names for
 * `unitId` (deduplicated, sorted as the compiler sorts). The same object when it uses none, so the
 * instances of plans without relations, and their slice keys, are what they were.
 */
export function forAssignee<O extends PlanObligation>(plan: Pick<Plan, 'units'>, o: O, unitId: string): O {
  if (!usesRelations(o)) return o;
  const one = (ref: string): string | undefined => (isRelation(ref) ? relationTarget(plan.units, ref, unitId) : isRelational(ref) ? undefined : ref);
  const many = (refs: readonly string[]): string[] => [...new Set(refs.flatMap((r) => one(r) ?? []))].sort();
  return {
    ...o,
    reviewer: one(o.reviewer) ?? o.reviewer,
    cooperating: many(o.cooperating),
    escalation: o.escalation.map((s) => ({ ...s, to: many(s.to) })),
    ...(o.reportTo !== undefined ? { reportTo: many(o.reportTo) } : {}),
  };
}

/** The unit that reviews `unitId`'s evidence for the obligation. */
export function reviewerOf(plan: Pick<Plan, 'units'>, o: PlanObligation, unitId: string): string {
  return forAssignee(plan, o, unitId).reviewer;
}

/** Whether `reviewer` reviews the evidence of at least one assignee of the obligation. */
export function reviewsAny(plan: Pick<Plan, 'units'>, o: PlanObligation, reviewer: string): boolean {
  if (!isRelational(o.reviewer)) return o.reviewer === reviewer;
  return o.assignees.some((u) => reviewerOf(plan, o, u) === reviewer);
}

/**
 * Every unit the obligation's notices reach besides its assignees, over all of them: reviewers,
 * co-operating units, escalation recipients, bodies reported to (for "the units a directive names").
 */
export function recipientUnits(plan: Pick<Plan, 'units'>, o: PlanObligation): string[] {
  const of = (x: PlanObligation): string[] => [x.reviewer, ...x.cooperating, ...x.escalation.flatMap((s) => s.to), ...(x.reportTo ?? [])];
  if (!usesRelations(o)) return [...new Set(of(o))];
  return [...new Set(o.assignees.flatMap((u) => of(forAssignee(plan, o, u))))];
}
