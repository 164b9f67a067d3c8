/**
 * Phase three: a directive that passed every check becomes a Plan. Audiences are expanded, roles
 * and succession applied at `asOf`, defaults merged and dates put on the working calendar.
 */
import type { ChithiDirective, Notify, Obligation, UnitRef } from './schema/directive.generated.js';
import type { EscalationStep, EvidenceRequirement, NotifyCadence, Plan, PlanObligation, PlanUnit } from './plan.js';
import { DEFAULT_NOTIFY, PLAN_VERSION } from './plan.js';
import { addDuration, addTiming, applyDayOffPolicy, compareTimings } from './calendar/index.js';
import { checkRelativeDues, deadlineTiming, dependsOnOf, estimateRelativeDues, recurringRelative, remindersPolicy, timingExtras, timingOf } from './timing.js';
import type { WorkingCalendar } from './calendar/index.js';
import { audienceContext, expandRef } from './audience.js';
import type { AudienceContext } from './audience.js';
import { diag } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { locate } from './positions.js';
import type { JsonPath } from './positions.js';
import type { ParsedFile } from './parse.js';
import { resolveUnit } from './registry.js';
import { RELATION_TEXT, isRelation, isRelational, type Relation } from './relations.js';
import type { Registry } from './registry.js';
import type { Bilingual } from '../common/cli-spec.js';

export interface ResolveInput {
  parsed: ParsedFile;
  data: ChithiDirective;
  registry: Registry;
  calendar: WorkingCalendar;
  asOf: string;
}

export type UnhashedPlan = Omit<Plan, 'hash'>;

