import type { Bilingual } from '../../common/cli-spec.js';
import { toLocalDate } from '../../compiler/calendar/index.js';
import type { PlanObligation, PlanUnit } from '../../compiler/plan.js';
import { commandLine } from '../../common/commands.js';
import { durationWords, everyWords } from '../../common/durations.js';
import { TIMING_BASIS_LABEL, timingBasis } from '../../common/timing-words.js';
import { STATUS_LABEL, STATUS_ORDER } from '../../common/status.js';
import type { InstanceDirective, NotificationKind, NotificationRequest } from '../../workflows/types.js';
import type { DirectiveStanding } from '../store/letters.js';
import { isAssignment } from './letters.js';
import { daysPastDue, en, evidenceLines, formatDate, formatInstant, noticeLink, submitCommand, toOwnHead } from './format.js';

/** What a held e-mail keeps of its notice, to be written into a letter (outbox.notice). */
export interface HeldNotice {
  /** Outbox key of the notice's e-mail. */
  key: string;
  kind: NotificationKind;
  at: string;
  due?: string;
  cycle: number;
  detail?: Record<string, string>;
  directive: InstanceDirective;
  obligation: PlanObligation;
  unit: PlanUnit;
  recipient: PlanUnit;
  /** The portal page of the task (absent without a portal address, and in notices held before links). */
  link?: string;
}

export function heldNotice(req: NotificationRequest, key: string, recipient: PlanUnit, portalUrl?: string): HeldNotice {
  const link = noticeLink(req, recipient.id, portalUrl)?.url;
  // A letter needs the obligation's words, kind, period and evidence, not its audience or ladder:
  // the assignee list alone is most of a seed obligation's JSON, stored once per held e-mail.
  const { assignees: _a, cooperating: _c, escalation: _e, reminders: _r, dependsOn: _d, note: _n, reportTo: _t, ...all } = req.obligation;
  // An event's raisers (1.1) may be a national audience, like the assignees.
  const { raisedBy: _b, ...words } = all as typeof all & { raisedBy?: string[] };
  const obligation = { ...words, assignees: [], cooperating: [], escalation: [], reminders: [], dependsOn: [] } as PlanObligation;
  return {
    key,
    kind: req.kind,
    at: req.at,
    ...(req.due !== undefined ? { due: req.due } : {}),
    cycle: req.cycle,
    ...(req.detail ? { detail: req.detail } : {}),
    directive: req.directive,
    obligation,
    unit: req.unit,
    recipient,
    ...(link !== undefined ? { link } : {}),
  };
}


interface Section {
  title: Bilingual;
  lines: Bilingual[];
}

export interface RenderedLetter {
  subject: string;
  text: string;
}

const viNumber = (n: number): string => n.toLocaleString('vi-VN');

/**
 * One letter to one recipient about one directive, as a Vietnamese office writes it: whom it is
 * addressed to, under which directive, then numbered sections (new tasks; overdue; due soon; new
 * periods; units behind, for those who follow others up; changes), each task once, with what is
 * true at the letter's time (how late it is now, not when the timer fired). Vietnamese first,
 * English below. `standing` (the directive's counts) is given to letters that carry escalations.
 */
/** Duties of the first assignment letter whose cycle has not opened, with every obligation's clause. */
export interface OtherDuties {
  duties: PlanObligation[];
  clauses: Record<string, string>;
}

