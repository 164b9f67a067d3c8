/**
 * Ai được làm gì: một bảng duy nhất. Máy chủ kiểm quyền theo bảng này, kiểm thử ma trận phân quyền
 * chạy theo bảng này, và tài liệu docs/authorization.md được sinh từ bảng này.
 * Who may do what: one table. The server authorises by it, the authorisation matrix test runs from
 * it, and docs/authorization.md is generated from it (`npx tsx scripts/authz-table.ts`).
 */
import type { Bilingual } from '../common/cli-spec.js';
import { ROLE_TEXT, ROLES, actorName, type Actor, type Role } from '../common/roles.js';
import type { InstanceScope } from '../activities/store/instances.js';
import type { Plan } from '../compiler/plan.js';
import { forAssignee, isRelational, reviewerOf, usesRelations } from '../compiler/relations.js';
import { HttpError } from './errors.js';

export const ACTIONS = [
  'submit',
  'submission.approve',
  'extension.request',
  'event.report',
  'review',
  'extension.decide',
  'status.read',
  'inbox.read',
  'evidence.read',
  'audit.read',
  'reminder.draft',
  'directive.deploy',
  'directive.withdraw',
  'accounts.manage',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Phạm vi một vai trò được làm một việc.
 * How far a role's permission reaches:
 * - `own-unit`: what concerns the actor's own unit (its tasks, its inbox);
 * - `reviews-it`: obligations the actor's unit reviews, for another unit (nobody decides on their
 *   own unit's evidence or extension);
 * - `named-in`: directives that name the actor's unit (issuer, a role, a reviewer, an escalation);
 * - `any`: everything of that kind.
 */
export type Scope = 'own-unit' | 'reviews-it' | 'named-in' | 'any';

export const SCOPE_TEXT: Record<Scope, Bilingual> = {
  'own-unit': { vi: 'đơn vị mình', en: 'own unit' },
  'reviews-it': { vi: 'nghĩa vụ đơn vị mình duyệt, của đơn vị khác', en: "obligations its unit reviews, another unit's" },
  'named-in': { vi: 'chỉ thị có tên đơn vị mình', en: 'directives naming its unit' },
  any: { vi: 'tất cả', en: 'all' },
};

export const ACTION_TEXT: Record<Action, Bilingual> = {
  submit: { vi: 'nộp minh chứng', en: 'submit evidence' },
  'submission.approve': { vi: 'phê duyệt hoặc trả lại minh chứng đơn vị gửi đi', en: 'approve or return what the unit sends out' },
  'extension.request': { vi: 'đề nghị gia hạn', en: 'ask for an extension' },
  'event.report': { vi: 'báo cáo sự kiện', en: 'report an event' },
  review: { vi: 'duyệt minh chứng', en: 'review evidence' },
  'extension.decide': { vi: 'quyết định gia hạn', en: 'decide an extension' },
  'status.read': { vi: 'xem tình hình thực hiện', en: 'read status' },
  'inbox.read': { vi: 'xem hộp thông báo', en: 'read the inbox' },
  'evidence.read': { vi: 'tải minh chứng', en: 'download evidence' },
  'audit.read': { vi: 'xem nhật ký', en: 'read the audit trail' },
  'reminder.draft': { vi: 'soạn văn bản đôn đốc đơn vị chậm trễ', en: 'draft a reminder letter to a late unit' },
  'directive.deploy': { vi: 'triển khai, sửa đổi chỉ thị', en: 'deploy or amend a directive' },
  'directive.withdraw': { vi: 'thu hồi chỉ thị', en: 'withdraw a directive' },
  'accounts.manage': { vi: 'quản lý tài khoản', en: 'manage accounts' },
};

/**
 * Bảng phân quyền. / The authorisation table. A role absent from an action's row may not do it;
 * roles add up (an account with two roles may do what either may).
 */
export const PERMISSIONS: Record<Action, Partial<Record<Role, Scope>>> = {
  submit: { officer: 'own-unit', 'unit-head': 'own-unit' },
  // Only where the registry asks for it (`submissionApproval: unit-head`); elsewhere nothing waits.
  'submission.approve': { 'unit-head': 'own-unit' },
  'extension.request': { officer: 'own-unit', 'unit-head': 'own-unit' },
  'event.report': { officer: 'own-unit', 'unit-head': 'own-unit' },
  review: { reviewer: 'reviews-it' },
  'extension.decide': { reviewer: 'reviews-it' },
  'status.read': { officer: 'own-unit', 'unit-head': 'own-unit', reviewer: 'reviews-it', leadership: 'named-in', author: 'any' },
  'inbox.read': { officer: 'own-unit', 'unit-head': 'own-unit', reviewer: 'own-unit', leadership: 'own-unit' },
  'evidence.read': { officer: 'own-unit', 'unit-head': 'own-unit', reviewer: 'reviews-it', leadership: 'named-in' },
  'audit.read': { 'unit-head': 'own-unit', leadership: 'named-in', author: 'any' },
  // Lãnh đạo có tên trong chỉ thị ký văn bản đôn đốc, người soạn chính sách dự thảo nó; chỉ tạo tệp, không ghi gì.
  // Leadership named in the directive signs the reminder letter, the policy author drafts it; it only
  // makes a file (PDF or DOCX), it changes nothing.
  'reminder.draft': { leadership: 'named-in', author: 'any' },
  'directive.deploy': { author: 'any' },
  'directive.withdraw': { author: 'any' },
  'accounts.manage': { admin: 'any' },
};

/**
 * Điều một thao tác chạm tới, đủ để xét phạm vi.
 * What an action touches, enough to judge a scope: the unit whose task it is, the unit that reviews
 * the obligation, and the units the directive names.
 */
export interface Subject {
  unit?: string;
  reviewer?: string;
  plan?: Plan;
}

/**
 * The units a directive names: its issuer, its roles, its reviewers and escalation recipients, the
 * bodies its results are reported to; through a relation (`assignee.parent`, 1.1), the unit it
 * names for each assignee.
 */
export function namedUnits(plan: Plan): Set<string> {
  const out = new Set<string>([plan.directive.issuer, ...Object.values(plan.roles)]);
  for (const o of plan.obligations) {
    if (!usesRelations(o)) {
      out.add(o.reviewer);
      for (const step of o.escalation) for (const u of step.to) out.add(u);
      for (const u of o.reportTo ?? []) out.add(u);
      continue;
    }
    // Co-operating units are informed, not overseers: left out, as they are without relations. An
    // assignee told of its own lateness through its head (`assignee.head` without a registry head)
    // is not thereby named: it would read every other unit's tasks.
    for (const a of o.assignees) {
      const own = forAssignee(plan, o, a);
      for (const u of [own.reviewer, ...own.escalation.flatMap((s) => s.to), ...(own.reportTo ?? [])]) if (u !== a) out.add(u);
    }
  }
  return out;
}

export function inScope(actor: Pick<Actor, 'unit'>, scope: Scope, subject: Subject): boolean {
  switch (scope) {
    case 'any':
      return true;
    case 'own-unit':
      return subject.unit !== undefined && subject.unit === actor.unit;
    case 'reviews-it':
      return subject.reviewer !== undefined && subject.reviewer === actor.unit && subject.unit !== actor.unit;
    case 'named-in':
      return subject.plan !== undefined && namedUnits(subject.plan).has(actor.unit);
  }
}

/** The scopes the actor's roles give for an action (empty: none of its roles may do it). */
export function scopesOf(actor: Pick<Actor, 'roles'>, action: Action): Scope[] {
  const row = PERMISSIONS[action];
  return [...new Set(actor.roles.flatMap((r) => (row[r] ? [row[r]] : [])))];
}

export function allowed(actor: Pick<Actor, 'roles' | 'unit'>, action: Action, subject: Subject = {}): boolean {
  return scopesOf(actor, action).some((s) => inScope(actor, s, subject));
}

/**
 * Các phiên của một chỉ thị mà tác nhân được làm `action`, viết thành bộ lọc cho SQL (không xét
 * từng dòng trong bộ nhớ: bảng tổng quan ở quy mô quốc gia có 100.000 phiên).
 * The instances of a directive the actor may `action`, as a filter the store turns into SQL,
 * instead of allowed() on each row in memory (a national directive has 100,000 instances; the
 * dashboard read them all and filtered them in JS, ~1 s a page).
 *
 * Exact, not an approximation: inScope looks at the subject's unit only through `unit ===
 * actor.unit`, so for one obligation (its reviewer, its plan) every unit other than the actor's
 * gets the same answer. Two probes per obligation, the actor's unit and any other, decide it for
 * all units; test/server/authorization.test.ts compares the filter with allowed() row by row.
 */
export type { InstanceScope };

/** A unit id no unit has: the probe for "any unit other than the actor's". */
const OTHER_UNIT = '\u0000other';

export function instanceScope(actor: Pick<Actor, 'roles' | 'unit'>, action: Action, plan: Plan): InstanceScope {
  const scope: InstanceScope = { unit: actor.unit, all: [], others: [], own: [] };
  for (const o of plan.obligations) {
    if (isRelational(o.reviewer)) {
      // Reviewed by each assignee's own parent (or head): judged unit by unit, as allowed() would.
      const readable = o.assignees.filter((u) => allowed(actor, action, { unit: u, reviewer: reviewerOf(plan, o, u), plan }));
      if (readable.length === o.assignees.length) scope.all.push(o.id);
      else if (readable.length > 0) {
        scope.pairs ??= { obligations: [], units: [] };
        for (const u of readable) {
          scope.pairs.obligations.push(o.id);
          scope.pairs.units.push(u);
        }
      }
      continue;
    }
    const own = allowed(actor, action, { unit: actor.unit, reviewer: o.reviewer, plan });
    const others = allowed(actor, action, { unit: OTHER_UNIT, reviewer: o.reviewer, plan });
    if (own && others) scope.all.push(o.id);
    else if (others) scope.others.push(o.id);
    else if (own) scope.own.push(o.id);
  }
  // Allowed with a unit and a reviewer that are nobody's: allowed whatever the unit and reviewer,
  // so for every instance of the directive, those of obligations an amendment removed too.
  if (allowed(actor, action, { unit: OTHER_UNIT, reviewer: OTHER_UNIT, plan })) scope.every = true;
  return scope;
}

/** Whether the filter admits the unit's instance of the obligation (the same test as its SQL). */
export function inInstanceScope(scope: InstanceScope, obligationId: string, unitId: string): boolean {
  if (scope.every || scope.all.includes(obligationId)) return true;
  if (scope.pairs?.obligations.some((o, i) => o === obligationId && scope.pairs!.units[i] === unitId)) return true;
  if (unitId === scope.unit) return scope.own.includes(obligationId);
  return scope.others.includes(obligationId);
}

/** Refuses (403) unless the actor may; the message says what they would need. */
export function authorize(actor: Actor, action: Action, subject: Subject = {}): void {
  if (allowed(actor, action, subject)) return;
  const row = PERMISSIONS[action];
  const who = ROLES.filter((r) => row[r]).map((r) => ({ vi: `${ROLE_TEXT[r].name.vi} (${SCOPE_TEXT[row[r]!].vi})`, en: `${ROLE_TEXT[r].name.en} (${SCOPE_TEXT[row[r]!].en})` }));
  const what = ACTION_TEXT[action];
  const own = subject.unit !== undefined && subject.unit === actor.unit && row.reviewer === 'reviews-it' && actor.roles.includes('reviewer');
  throw new HttpError(
    403,
    'not-allowed',
    own
      ? {
          vi: `Tài khoản ${actorName(actor)} không được ${what.vi} của chính đơn vị mình (${actor.unit}); việc này do một đơn vị khác quyết định.`,
          en: `Account ${actorName(actor)} may not ${what.en} for its own unit (${actor.unit}); another unit decides it.`,
        }
      : {
          vi: `Tài khoản ${actorName(actor)} (vai trò: ${actor.roles.map((r) => ROLE_TEXT[r].name.vi).join(', ') || 'không có'}) không được ${what.vi}${subject.unit ? ` cho đơn vị ${subject.unit}` : ''}. Được phép: ${who.map((w) => w.vi).join('; ') || 'không ai'}.`,
          en: `Account ${actorName(actor)} (roles: ${actor.roles.map((r) => ROLE_TEXT[r].name.en).join(', ') || 'none'}) may not ${what.en}${subject.unit ? ` for unit ${subject.unit}` : ''}. Allowed: ${who.map((w) => w.en).join('; ') || 'nobody'}.`,
        },
  );
}

/** docs/authorization.md's table, generated from PERMISSIONS (a test checks the file against it). */
export function permissionsTable(): string {
  const header = `| action | ${ROLES.map((r) => ROLE_TEXT[r].name.en).join(' | ')} |`;
  const rule = `|---|${ROLES.map(() => '---').join('|')}|`;
  const rows = ACTIONS.map((a) => `| ${ACTION_TEXT[a].en} (\`${a}\`) | ${ROLES.map((r) => (PERMISSIONS[a][r] ? SCOPE_TEXT[PERMISSIONS[a][r]!].en : '—')).join(' | ')} |`);
  return [header, rule, ...rows].join('\n') + '\n';
}