export function resolvePlan(input: ResolveInput): { plan: UnhashedPlan; diagnostics: Diagnostic[] } {
  const { parsed, data, registry, calendar, asOf } = input;
  const md = data.metadata;
  const diagnostics: Diagnostic[] = [];
  const at = (p: JsonPath, key: 'key' | 'value' = 'value') => locate(parsed, p, key);
  const mentioned = new Map<string, Set<string>>();
  const mention = (id: string, from: string[]): void => {
    const set = mentioned.get(id) ?? new Set<string>();
    for (const f of from) set.add(f);
    mentioned.set(id, set);
  };

  // Thousands of units × dozens of obligations: resolve each unit once.
  const resolved = new Map<string, { id: string } | { dissolvedOn: string; id: string }>();
  /** The unit at asOf, or where it was dissolved; the caller decides how bad that is. */
  const current = (id: string): { id: string } | { dissolvedOn: string; id: string } => {
    const hit = resolved.get(id);
    if (hit) return hit;
    const r = resolveUnit(registry, id, asOf);
    let out: { id: string } | { dissolvedOn: string; id: string };
    if (r.status === 'active') {
      mention(r.id, r.from);
      out = { id: r.id };
    } else out = { dissolvedOn: r.status === 'dissolved' ? r.on : '?', id: r.id };
    resolved.set(id, out);
    return out;
  };

  const mustExist = (id: string, path: JsonPath, what: Bilingual): string => {
    const c = current(id);
    if ('dissolvedOn' in c) {
      diagnostics.push(
        diag(parsed.file, at(path), 'dissolved-unit', { vi: `${what.vi} \`${id}\` đã giải thể ngày ${c.dissolvedOn} (tại ${asOf})`, en: `${what.en} \`${id}\` was dissolved on ${c.dissolvedOn} (as of ${asOf})` }, {
          vi: 'chỉ định đơn vị khác hoặc khai báo đơn vị kế thừa (`succeededBy`) trong danh mục',
          en: 'name another unit, or record a successor (`succeededBy`) in the registry',
        }),
      );
      return c.id;
    }
    return c.id;
  };

  const roles: Record<string, string> = {};
  /** Roles that carry their own notify setting, by the unit holding them at asOf. */
  const roleNotify = new Map<string, { role: string; notify: NotifyCadence }[]>();
  for (const [role, binding] of Object.entries(data.roles ?? {})) {
    const bound = typeof binding === 'string' ? { unit: binding } : binding;
    const path: JsonPath = typeof binding === 'string' ? ['roles', role] : ['roles', role, 'unit'];
    const holder = mustExist(bound.unit, path, { vi: `vai trò ${role}: đơn vị`, en: `role ${role}: unit` });
    roles[role] = holder;
    if (bound.notify) roleNotify.set(holder, [...(roleNotify.get(holder) ?? []), { role, notify: notifyCadence(bound.notify) }]);
  }
  const issuer = mustExist(md.issuer, ['metadata', 'issuer'], { vi: 'cơ quan ban hành', en: 'issuer' });

  // A relation (`assignee.parent`, 1.1) stays in the obligation; each assignee's unit is in `units` (relations.ts).
  const roleRef = (ref: string, path: JsonPath): string => (isRelational(ref) ? ref : ref in roles ? roles[ref]! : mustExist(ref, path, { vi: 'đơn vị', en: 'unit' }));
  // 1.1: a role name in a list of units stands for its holder (an audience of that name comes first).
  const unitRefs = (refs: UnitRef[] | undefined): UnitRef[] | undefined =>
    refs?.flatMap((r): UnitRef[] => (typeof r !== 'string' ? [r] : isRelational(r) ? [] : !(r in (data.audiences ?? {})) && r in roles ? [roles[r]!] : [r]));

  // An audience that selects no unit in the registry is reported by semantics/audiences.ts.
  const actx = audienceContext(registry, data.audiences);

  /** A ref's units at asOf, split into present and dissolved; memoised per named audience. */
  const refCache = new Map<string, { present: string[]; dissolved: { id: string; on: string }[] }>();
  const resolveRef = (ref: UnitRef): { present: string[]; dissolved: { id: string; on: string }[] } => {
    const key = typeof ref === 'string' ? ref : null;
    const hit = key !== null ? refCache.get(key) : undefined;
    if (hit) return hit;
    const present: string[] = [];
    const dissolved: { id: string; on: string }[] = [];
    for (const id of expandRef(actx as AudienceContext, ref)) {
      const c = current(id);
      if ('dissolvedOn' in c) dissolved.push({ id, on: c.dissolvedOn });
      else present.push(c.id);
    }
    const out = { present: [...new Set(present)].sort(), dissolved };
    if (key !== null) refCache.set(key, out);
    return out;
  };

  const units = (refs: UnitRef[] | undefined, base: JsonPath, o: Obligation): string[] => {
    const parts = (refs ?? []).map(resolveRef);
    const dropped = new Map<string, string>();
    for (const r of parts) for (const d of r.dissolved) dropped.set(d.id, d.on);
    if (dropped.size > 0) {
      // One warning per obligation and list: a registry with many dissolved units stays readable.
      const list = [...dropped].sort(([a], [b]) => (a < b ? -1 : 1));
      const shown = list.slice(0, 5).map(([id]) => `\`${id}\``).join(', ');
      const more = list.length > 5 ? { vi: ` và ${list.length - 5} đơn vị khác`, en: ` and ${list.length - 5} more` } : { vi: '', en: '' };
      const single = list.length === 1 ? list[0]! : null;
      diagnostics.push(
        diag(
          parsed.file,
          at(base),
          'dissolved-unit',
          single
            ? { vi: `\`${single[0]}\` đã giải thể ngày ${single[1]}: bỏ khỏi \`${o.id}\``, en: `\`${single[0]}\` was dissolved on ${single[1]}: dropped from \`${o.id}\`` }
            : { vi: `${list.length} đơn vị đã giải thể (${shown}${more.vi}): bỏ khỏi \`${o.id}\``, en: `${list.length} units were dissolved (${shown}${more.en}): dropped from \`${o.id}\`` },
          {
            vi: 'nếu nhiệm vụ chuyển cho đơn vị khác, khai báo `succeededBy` trong danh mục',
            en: 'if its duties passed to another unit, record `succeededBy` in the registry',
          },
          'warning',
        ),
      );
    }
    // The common case, one audience, is already deduplicated and sorted.
    if (parts.length === 1) return [...parts[0]!.present];
    return [...new Set(parts.flatMap((r) => r.present))].sort();
  };

  const defaults = data.defaults ?? {};
  const obligations: PlanObligation[] = data.obligations.map((o, i) => {
    const base: JsonPath = ['obligations', i];
    const assignees = units(unitRefs(o.assignees), [...base, 'assignees'], o);
    // Empty because its units were dissolved by asOf: a warning. Empty in the registry itself: every
    // entry said `mayBeEmpty` (else semantics/audiences.ts refused it), so nothing to add.
    if (assignees.length === 0 && o.assignees.some((r) => resolveRef(r).dissolved.length > 0)) {
      diagnostics.push(
        diag(parsed.file, at([...base, 'assignees']), 'empty-audience', { vi: `nhiệm vụ \`${o.id}\` không có đơn vị chủ trì nào (tại ${asOf})`, en: `obligation \`${o.id}\` has no assignee (as of ${asOf})` }, {
          vi: 'kiểm tra `assignees` với danh mục đơn vị',
          en: 'check `assignees` against the unit registry',
        }, 'warning'),
      );
    }
    const cooperatingUnits = units(unitRefs(o.cooperating), [...base, 'cooperating'], o);
    const cooperatingRelations = (o.cooperating ?? []).filter(isRelational);
    const cooperating = cooperatingRelations.length > 0 ? [...new Set([...cooperatingUnits, ...cooperatingRelations])].sort() : cooperatingUnits;
    const reviewerRef = o.reviewer ?? defaults.reviewer;
    // Without a reviewer anywhere, the coordinator role (cơ quan đầu mối) reviews, else the issuer.
    const reviewer = reviewerRef === undefined ? (roles.coordinator ?? issuer) : roleRef(reviewerRef, o.reviewer !== undefined ? [...base, 'reviewer'] : ['defaults', 'reviewer']);
    const reminders = [...new Set(o.reminders ?? defaults.reminders ?? [])].sort((a, b) => compareTimings(b, a, md.issued, calendar));
    const escalationPath: JsonPath = o.escalation ? [...base, 'escalation'] : ['defaults', 'escalation'];
    const escalation: EscalationStep[] = (o.escalation ?? defaults.escalation ?? [])
      .map((s, k) => ({
        after: s.after,
        to: [...new Set(s.to.map((t, j) => roleRef(t, [...escalationPath, k, 'to', j])))].sort(),
        roles: s.to.filter((t) => t in roles || isRelational(t)),
      }))
      .sort((a, b) => compareTimings(a.after, b.after, md.issued, calendar));
    const evidence: EvidenceRequirement[] = (o.evidence ?? defaults.evidence ?? []).map((e) => {
      const common = { name: e.name, title: e.title, required: e.required ?? true };
      return e.kind === 'field' ? { kind: 'field', ...common, format: e.format ?? 'text' } : { kind: e.kind, ...common };
    });
    // `id` and `kind` lead each obligation in the JSON, where a reader looks first.
    const common = {
      clause: o.clause,
      title: o.title,
      assignees,
      cooperating,
      reviewer,
      evidence,
      reminders,
      escalation,
      dependsOn: dependsOnOf(o),
      ...(o.note !== undefined ? { note: o.note } : {}),
      ...timingExtras(o),
      ...(o.reportTo !== undefined ? { reportTo: [...new Set(o.reportTo.map((t, j) => roleRef(t, [...base, 'reportTo', j])))].sort() } : {}),
    };
    const policy = o.dueOnDayOff ?? md.calendar.dueOnDayOff ?? 'next-working-day';
    const onCalendar = (d: string): string => applyDayOffPolicy(calendar, d, policy);
    switch (o.kind) {
      case 'deadline': {
        return { id: o.id, kind: 'deadline', ...common, ...deadlineTiming(o, md.issued, calendar, policy) };
      }
      case 'recurring': {
        const anchor = o.anchor ?? md.issued;
        return {
          id: o.id,
          kind: 'recurring',
          ...common,
          every: timingOf(o.every)!,
          anchor,
          periodFrom: o.periodFrom ?? (recurringRelative(o) ? 'completion' : 'window'),
          firstDue: onCalendar(addDuration(anchor, timingOf(o.every)!)),
          ...(recurringRelative(o) !== undefined ? { relativeDue: recurringRelative(o)! } : {}),
          ...(md.until !== undefined ? { until: md.until } : {}),
        };
      }
      case 'event': {
        const raisedBy = o.event!.raisedBy !== undefined ? units(unitRefs(o.event!.raisedBy), [...base, 'event', 'raisedBy'], o) : undefined;
        return { id: o.id, kind: 'event', ...common, event: o.event!.type, eventTitle: o.event!.title, within: timingOf(o.within)!, ...(raisedBy !== undefined ? { raisedBy } : {}) };
      }
      case 'ongoing': {
        const anchor = o.anchor ?? md.issued;
        const attestEvery = o.attestEvery ?? md.reportingPeriod!;
        return { id: o.id, kind: 'ongoing', ...common, attestEvery, anchor, firstDue: onCalendar(addDuration(anchor, attestEvery)) };
      }
    }
  });

  estimateRelativeDues(obligations, calendar, md.calendar.dueOnDayOff ?? 'next-working-day');
  diagnostics.push(...crossChecks(input, obligations));
  diagnostics.push(...checkRelativeDues(parsed, data, obligations));
  const relations = resolveRelations(input, obligations, current);
  diagnostics.push(...relations.diagnostics);

  for (const o of obligations) {
    for (const id of o.assignees) if (!mentioned.has(id)) mention(id, []);
    for (const id of [...o.cooperating, o.reviewer, ...o.escalation.flatMap((s) => s.to), ...(o.reportTo ?? []), ...(o.kind === 'event' ? (o.raisedBy ?? []) : [])]) if (!isRelational(id)) mention(id, []);
  }
  for (const r of relations.byUnit.values()) for (const id of [r.parent, r.head]) if (id !== undefined) mention(id, []);
  // The units that mostly read about other units' work (coordinator, reviewers, leadership) take the
  // `escalations` default even where they are assignees too: their mail is what needs batching.
  const overseers = new Set([...Object.values(roles), ...obligations.flatMap((o) => [o.reviewer, ...o.escalation.flatMap((s) => s.to), ...(o.reportTo ?? [])]), ...relations.overseers]);
  const notifyOf = (id: string, own: Notify | undefined): NotifyCadence | undefined => {
    if (own) return notifyCadence(own);
    const byRole = roleNotify.get(id);
    if (byRole) return roleCadence(id, byRole);
    const fallback = overseers.has(id) ? defaults.notify?.escalations : defaults.notify?.units;
    return fallback ? notifyCadence(fallback) : undefined;
  };
  /** One unit holding several roles that disagree: the most frequent letter wins, so no role hears later than it asked. */
  const roleCadence = (id: string, byRole: { role: string; notify: NotifyCadence }[]): NotifyCadence => {
    const ranked = [...byRole].sort((a, b) => compareCadence(a.notify, b.notify));
    const chosen = ranked[0]!;
    for (const other of byRole) {
      if (compareCadence(other.notify, chosen.notify) === 0) continue;
      diagnostics.push(
        diag(
          parsed.file,
          at(['roles', other.role, 'notify']),
          'notify-conflict',
          {
            vi: `\`${id}\` giữ cả vai trò ${chosen.role} và ${other.role} với nhịp gửi thư khác nhau: dùng ${cadenceText(chosen.notify).vi} của ${chosen.role}`,
            en: `\`${id}\` holds both roles ${chosen.role} and ${other.role} with different notify settings: using ${cadenceText(chosen.notify).en} of ${chosen.role}`,
          },
          {
            vi: 'đặt cùng một nhịp cho hai vai trò, hoặc khai báo `notify` riêng của đơn vị trong danh mục',
            en: 'give both roles the same setting, or set the unit\'s own `notify` in the registry',
          },
          'warning',
        ),
      );
    }
    return chosen.notify;
  };
  const planUnits: Record<string, PlanUnit> = {};
  for (const id of [...mentioned.keys()].sort()) {
    const u = registry.units.get(id)!;
    const from = [...mentioned.get(id)!].sort();
    const notify = notifyOf(id, u.notify);
    planUnits[id] = {
      id,
      name: u.name ?? { vi: id },
      kind: u.kind,
      ...(u.email !== undefined ? { email: u.email } : {}),
      ...(notify !== undefined ? { notify } : {}),
      ...(u.submissionApproval === 'unit-head' ? { submissionApproval: 'unit-head' as const } : {}),
      ...(from.length > 0 ? { succeededFrom: from } : {}),
      ...(relations.byUnit.get(id)?.parent !== undefined ? { parent: relations.byUnit.get(id)!.parent! } : {}),
      ...(relations.byUnit.get(id)?.head !== undefined ? { head: relations.byUnit.get(id)!.head! } : {}),
    };
  }

  const plan: UnhashedPlan = {
    planVersion: PLAN_VERSION,
    directive: {
      id: md.id,
      number: md.number,
      issued: md.issued,
      timezone: md.timezone,
      title: md.title,
      issuer,
      implements: [...(md.implements ?? [])],
      revision: md.revision ?? 1,
      calendar: { id: md.calendar.id, dueOnDayOff: md.calendar.dueOnDayOff ?? 'next-working-day', ...remindersPolicy(data) },
      asOf,
      registry: md.registry,
    },
    roles,
    obligations,
    units: planUnits,
  };
  return { plan, diagnostics };
}