export function renderLetter(notices: HeldNotice[], at: string, standing?: DirectiveStanding, others?: OtherDuties): RenderedLetter {
  const first = notices[0]!;
  const d = first.directive;
  const tz = d.timezone;
  const recipient = first.recipient;
  // The latest notice per (kind group, instance): an overdue reminder and an overdue notice of
  // the same task are one line.
  const latest = new Map<string, HeldNotice>();
  for (const n of notices) latest.set(`${group(n)}|${n.obligation.id}|${n.unit.id}|${n.cycle}`, n);
  const items = [...latest.values()];
  const by = (g: Group) => items.filter((n) => group(n) === g).sort(byClause);

  const sections: Section[] = [];
  const assigned = by('assigned');
  if (assigned.length > 0) sections.push({ title: { vi: 'Nhiệm vụ được giao', en: 'Tasks assigned' }, lines: assigned.map((n) => taskLines(n, at, true)) });
  if (others && others.duties.length > 0) {
    sections.push({
      title: { vi: 'Nhiệm vụ khác theo chỉ thị', en: 'Other duties under the directive' },
      lines: [...others.duties].sort((a, b) => a.clause.localeCompare(b.clause, 'vi', { numeric: true })).map((o) => otherDutyLines(o, first, others.clauses)),
    });
  }
  const overdue = by('overdue');
  if (overdue.length > 0) sections.push({ title: { vi: 'Nhiệm vụ quá hạn', en: 'Overdue tasks' }, lines: overdue.map((n) => taskLines(n, at, true)) });
  const soon = by('soon');
  if (soon.length > 0) sections.push({ title: { vi: 'Nhiệm vụ sắp đến hạn', en: 'Tasks due soon' }, lines: soon.map((n) => taskLines(n, at, true)) });
  const period = by('period');
  if (period.length > 0) sections.push({ title: { vi: 'Kỳ thực hiện mới', en: 'New periods' }, lines: period.map((n) => taskLines(n, at, true)) });
  const escalated = by('escalated');
  if (escalated.length > 0) sections.push({ title: { vi: 'Đơn vị chậm thực hiện', en: 'Units behind schedule' }, lines: escalationLines(escalated, at, standing) });
  const changed = by('changed');
  if (changed.length > 0) sections.push({ title: { vi: 'Điều chỉnh, thu hồi nhiệm vụ', en: 'Tasks amended or withdrawn' }, lines: changed.map((n) => changeLines(n, at)) });

  const roman = ['I', 'II', 'III', 'IV', 'V', 'VI'];
  const body = (lang: 'vi' | 'en'): string[] =>
    sections.flatMap((s, i) => ['', `${roman[i]}. ${s.title[lang].toUpperCase()}`, ...s.lines.map((l) => l[lang])]);

  const day = formatDate(toLocalDate(at, tz));
  // Its own lateness escalated to its head (`assignee.head`, no head unit in the registry): the letter goes to the head.
  const head = escalated.some((n) => toOwnHead(n, recipient.id));
  const vi = [
    `Kính gửi: ${head ? 'Thủ trưởng ' : ''}${recipient.name.vi}`,
    '',
    `Thực hiện ${d.number} (${d.title.vi}), hệ thống theo dõi chỉ thị thông báo tình hình thực hiện đến ${formatInstant(at, tz)} như sau:`,
    ...body('vi'),
    '',
    `Thư này tổng hợp ${notices.length} thông báo; từng thông báo có trong hộp thư của đơn vị (npx chithi inbox --unit ${recipient.id}).`,
  ];
  const english = [
    `To: ${head ? 'the head of ' : ''}${en(recipient.name)}`,
    '',
    `Under ${d.number} (${en(d.title)}), the directive tracking system reports the standing as of ${formatInstant(at, tz)}:`,
    ...body('en'),
    '',
    `This letter brings together ${notices.length} notice${notices.length === 1 ? '' : 's'}; each is in your unit's inbox (npx chithi inbox --unit ${recipient.id}).`,
  ];
  const subject = `[Chỉ thị ${d.number}] ${subjectOf(sections, assigned.length, overdue.length, soon.length, escalated, day)}`;
  return { subject, text: [...vi, '', '— English —', '', ...english, ''].join('\n') };
}

type Group = 'assigned' | 'overdue' | 'soon' | 'period' | 'escalated' | 'changed';

function group(n: HeldNotice): Group {
  switch (n.kind) {
    case 'opened':
      return isAssignment(n) ? 'assigned' : 'period';
    case 'overdue':
      return 'overdue';
    case 'reminder':
      return n.detail?.overdue === 'true' || (n.due !== undefined && daysPastDue(n.due, n.at, n.directive.timezone) > 0) ? 'overdue' : 'soon';
    case 'escalation':
      return 'escalated';
    default:
      return 'changed';
  }
}

function byClause(a: HeldNotice, b: HeldNotice): number {
  return a.obligation.clause.localeCompare(b.obligation.clause, 'vi', { numeric: true }) || a.unit.id.localeCompare(b.unit.id);
}

