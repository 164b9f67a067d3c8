/**
 * Phase three: a directive that passed every check becomes a Plan. Audiences are expanded, roles
 * and succession applied at `asOf`, defaults merged and dates put on the working calendar.
 */
import type { ChithiDirective, Obligation, UnitRef } from './schema/directive.generated.js';
import type { EscalationStep, EvidenceRequirement, Plan, PlanObligation, PlanUnit } from './plan.js';
import { PLAN_VERSION } from './plan.js';
import { addDuration, applyDayOffPolicy, compareDurations } from './calendar/index.js';
import type { WorkingCalendar } from './calendar/index.js';
import { audienceContext, expandAudience, expandRef } from './audience.js';
import type { AudienceContext } from './audience.js';
import { diag } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { locate } from './positions.js';
import type { JsonPath } from './positions.js';
import type { ParsedFile } from './parse.js';
import { resolveUnit } from './registry.js';
import type { Registry } from './registry.js';

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

  /** One unit at asOf, or null if it no longer exists; the caller decides how bad that is. */
  const current = (id: string): { id: string } | { dissolvedOn: string; id: string } => {
    const r = resolveUnit(registry, id, asOf);
    if (r.status === 'active') {
      mention(r.id, r.from);
      return { id: r.id };
    }
    return { dissolvedOn: r.status === 'dissolved' ? r.on : '?', id: r.id };
  };

  const mustExist = (id: string, path: JsonPath, what: { vi: string; en: string }): string => {
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
  for (const [role, unit] of Object.entries(data.roles ?? {})) roles[role] = mustExist(unit, ['roles', role], { vi: `vai trò ${role}: đơn vị`, en: `role ${role}: unit` });
  const issuer = mustExist(md.issuer, ['metadata', 'issuer'], { vi: 'cơ quan ban hành', en: 'issuer' });

  const roleRef = (ref: string, path: JsonPath): string => (ref in roles ? roles[ref]! : mustExist(ref, path, { vi: 'đơn vị', en: 'unit' }));

  const actx = audienceContext(registry, data.audiences);
  for (const name of Object.keys(data.audiences ?? {})) {
    if (expandAudience(actx, name).size === 0) {
      diagnostics.push(
        diag(parsed.file, at(['audiences', name], 'key'), 'empty-audience', { vi: `nhóm đối tượng \`${name}\` không chọn được đơn vị nào`, en: `audience \`${name}\` selects no unit` }, {
          vi: `kiểm tra bộ chọn với danh mục ${registry.file}`,
          en: `check the selector against the registry ${registry.file}`,
        }, 'warning'),
      );
    }
  }

  const units = (refs: UnitRef[] | undefined, base: JsonPath, o: Obligation): string[] => {
    const out = new Set<string>();
    (refs ?? []).forEach((ref) => {
      for (const id of [...expandRef(actx as AudienceContext, ref)].sort()) {
        const c = current(id);
        if ('dissolvedOn' in c) {
          diagnostics.push(
            diag(parsed.file, at(base), 'dissolved-unit', { vi: `\`${id}\` đã giải thể ngày ${c.dissolvedOn}: bỏ khỏi \`${o.id}\``, en: `\`${id}\` was dissolved on ${c.dissolvedOn}: dropped from \`${o.id}\`` }, {
              vi: 'nếu nhiệm vụ chuyển cho đơn vị khác, khai báo `succeededBy` trong danh mục',
              en: 'if its duties passed to another unit, record `succeededBy` in the registry',
            }, 'warning'),
          );
        } else out.add(c.id);
      }
    });
    return [...out].sort();
  };

  const defaults = data.defaults ?? {};
  const obligations: PlanObligation[] = data.obligations.map((o, i) => {
    const base: JsonPath = ['obligations', i];
    const assignees = units(o.assignees, [...base, 'assignees'], o);
    if (assignees.length === 0) {
      diagnostics.push(
        diag(parsed.file, at([...base, 'assignees']), 'empty-audience', { vi: `nhiệm vụ \`${o.id}\` không có đơn vị chủ trì nào (tại ${asOf})`, en: `obligation \`${o.id}\` has no assignee (as of ${asOf})` }, {
          vi: 'kiểm tra `assignees` với danh mục đơn vị',
          en: 'check `assignees` against the unit registry',
        }, 'warning'),
      );
    }
    const cooperating = units(o.cooperating, [...base, 'cooperating'], o);
    const reviewerRef = o.reviewer ?? defaults.reviewer;
    const reviewer = reviewerRef === undefined ? issuer : roleRef(reviewerRef, o.reviewer !== undefined ? [...base, 'reviewer'] : ['defaults', 'reviewer']);
    const reminders = [...new Set(o.reminders ?? defaults.reminders ?? [])].sort((a, b) => compareDurations(b, a, md.issued));
    const escalationPath: JsonPath = o.escalation ? [...base, 'escalation'] : ['defaults', 'escalation'];
    const escalation: EscalationStep[] = (o.escalation ?? defaults.escalation ?? [])
      .map((s, k) => ({
        after: s.after,
        to: [...new Set(s.to.map((t, j) => roleRef(t, [...escalationPath, k, 'to', j])))].sort(),
        roles: s.to.filter((t) => t in roles),
      }))
      .sort((a, b) => compareDurations(a.after, b.after, md.issued));
    const evidence: EvidenceRequirement[] = (o.evidence ?? defaults.evidence ?? []).map((e) => {
      const common = { name: e.name, title: e.title, required: e.required ?? true };
      return e.kind === 'field' ? { kind: 'field', ...common, format: e.format ?? 'text' } : { kind: e.kind, ...common };
    });
    const common = {
      id: o.id,
      clause: o.clause,
      title: o.title,
      assignees,
      cooperating,
      reviewer,
      evidence,
      reminders,
      escalation,
      dependsOn: [...(o.dependsOn ?? [])],
      ...(o.note !== undefined ? { note: o.note } : {}),
    };
    const policy = md.calendar.dueOnDayOff ?? 'next-working-day';
    const onCalendar = (d: string): string => applyDayOffPolicy(calendar, d, policy);
    switch (o.kind) {
      case 'deadline': {
        const due = typeof o.due === 'string' ? o.due : addDuration(md.issued, o.due!.after);
        return { ...common, kind: 'deadline', due, effectiveDue: onCalendar(due) };
      }
      case 'recurring': {
        const anchor = o.anchor ?? md.issued;
        return {
          ...common,
          kind: 'recurring',
          every: o.every!,
          anchor,
          periodFrom: o.periodFrom ?? 'window',
          firstDue: onCalendar(addDuration(anchor, o.every!)),
          ...(md.until !== undefined ? { until: md.until } : {}),
        };
      }
      case 'event':
        return { ...common, kind: 'event', event: o.event!.type, eventTitle: o.event!.title, within: o.within! };
      case 'ongoing': {
        const anchor = o.anchor ?? md.issued;
        const attestEvery = o.attestEvery ?? md.reportingPeriod!;
        return { ...common, kind: 'ongoing', attestEvery, anchor, firstDue: onCalendar(addDuration(anchor, attestEvery)) };
      }
    }
  });

  for (const o of obligations) {
    for (const id of [...o.assignees, ...o.cooperating, o.reviewer, ...o.escalation.flatMap((s) => s.to)]) mention(id, []);
  }
  const planUnits: Record<string, PlanUnit> = {};
  for (const id of [...mentioned.keys()].sort()) {
    const u = registry.units.get(id)!;
    const from = [...mentioned.get(id)!].sort();
    planUnits[id] = {
      id,
      name: u.name ?? { vi: id },
      kind: u.kind,
      ...(u.email !== undefined ? { email: u.email } : {}),
      ...(from.length > 0 ? { succeededFrom: from } : {}),
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
      calendar: { id: md.calendar.id, dueOnDayOff: md.calendar.dueOnDayOff ?? 'next-working-day' },
      asOf,
      registry: md.registry,
    },
    roles,
    obligations,
    units: planUnits,
  };
  return { plan, diagnostics };
}