/** A written setting with its defaults filled in; `weekday` is kept only where it means something. */
function notifyCadence(n: Notify): NotifyCadence {
  return { cadence: n.cadence, at: n.at ?? DEFAULT_NOTIFY.at, ...(n.cadence === 'weekly' && n.weekday !== undefined ? { weekday: n.weekday } : {}) };
}

const CADENCE_RANK: Record<NotifyCadence['cadence'], number> = { immediate: 0, daily: 1, weekly: 2 };

/** Most frequent first, then earliest in the day, then earliest in the week (unset = the week's first working day). */
function compareCadence(a: NotifyCadence, b: NotifyCadence): number {
  return CADENCE_RANK[a.cadence] - CADENCE_RANK[b.cadence] || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) || (a.weekday ?? 0) - (b.weekday ?? 0);
}

function cadenceText(n: NotifyCadence): Bilingual {
  if (n.cadence === 'immediate') return { vi: 'gửi ngay', en: 'immediate' };
  if (n.cadence === 'daily') return { vi: `hằng ngày lúc ${n.at}`, en: `daily at ${n.at}` };
  const day = n.weekday !== undefined ? { vi: `thứ ${n.weekday === 7 ? 'CN' : n.weekday + 1}`, en: `weekday ${n.weekday}` } : { vi: 'ngày làm việc đầu tuần', en: 'the first working day' };
  return { vi: `hằng tuần vào ${day.vi} lúc ${n.at}`, en: `weekly on ${day.en} at ${n.at}` };
}