function subjectOf(sections: Section[], assigned: number, overdue: number, soon: number, escalated: HeldNotice[], day: string): string {
  if (assigned > 0 && sections.every((s) => s.title.vi === 'Nhiệm vụ được giao' || s.title.vi === 'Nhiệm vụ khác theo chỉ thị')) {
    return `Giao nhiệm vụ: ${assigned + (sections[1]?.lines.length ?? 0)} nhiệm vụ`;
  }
  const parts: string[] = [];
  if (assigned > 0) parts.push(`${assigned} nhiệm vụ mới`);
  if (overdue > 0) parts.push(`${overdue} nhiệm vụ quá hạn`);
  if (soon > 0) parts.push(`${soon} nhiệm vụ sắp đến hạn`);
  const units = new Set(escalated.map((n) => n.unit.id)).size;
  if (units > 0) parts.push(`${units} đơn vị chậm thực hiện`);
  if (parts.length === 0 && sections.some((s) => s.title.vi === 'Kỳ thực hiện mới')) parts.push('kỳ thực hiện mới');
  return parts.length > 0 ? `Tình hình thực hiện ngày ${day}: ${parts.join(', ')}` : `Thông báo ngày ${day}`;
}

/** One task, with what the unit must do about it. */
function taskLines(n: HeldNotice, at: string, actionable: boolean): Bilingual {
  const ob = n.obligation;
  const head = { vi: `- Điều ${ob.clause}: ${ob.title.vi}`, en: `- Clause ${ob.clause}: ${en(ob.title)}` };
  const when = dueWords(n, at);
  const period = periodWords(ob);
  const evidence = evidenceLines(ob);
  const eventId = n.detail?.eventId;
  const cooperating = n.unit.id === n.recipient.id ? undefined : n.unit;
  const vi = [head.vi];
  const english = [head.en];
  if (cooperating) {
    vi.push(`    Đơn vị chủ trì: ${cooperating.name.vi}; đơn vị phối hợp thực hiện.`);
    english.push(`    Lead unit: ${en(cooperating.name)}; your unit cooperates.`);
  }
  if (period) {
    vi.push(`    ${period.vi}`);
    english.push(`    ${period.en}`);
  }
  if (when) {
    vi.push(`    ${when.vi}`);
    english.push(`    ${when.en}`);
  }
  const basis = basisWords(ob);
  if (basis) {
    vi.push(`    ${basis.vi}`);
    english.push(`    ${basis.en}`);
  }
  if (n.detail?.after !== undefined && n.kind !== 'escalation') {
    const step = durationWords(n.detail.after);
    vi.push(`    Đã báo cáo cấp trên (mốc ${step.vi} sau hạn).`);
    english.push(`    Superiors have been told (the ${step.en} after-due step).`);
  }
  if (actionable && !cooperating) {
    if (evidence.vi.length > 0) {
      vi.push('    Minh chứng cần nộp:', ...evidence.vi.map((l) => `    ${l}`));
      english.push('    Evidence to submit:', ...evidence.en.map((l) => `    ${l}`));
    }
    const cmd = submitCommand({
      key: n.key,
      kind: n.kind,
      to: [n.recipient.id],
      directive: n.directive,
      obligation: ob,
      unit: n.unit,
      contacts: {},
      cycle: n.cycle,
      at: n.at,
      ...(n.due !== undefined ? { due: n.due } : {}),
      ...(eventId !== undefined ? { detail: { eventId } } : {}),
    });
    vi.push(`    Nộp minh chứng: ${cmd}`);
    english.push(`    Submit with: ${cmd}`);
    if (n.link !== undefined) {
      vi.push(`    Trang nhiệm vụ: ${n.link}`);
      english.push(`    Task page: ${n.link}`);
    }
  }
  return { vi: vi.join('\n'), en: english.join('\n') };
}

