import type { Command, Lang } from '../io.js';
import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { isoDate, parseCommand, usageError } from '../args.js';
import { compileFile, formatDiagnostic } from '../../compiler/index.js';
import { addDurationToInstant, endOfDay, loadCalendar, subtractDuration, toLocalDate, workingDaysOf, type WorkingCalendar } from '../../compiler/calendar/index.js';
import { didYouMean } from '../../compiler/did-you-mean.js';
import type { IsoDate, Plan, PlanObligation } from '../../compiler/plan.js';
import { forAssignee, usesRelations } from '../../compiler/relations.js';
import { timingText } from './compile.js';
import { afterDueWords, beforeWords } from '../../common/durations.js';

export interface UnitDuty {
  id: string;
  clause: string;
  kind: PlanObligation['kind'];
  title: PlanObligation['title'];
  /** `assignee` must do it; `cooperating` is informed. */
  role: 'assignee' | 'cooperating';
  /** Deadline: effective due date; recurring/ongoing: first due date; event: none. */
  firstDue?: IsoDate;
  reminders: { offset: string; date: IsoDate }[];
  escalation: { after: string; date: IsoDate; to: string[] }[];
  dependsOn: string[];
}

export interface UnitPlan {
  unit: string;
  /** When the requested id was replaced by a successor, the id that was asked for. */
  requested: string;
  directive: { id: string; number: string };
  asOf: IsoDate;
  duties: UnitDuty[];
}

/**
 * What one unit must do, with the reminder and escalation dates of the first cycle. Language 1.1:
 * with the directive's `calendar`, working days (`P2WD`) are counted on it and a reminder on a day
 * off is shown on the working day before, as the scheduler sends it; a due date counted from the
 * unit's receipt or another duty's completion has no date yet, so none of them is shown.
 */
export function unitPlan(plan: Plan, requested: string, unit: string, calendar?: WorkingCalendar): UnitPlan {
  const tz = plan.directive.timezone;
  const moveOffDayOff = plan.directive.calendar.remindersOnDayOff === 'previous-working-day';
  const reminderDate = (dueAt: string, due: string, r: string): IsoDate => {
    const wd = workingDaysOf(r);
    if (wd !== undefined) return calendar ? calendar.addWorkingDays(due, -wd) : due;
    const d = toLocalDate(subtractDuration(dueAt, r, tz), tz);
    return moveOffDayOff && calendar && !r.includes('T') && calendar.isDayOff(d) ? calendar.addWorkingDays(d, -1) : d;
  };
  const escalationDate = (dueAt: string, due: string, after: string): IsoDate => {
    const wd = workingDaysOf(after);
    if (wd !== undefined) return calendar ? calendar.addWorkingDays(due, wd) : due;
    return toLocalDate(addDurationToInstant(dueAt, after, tz), tz);
  };
  const duties: UnitDuty[] = [];
  for (const o of plan.obligations) {
    // Relations (1.1): a unit co-operates as some assignee's parent; its escalations go to its own parent.
    const cooperates = o.cooperating.includes(unit) || (usesRelations(o) && o.assignees.some((a) => forAssignee(plan, o, a).cooperating.includes(unit)));
    const role = o.assignees.includes(unit) ? 'assignee' : cooperates ? 'cooperating' : null;
    if (!role) continue;
    const firstDue = o.relativeDue !== undefined ? undefined : o.kind === 'deadline' ? o.effectiveDue : o.kind === 'recurring' || o.kind === 'ongoing' ? o.firstDue : undefined;
    const dueAt = firstDue ? endOfDay(firstDue, tz) : undefined;
    duties.push({
      id: o.id,
      clause: o.clause,
      kind: o.kind,
      title: o.title,
      role,
      ...(firstDue ? { firstDue } : {}),
      reminders: dueAt && role === 'assignee' ? o.reminders.map((r) => ({ offset: r, date: reminderDate(dueAt, firstDue!, r) })) : [],
      escalation: dueAt && role === 'assignee' ? forAssignee(plan, o, unit).escalation.map((s) => ({ after: s.after, date: escalationDate(dueAt, firstDue!, s.after), to: s.to })) : [],
      dependsOn: o.dependsOn,
    });
  }
  return { unit, requested, directive: { id: plan.directive.id, number: plan.directive.number }, asOf: plan.directive.asOf, duties };
}