/** Checks that need resolved assignees and dates; advisory, so warnings. */
function crossChecks(input: ResolveInput, obligations: PlanObligation[]): Diagnostic[] {
  const { parsed, data } = input;
  const out: Diagnostic[] = [];
  const byId = new Map(obligations.map((o) => [o.id, o]));
  obligations.forEach((o, i) => {
    const mine = new Set(o.assignees);
    o.dependsOn.forEach((dep, j) => {
      const other = byId.get(dep);
      if (other && mine.size > 0 && !other.assignees.some((a) => mine.has(a))) {
        out.push(
          diag(parsed.file, locate(parsed, ['obligations', i, 'dependsOn', j]), 'dependency-unrelated', {
            vi: `\`${o.id}\` phụ thuộc \`${dep}\` nhưng hai nhiệm vụ không có đơn vị chủ trì chung`,
            en: `\`${o.id}\` depends on \`${dep}\` but they share no assignee`,
          }, {
            vi: 'phụ thuộc chỉ có nghĩa khi cùng một đơn vị làm cả hai việc',
            en: 'a dependency only applies when the same unit does both',
          }, 'warning'),
        );
      }
    });
    if (o.kind === 'deadline') {
      const issued = data.metadata.issued;
      // A due date counted from a receipt or a completion (1.1) is not known yet: nothing to compare.
      const early = o.relativeDue !== undefined ? [] : o.reminders.filter((r) => addTiming(input.calendar, issued, r) > o.effectiveDue);
      if (early.length > 0) {
        const path: JsonPath = data.obligations[i]!.reminders ? ['obligations', i, 'reminders'] : ['defaults', 'reminders'];
        out.push(
          diag(parsed.file, locate(parsed, path), 'reminder-before-issued', {
            vi: `nhắc việc ${early.join(', ')} của \`${o.id}\` rơi vào trước ngày ban hành ${issued}`,
            en: `reminder ${early.join(', ')} of \`${o.id}\` falls before the issue date ${issued}`,
          }, {
            vi: 'nhắc việc đó sẽ không bao giờ được gửi',
            en: 'that reminder will never be sent',
          }, 'warning'),
        );
      }
    }
  });
  return out;
}