/** Due date and, at the letter's time, how much is left or how late it is. */
function dueWords(n: HeldNotice, at: string): Bilingual | undefined {
  if (n.due === undefined) return undefined;
  const tz = n.directive.timezone;
  const late = daysPastDue(n.due, at, tz);
  const cycle = n.cycle > 1 ? { vi: ` (kỳ ${n.cycle})`, en: ` (period ${n.cycle})` } : { vi: '', en: '' };
  const due = formatDate(n.due);
  if (late > 0) return { vi: `Hạn: ${due}${cycle.vi} — đã quá hạn ${viNumber(late)} ngày.`, en: `Due: ${due}${cycle.en} — ${late} day${late === 1 ? '' : 's'} overdue.` };
  if (late === 0) return { vi: `Hạn: ${due}${cycle.vi} — đến hạn hôm nay.`, en: `Due: ${due}${cycle.en} — due today.` };
  return { vi: `Hạn: ${due}${cycle.vi} — còn ${viNumber(-late)} ngày.`, en: `Due: ${due}${cycle.en} — ${-late} day${late === -1 ? '' : 's'} left.` };
}

function periodWords(ob: PlanObligation): Bilingual | undefined {
  switch (ob.kind) {
    case 'recurring': {
      // English through everyWords: "once every year", not "once every 1 year".
      const w = durationWords(ob.every);
      const every = everyWords(ob.every);
      return ob.periodFrom === 'completion'
        ? { vi: `Thực hiện ít nhất ${w.vi} một lần (tính từ lần hoàn thành trước).`, en: `At least once ${every.en} (counted from the last completion).` }
        : { vi: `Thực hiện định kỳ ${w.vi} một lần.`, en: `Once ${every.en}.` };
    }
    case 'ongoing': {
      const w = durationWords(ob.attestEvery);
      return { vi: `Nhiệm vụ thường xuyên; xác nhận thực hiện ${w.vi} một lần.`, en: `A standing duty; confirm it once ${everyWords(ob.attestEvery).en}.` };
    }
    case 'event': {
      const w = durationWords(ob.within);
      return { vi: `Khi xảy ra: ${ob.eventTitle.vi} — thực hiện trong ${w.vi}.`, en: `When it happens: ${en(ob.eventTitle)} — within ${w.en}.` };
    }
    default:
      return undefined;
  }
}

/** Units behind, grouped by unit (longest overdue first), then the directive's standing. */
function escalationLines(items: HeldNotice[], at: string, standing: DirectiveStanding | undefined): Bilingual[] {
  const units = new Map<string, HeldNotice[]>();
  for (const n of items) units.set(n.unit.id, [...(units.get(n.unit.id) ?? []), n]);
  const oldest = (ns: HeldNotice[]) => ns.map((n) => n.due ?? '9999').sort()[0]!;
  const ordered = [...units.values()].sort((a, b) => oldest(a).localeCompare(oldest(b)) || a[0]!.unit.id.localeCompare(b[0]!.unit.id));
  const lines: Bilingual[] = ordered.map((ns) => {
    const u = ns[0]!.unit;
    const vi = [`- ${u.name.vi} (${ns.length} nhiệm vụ):`];
    const english = [`- ${en(u.name)} (${ns.length} task${ns.length === 1 ? '' : 's'}):`];
    for (const n of ns.sort(byClause)) {
      const late = n.due !== undefined ? daysPastDue(n.due, at, n.directive.timezone) : 0;
      const due = n.due !== undefined ? formatDate(n.due) : '—';
      vi.push(`    Điều ${n.obligation.clause}: ${n.obligation.title.vi} — hạn ${due}, quá hạn ${viNumber(late)} ngày.`);
      english.push(`    Clause ${n.obligation.clause}: ${en(n.obligation.title)} — due ${due}, ${late} day${late === 1 ? '' : 's'} overdue.`);
    }
    return { vi: vi.join('\n'), en: english.join('\n') };
  });
  lines.push({ vi: 'Đề nghị chỉ đạo, đôn đốc các đơn vị trên.', en: 'Please direct and follow up the units above.' });
  if (standing) {
    const counts = STATUS_ORDER.filter((s) => (standing.counts[s] ?? 0) > 0);
    lines.push({
      vi: `Tình hình chung của chỉ thị: ${counts.map((s) => `${STATUS_LABEL[s].vi} ${viNumber(standing.counts[s]!)}`).join('; ')}.`,
      en: `Standing of the directive: ${counts.map((s) => `${STATUS_LABEL[s].en} ${standing.counts[s]}`).join('; ')}.`,
    });
    if (standing.overdueUnits.length > 0) {
      lines.push({
        vi: ['Đơn vị quá hạn lâu nhất:', ...standing.overdueUnits.map((u, i) => `  ${i + 1}. ${unitLabel(items, u.unitId).vi} — từ ${formatDate(u.oldestDue)}, ${u.overdue} nhiệm vụ`)].join('\n'),
        en: ['Longest overdue:', ...standing.overdueUnits.map((u, i) => `  ${i + 1}. ${unitLabel(items, u.unitId).en} — since ${formatDate(u.oldestDue)}, ${u.overdue} task${u.overdue === 1 ? '' : 's'}`)].join('\n'),
      });
    }
  }
  return lines;
}