function render(plan: Plan, up: UnitPlan, lang: Lang): string {
  const vi = lang === 'vi';
  const u = plan.units[up.unit];
  const name = u ? (u.name[lang] ?? u.name.vi) : up.unit;
  const lines = [`${name} (${up.unit}) — ${up.directive.number}, ${vi ? 'tính tại' : 'as of'} ${up.asOf}`];
  if (up.requested !== up.unit) lines.push(vi ? `  (${up.requested} đã được kế thừa bởi ${up.unit})` : `  (${up.requested} was succeeded by ${up.unit})`);
  if (up.duties.length === 0) lines.push(vi ? '  Không có nhiệm vụ nào.' : '  No duties.');
  for (const d of up.duties) {
    const o = plan.obligations.find((x) => x.id === d.id)!;
    const tag = d.role === 'cooperating' ? (vi ? ' [phối hợp]' : ' [co-operating]') : '';
    lines.push('', `  ${d.clause}  ${d.id}${tag} — ${d.title[lang] ?? d.title.vi}`, `      ${timingText(o, lang, (id) => plan.obligations.find((x) => x.id === id)?.clause)}`);
    if (d.reminders.length > 0) lines.push(`      ${vi ? 'nhắc' : 'reminders'}: ${d.reminders.map((r) => `${r.date} (${beforeWords(r.offset)[lang]})`).join(', ')}`);
    for (const e of d.escalation) lines.push(`      ${vi ? 'vượt cấp' : 'escalate'} ${e.date} (${afterDueWords(e.after)[lang]}) → ${e.to.join(', ')}`);
    if (d.dependsOn.length > 0) lines.push(`      ${vi ? 'sau khi xong' : 'after'}: ${d.dependsOn.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

const SPEC = COMMANDS['plan'];

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Liệt kê nhiệm vụ của một đơn vị, hạn đầu tiên theo lịch làm việc, và (với hạn chót) ngày
nhắc việc và ngày báo cáo vượt cấp. Không ghi gì ra đĩa.`,
      en: `Lists one unit's duties, the first due dates on the working calendar and, for dated duties,
the reminder and escalation dates. Writes nothing.`,
    },
    epilogue: {
      vi: `Biến môi trường CHITHI_CALENDAR_DIR: thư mục lịch làm việc (mặc định directives/calendars).

Mã thoát: 0 thành công, 1 chỉ thị có lỗi hoặc không có đơn vị, 2 sai cách dùng.`,
      en: `Environment CHITHI_CALENDAR_DIR: directory of working calendars (default directives/calendars).

Exit codes: 0 success, 1 invalid directive or unknown unit, 2 usage error.`,
    },
  }),
  async run(args, io) {
    const { values, positionals } = parseCommand(args, SPEC);
    if (positionals.length !== 1) throw usageError({ vi: 'Cần đúng một tệp chỉ thị.', en: 'Give exactly one directive file.' }, 'plan');
    if (!values.unit) throw usageError({ vi: 'Thiếu --unit.', en: 'Missing --unit.' }, 'plan');
    const asOf = values['as-of'] !== undefined ? isoDate(values['as-of'], '--as-of', 'plan') : undefined;
    const r = await compileFile(positionals[0]!, { cwd: io.cwd, ...(io.env.CHITHI_CALENDAR_DIR ? { calendarDir: io.env.CHITHI_CALENDAR_DIR } : {}), ...(asOf ? { asOf, asOfGiven: true } : {}), ...(values.units ? { registryPath: values.units } : {}) });
    for (const d of r.diagnostics) io.stderr(formatDiagnostic(d, io.lang) + '\n');
    if (!r.ok) return 1;
    const requested = values.unit;
    const unit = findUnit(r.plan, requested);
    if (!unit) {
      const s = didYouMean(requested, Object.keys(r.plan.units));
      io.stderr(
        io.lang === 'vi'
          ? `chithi: đơn vị \`${requested}\` không có trong kế hoạch${s ? ` — có phải ý bạn là \`${s}\`?` : ''}\n`
          : `chithi: unit \`${requested}\` is not in the plan${s ? ` — did you mean \`${s}\`?` : ''}\n`,
      );
      return 1;
    }
    const calendar = loadCalendar(r.plan.directive.calendar.id, ...(io.env.CHITHI_CALENDAR_DIR ? [io.env.CHITHI_CALENDAR_DIR] : []));
    const up = unitPlan(r.plan, requested, unit, calendar);
    io.stdout(values.json ? JSON.stringify(up, null, 2) + '\n' : render(r.plan, up, io.lang));
    return 0;
  },
};

/** The plan's id for a unit, following `succeededFrom` when the caller used a former id. */
function findUnit(p: Plan, requested: string): string | undefined {
  if (p.units[requested]) return requested;
  return Object.values(p.units).find((u) => u.succeededFrom?.includes(requested))?.id;
}
