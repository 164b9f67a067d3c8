/**
 * Tác động của một lần sửa đổi: so hai kế hoạch của cùng một chỉ thị, nói nghĩa vụ và đơn vị nào
 * thêm, bớt; hạn nào dời (từ → đến); nhắc hạn, báo cáo cấp trên nào đổi; bao nhiêu phiên đang chạy
 * sẽ được khởi động, điều chỉnh, thu hồi; và mỗi đơn vị sẽ nhận những thông báo nào vì thế.
 * The impact of an amendment: two plans of one directive compared, saying which obligations and
 * units are added or removed, which due dates move (from → to), which reminders and escalations
 * change, how many running instances deploying would start, amend and withdraw (service/deploy.ts's
 * own diff, so the numbers are the deploy's), and which notices each unit would receive as a result
 * (the workflows' own: `opened` to the assignee and the cooperating units of a started instance,
 * `amended` to the assignee of an amended one, `withdrawn` to the assignee of a withdrawn one).
 * Pure: `chithi diff OLD NEW` runs it on two files, `chithi deploy --dry-run` on the server against
 * the deployed plan, and the portal's preview shows it.
 */
import { afterDueWords, beforeWords, durationWords, everyWords } from '../common/durations.js';
import type { LocalizedText, Plan, PlanObligation } from '../compiler/plan.js';
import { diff } from './deploy.js';
import { plannedInstances } from './instances.js';

export interface ObligationRef {
  id: string;
  clause: string;
  title: LocalizedText;
}

/** One property of an obligation (or of the directive) that changes, as text: from → to. */
export interface FieldChange {
  field: 'title' | 'due' | 'every' | 'anchor' | 'until' | 'within' | 'attestEvery' | 'event' | 'reminders' | 'escalation' | 'reviewer' | 'cooperating' | 'evidence' | 'dependsOn' | 'calendar' | 'timezone';
  from: string;
  to: string;
}

export interface ObligationChange extends ObligationRef {
  unitsAdded: string[];
  unitsRemoved: string[];
  changes: FieldChange[];
}

export interface UnitNotices {
  unit: string;
  name: LocalizedText;
  /** New instances that will open for it (as assignee, or told as a cooperating unit). */
  opened: number;
  amended: number;
  withdrawn: number;
}

export interface PlanImpact {
  directive: { id: string; number: string; fromRevision?: number; toRevision: number };
  /** Directive-wide changes (title, calendar policy, timezone): every instance is amended for them. */
  directiveChanges: FieldChange[];
  added: ObligationRef[];
  removed: ObligationRef[];
  changed: ObligationChange[];
  instances: { start: number; amend: number; withdraw: number; unchanged: number };
  notices: UnitNotices[];
}

const ref = (o: PlanObligation): ObligationRef => ({ id: o.id, clause: o.clause, title: o.title });
const text = (t: LocalizedText) => (t.en ? `${t.vi} / ${t.en}` : t.vi);
const list = (xs: string[]) => (xs.length === 0 ? '—' : xs.join(', '));

/** The obligation's timing fields, by kind, as text. */
function timing(o: PlanObligation): Partial<Record<FieldChange['field'], string>> {
  // A due date known only at run time (language 1.1): what it counts from, not the plan's expected date.
  const r = o.relativeDue;
  if (r) return { ...(o.kind === 'recurring' && { every: o.every }), due: `${r.from === 'receipt' ? 'receipt' : r.obligation} + ${r.plus}` };
  switch (o.kind) {
    case 'deadline':
      return { due: o.effectiveDue };
    case 'recurring':
      return { every: o.every, anchor: o.anchor, ...(o.until !== undefined && { until: o.until }), due: o.firstDue };
    case 'event':
      return { event: o.event, within: o.within };
    case 'ongoing':
      return { attestEvery: o.attestEvery, anchor: o.anchor, due: o.firstDue };
  }
}

function obligationFields(o: PlanObligation): Partial<Record<FieldChange['field'], string>> {
  return {
    title: text(o.title),
    ...timing(o),
    reminders: list(o.reminders),
    escalation: list(o.escalation.map((s) => `${s.after} → ${s.to.join('+')}`)),
    reviewer: o.reviewer,
    cooperating: list(o.cooperating),
    evidence: list(o.evidence.map((e) => `${e.kind}:${e.name}${e.required ? '' : '?'}`)),
    dependsOn: list(o.dependsOn),
  };
}

function changesOf(before: Partial<Record<FieldChange['field'], string>>, after: Partial<Record<FieldChange['field'], string>>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)]) as Set<FieldChange['field']>) {
    const from = before[field] ?? '—';
    const to = after[field] ?? '—';
    if (from !== to) out.push({ field, from, to });
  }
  return out;
}