function unitLabel(items: HeldNotice[], id: string): Bilingual {
  const u = items.find((n) => n.unit.id === id)?.unit;
  return u ? { vi: u.name.vi, en: en(u.name) } : { vi: id, en: id };
}

function changeLines(n: HeldNotice, at: string): Bilingual {
  const ob = n.obligation;
  if (n.kind === 'withdrawn') {
    return {
      vi: `- Điều ${ob.clause}: ${ob.title.vi} — đã thu hồi; đơn vị không phải thực hiện tiếp.`,
      en: `- Clause ${ob.clause}: ${en(ob.title)} — withdrawn; nothing more is needed.`,
    };
  }
  const when = dueWords(n, at);
  return {
    vi: `- Điều ${ob.clause}: ${ob.title.vi} — đã điều chỉnh (văn bản sửa đổi lần ${n.detail?.revision ?? ''}).${when ? ` ${when.vi}` : ''}`,
    en: `- Clause ${ob.clause}: ${en(ob.title)} — amended (revision ${n.detail?.revision ?? ''}).${when ? ` ${when.en}` : ''}`,
  };
}

/** A duty given by the directive whose cycle has not opened: what starts it, and how to act then. */
function otherDutyLines(o: PlanObligation, sample: HeldNotice, clauses: Record<string, string>): Bilingual {
  const head = { vi: `- Điều ${o.clause}: ${o.title.vi}`, en: `- Clause ${o.clause}: ${en(o.title)}` };
  const vi = [head.vi];
  const english = [head.en];
  const period = periodWords(o);
  if (period) {
    vi.push(`    ${period.vi}`);
    english.push(`    ${period.en}`);
  }
  if (o.kind === 'event') {
    const cmd = commandLine('report-event', { flags: { directive: sample.directive.id, event: o.event, unit: sample.recipient.id } });
    vi.push(`    Khi xảy ra, báo cáo ngay bằng lệnh: ${cmd}`);
    english.push(`    When it happens, report it at once with: ${cmd}`);
  }
  if (o.dependsOn.length > 0) {
    const names = o.dependsOn.map((id) => clauses[id] ?? id);
    vi.push(`    Bắt đầu khi hoàn thành nhiệm vụ tại Điều ${names.join(', ')}.`);
    english.push(`    Starts once the task of clause ${names.join(', ')} is completed.`);
  }
  // A due date counted from the receipt or another duty's completion (1.1) has no date until then.
  if (o.kind === 'deadline' && o.relativeDue === undefined) {
    vi.push(`    Hạn: ${formatDate(o.effectiveDue)}.`);
    english.push(`    Due: ${formatDate(o.effectiveDue)}.`);
  }
  const basis = basisWords(o, (id) => clauses[id]);
  if (basis) {
    vi.push(`    ${basis.vi}`);
    english.push(`    ${basis.en}`);
  }
  return { vi: vi.join('\n'), en: english.join('\n') };
}

/**
 * Language 1.1: how the due date is set, where the drafting office chose it (`interpreted`: with the
 * text's own words) or it counts from the receipt or another duty's completion. Nothing for v1
 * plans, whose letters stay as they were.
 */
function basisWords(o: PlanObligation, clauseOf?: (id: string) => string | undefined): Bilingual | undefined {
  if (o.interpreted === undefined && o.relativeDue === undefined) return undefined;
  const b = timingBasis(o, clauseOf);
  return b && { vi: `${TIMING_BASIS_LABEL.vi}: ${b.vi}.`, en: `${TIMING_BASIS_LABEL.en}: ${b.en}.` };
}