/** Each assignee's parent and head, for the obligations that name them, with what is missing reported. */
interface ResolvedRelations {
  diagnostics: Diagnostic[];
  byUnit: Map<string, { parent?: string; head?: string }>;
  /** Units reached as reviewer, escalation recipient or body reported to through a relation. */
  overseers: string[];
}

type Current = (id: string) => { id: string } | { dissolvedOn: string; id: string };

/**
 * Người nhận theo quan hệ của từng đơn vị chủ trì, tại `asOf`: cơ quan cấp trên (`parent`, sau kế
 * thừa) và thủ trưởng (`head`), kèm lỗi khi danh mục không ghi.
 * The units each relation names, per assignee at `asOf`: the parent body (registry `parent`, after
 * succession) and the head (registry `head`). An assignee without the parent a relation needs is an
 * error (`no-parent`): the notice would reach nobody. Without a registry head, `assignee.head` in an
 * escalation reaches the unit itself, addressed to its head; as reviewer, co-operating unit or body
 * reported to it would be the assignee itself, so there it is an error (`no-head`).
 */
function resolveRelations(input: ResolveInput, obligations: PlanObligation[], current: Current): ResolvedRelations {
  const { parsed, data, registry } = input;
  const out: ResolvedRelations = { diagnostics: [], byUnit: new Map(), overseers: [] };
  const defaults = data.defaults ?? {};
  const record = (unit: string, key: 'parent' | 'head', id: string): void => {
    const r = out.byUnit.get(unit) ?? {};
    r[key] = id;
    out.byUnit.set(unit, r);
  };
  const listed = (ids: string[]): Bilingual => {
    const shown = ids.slice(0, 5).map((id) => `\`${id}\``).join(', ');
    return ids.length > 5 ? { vi: `${shown} và ${ids.length - 5} đơn vị khác`, en: `${shown} and ${ids.length - 5} more` } : { vi: shown, en: shown };
  };

  data.obligations.forEach((o, i) => {
    const planned = obligations[i]!;
    const base: JsonPath = ['obligations', i];
    /** Where each relation is written for this obligation (its own fields, else the defaults it takes). */
    const uses: { relation: Relation; field: 'reviewer' | 'cooperating' | 'escalation' | 'reportTo'; path: JsonPath }[] = [];
    const reviewer = o.reviewer ?? defaults.reviewer;
    if (isRelation(reviewer)) uses.push({ relation: reviewer, field: 'reviewer', path: o.reviewer !== undefined ? [...base, 'reviewer'] : ['defaults', 'reviewer'] });
    (o.cooperating ?? []).forEach((r, j) => isRelation(r) && uses.push({ relation: r, field: 'cooperating', path: [...base, 'cooperating', j] }));
    const escalationPath: JsonPath = o.escalation ? [...base, 'escalation'] : ['defaults', 'escalation'];
    (o.escalation ?? defaults.escalation ?? []).forEach((s, k) => s.to.forEach((t, j) => isRelation(t) && uses.push({ relation: t, field: 'escalation', path: [...escalationPath, k, 'to', j] })));
    (o.reportTo ?? []).forEach((t, j) => isRelation(t) && uses.push({ relation: t, field: 'reportTo', path: [...base, 'reportTo', j] }));
    if (uses.length === 0) return;
    // Reported where the relation is first written, in the file's order.
    const pos = (u: (typeof uses)[number]) => locate(parsed, u.path);
    uses.sort((a, b) => pos(a).line - pos(b).line || pos(a).column - pos(b).column);

    const reported = new Set<string>();
    for (const use of uses) {
      const missing: string[] = [];
      const dissolved: string[] = [];
      for (const a of planned.assignees) {
        const entry = registry.units.get(a);
        const written = use.relation === 'assignee.parent' ? entry?.parent : entry?.head;
        if (written === undefined) {
          if (use.relation === 'assignee.parent' || use.field !== 'escalation') missing.push(a);
          continue;
        }
        const c = current(written);
        if ('dissolvedOn' in c) {
          dissolved.push(`${a} → ${written} (${c.dissolvedOn})`);
          continue;
        }
        record(a, use.relation === 'assignee.parent' ? 'parent' : 'head', c.id);
        if (use.field !== 'cooperating') out.overseers.push(c.id);
      }
      // One diagnostic per obligation, relation and problem: a national audience stays readable.
      const key = use.relation;
      if (missing.length > 0 && !reported.has(`${key}:missing`)) {
        reported.add(`${key}:missing`);
        const what = RELATION_TEXT[use.relation];
        out.diagnostics.push(
          use.relation === 'assignee.parent'
            ? diag(parsed.file, locate(parsed, use.path), 'no-parent', {
                vi: `\`assignee.parent\` của \`${o.id}\`: ${missing.length} đơn vị chủ trì không có cơ quan cấp trên (\`parent\`) trong danh mục: ${listed(missing).vi}`,
                en: `\`assignee.parent\` of \`${o.id}\`: ${missing.length} assignee(s) have no parent (\`parent\`) in the registry: ${listed(missing).en}`,
              }, {
                vi: `ghi \`parent:\` cho các đơn vị đó trong danh mục, hoặc ghi thẳng người nhận (mã đơn vị, vai trò) thay cho ${what.vi}`,
                en: `give those units \`parent:\` in the registry, or name the recipient (a unit id, a role) instead of ${what.en}`,
              })
            : diag(parsed.file, locate(parsed, use.path), 'no-head', {
                vi: `\`assignee.head\` ở \`${use.field}\` của \`${o.id}\`: danh mục không ghi thủ trưởng (\`head\`) của ${listed(missing).vi}, nên đó sẽ là chính đơn vị chủ trì`,
                en: `\`assignee.head\` in \`${use.field}\` of \`${o.id}\`: the registry names no head (\`head\`) for ${listed(missing).en}, so it would be the assignee itself`,
              }, {
                vi: 'ghi `head:` (đơn vị đứng cho thủ trưởng) cho các đơn vị đó trong danh mục; để thủ trưởng duyệt trước khi gửi đi, dùng `submissionApproval: unit-head` trong danh mục; trong `escalation`, `assignee.head` đến chính đơn vị, gửi thủ trưởng',
                en: 'give those units `head:` (the unit standing for their head) in the registry; for a head to approve before sending, use the registry\'s `submissionApproval: unit-head`; in `escalation`, `assignee.head` reaches the unit itself, addressed to its head',
              }),
        );
      }
      if (dissolved.length > 0 && !reported.has(`${key}:dissolved`)) {
        reported.add(`${key}:dissolved`);
        out.diagnostics.push(
          diag(parsed.file, locate(parsed, use.path), 'dissolved-unit', {
            vi: `\`${use.relation}\` của \`${o.id}\`: đơn vị được chỉ tới đã giải thể (tại ${input.asOf}): ${listed(dissolved).vi}`,
            en: `\`${use.relation}\` of \`${o.id}\`: the unit it names was dissolved (as of ${input.asOf}): ${listed(dissolved).en}`,
          }, {
            vi: 'khai báo đơn vị kế thừa (`succeededBy`) trong danh mục, hoặc sửa `parent`/`head` của các đơn vị đó',
            en: 'record a successor (`succeededBy`) in the registry, or correct those units\' `parent`/`head`',
          }),
        );
      }
    }
  });
  out.overseers = [...new Set(out.overseers)];
  return out;
}