export function planImpact(previous: Plan | undefined, plan: Plan): PlanImpact {
  const d = plan.directive;
  const old = new Map((previous?.obligations ?? []).map((o) => [o.id, o]));
  const next = new Map(plan.obligations.map((o) => [o.id, o]));
  const added = plan.obligations.filter((o) => !old.has(o.id)).map(ref);
  const removed = (previous?.obligations ?? []).filter((o) => !next.has(o.id)).map(ref);
  const changed: ObligationChange[] = [];
  for (const o of plan.obligations) {
    const before = old.get(o.id);
    if (!before) continue;
    const was = new Set(before.assignees);
    const is = new Set(o.assignees);
    const change: ObligationChange = {
      ...ref(o),
      unitsAdded: o.assignees.filter((u) => !was.has(u)),
      unitsRemoved: before.assignees.filter((u) => !is.has(u)),
      changes: changesOf(obligationFields(before), obligationFields(o)),
    };
    if (change.unitsAdded.length + change.unitsRemoved.length + change.changes.length > 0) changed.push(change);
  }
  const directiveChanges = previous
    ? changesOf(
        { title: text(previous.directive.title), calendar: `${previous.directive.calendar.id}, ${previous.directive.calendar.dueOnDayOff}`, timezone: previous.directive.timezone },
        { title: text(d.title), calendar: `${d.calendar.id}, ${d.calendar.dueOnDayOff}`, timezone: d.timezone },
      )
    : [];

  // What deploying would tell Temporal, and so the notices the workflows send for it.
  const { ops, unchanged } = diff(plan, previous);
  const instances = { start: 0, amend: 0, withdraw: 0, unchanged };
  const notices = new Map<string, UnitNotices>();
  const unitName = (u: string) => plan.units[u]?.name ?? previous?.units[u]?.name ?? { vi: u };
  const bump = (unit: string, kind: 'opened' | 'amended' | 'withdrawn') => {
    const line = notices.get(unit) ?? { unit, name: unitName(unit), opened: 0, amended: 0, withdrawn: 0 };
    line[kind] += 1;
    notices.set(unit, line);
  };
  const before = new Map(previous ? plannedInstances(previous).map((p) => [p.workflowId, p]) : []);
  for (const op of ops) {
    if (op.kind === 'start') {
      instances.start += 1;
      bump(op.instance.unitId, 'opened');
      for (const u of op.instance.obligation.cooperating) if (u !== op.instance.unitId) bump(u, 'opened');
    } else if (op.kind === 'amend') {
      instances.amend += 1;
      bump(op.instance.unitId, 'amended');
    } else {
      instances.withdraw += 1;
      const gone = before.get(op.workflowId);
      if (gone) bump(gone.unitId, 'withdrawn');
    }
  }
  return {
    directive: { id: d.id, number: d.number, ...(previous && { fromRevision: previous.directive.revision }), toRevision: d.revision },
    directiveChanges,
    added,
    removed,
    changed,
    instances,
    notices: [...notices.values()].sort((a, b) => a.unit.localeCompare(b.unit)),
  };
}

/** Each changed property's name, as the CLI and the portal print it. */
export const FIELD_LABEL: Record<FieldChange['field'], { vi: string; en: string }> = {
  title: { vi: 'tên', en: 'title' },
  due: { vi: 'hạn', en: 'due' },
  every: { vi: 'chu kỳ', en: 'every' },
  anchor: { vi: 'mốc bắt đầu', en: 'anchor' },
  until: { vi: 'đến hết', en: 'until' },
  within: { vi: 'thời hạn sau sự kiện', en: 'within' },
  attestEvery: { vi: 'kỳ xác nhận', en: 'attest every' },
  event: { vi: 'sự kiện', en: 'event' },
  reminders: { vi: 'nhắc hạn trước', en: 'reminders before' },
  escalation: { vi: 'báo cáo cấp trên', en: 'escalation' },
  reviewer: { vi: 'đơn vị thẩm định', en: 'reviewer' },
  cooperating: { vi: 'đơn vị phối hợp', en: 'cooperating' },
  evidence: { vi: 'minh chứng', en: 'evidence' },
  dependsOn: { vi: 'làm sau', en: 'depends on' },
  calendar: { vi: 'lịch làm việc', en: 'calendar' },
  timezone: { vi: 'múi giờ', en: 'timezone' },
};

/** `2026-02-27` → `27/02/2026` inside a value; other text as it is. */
const dates = (s: string) => s.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3/$2/$1');

/**
 * A changed value in words (common/durations.ts, as chithi compile prints plans): periods "mỗi 6
 * tháng", reminders "trước 7 ngày", escalation steps "7 ngày sau hạn: chu-tich"; dates dd/mm/yyyy.
 * The JSON output keeps the plan's own values.
 */
export function valueWords(field: FieldChange['field'], value: string, lang: 'vi' | 'en'): string {
  if (value === '—') return value;
  const items = value.split(', ');
  switch (field) {
    case 'every':
    case 'attestEvery':
      return everyWords(value)[lang];
    case 'within':
      return durationWords(value)[lang];
    case 'reminders':
      return items.map((d) => beforeWords(d)[lang]).join(', ');
    case 'due': {
      const relative = /^(\S+) \+ (P\S+)$/.exec(value);
      if (!relative) return dates(value);
      const w = durationWords(relative[2]!);
      if (relative[1] === 'receipt') return lang === 'vi' ? `${w.vi} kể từ ngày nhận văn bản` : `${w.en} from receipt`;
      return lang === 'vi' ? `${w.vi} sau khi hoàn thành ${relative[1]}` : `${w.en} after ${relative[1]} is completed`;
    }
    case 'escalation':
      return items
        .map((step) => {
          const [after, to] = step.split(' → ');
          return `${afterDueWords(after!)[lang]}: ${to}`;
        })
        .join(', ');
    default:
      return dates(value);
  }
}
