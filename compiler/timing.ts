/**
 * Thời hạn của ngôn ngữ 1.1 trong tệp chỉ thị: các dạng của `due`, thời hạn do cơ quan soạn xác
 * định (`interpreted`), hạn tính từ lúc đơn vị nhận văn bản hoặc từ lúc hoàn thành nhiệm vụ khác,
 * và cách chúng thành kế hoạch.
 * Language 1.1 timing as a directive file writes it (the forms of `due`, timing the encoder chose
 * where the text set none, due dates counted from the unit's receipt or from another obligation's
 * completion) and what it becomes in the plan. The checks are in semantics/timing-v11.ts; the
 * runtime half (dates known only when a unit receives the task or completes a prerequisite) is in
 * activities/schedule.ts and workflows/relative-due.ts.
 */
import type { ChithiDirective, Obligation } from './schema/directive.generated.js';
import type { DeadlineObligation, PlanCalendarPolicy, PlanObligation, RelativeDue } from './plan.js';
import { addTiming, applyDayOffPolicy, type DayOffPolicy, type WorkingCalendar } from './calendar/index.js';
import { diag, type Diagnostic } from './diagnostics.js';
import type { ParsedFile } from './parse.js';
import { locate } from './positions.js';
import { isV11 } from './semantics/version.js';

/** A timing field written plainly (`P7D`) or as `{ interpreted: P7D, text: … }`. */
export type TimingField = string | { interpreted: string; text: string };

/** The duration (or date) a timing field stands for, however it is written. */
export function timingOf(v: TimingField | undefined): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : v.interpreted;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const isDateText = (v: string): boolean => DATE.test(v);

/** What a `due:` says, once its shape passed the checks. */
export type DueForm =
  | { form: 'date'; date: string }
  | { form: 'after'; period: string }
  | { form: 'after-obligation'; obligation: string; plus: string }
  | { form: 'after-receipt'; period: string }
  | { form: 'interpreted'; value: string; text: string };

/** The form of a `due`, or undefined for none or a shape semantics/timing-v11.ts refuses. */
export function dueForm(due: Obligation['due']): DueForm | undefined {
  if (due === undefined) return undefined;
  if (typeof due === 'string') return { form: 'date', date: due };
  const forms = [due.after, due.afterReceipt, due.interpreted].filter((x) => x !== undefined);
  if (forms.length !== 1) return undefined;
  if (due.after !== undefined) return typeof due.after === 'string' ? { form: 'after', period: due.after } : { form: 'after-obligation', obligation: due.after.obligation, plus: due.after.plus };
  if (due.afterReceipt !== undefined) return { form: 'after-receipt', period: due.afterReceipt };
  return due.text !== undefined ? { form: 'interpreted', value: due.interpreted!, text: due.text } : undefined;
}

/** The text's own words where the encoder chose the timing, on any kind. */
export function interpretedWords(o: Obligation): string | undefined {
  if (o.kind === 'deadline') {
    const f = dueForm(o.due);
    return f?.form === 'interpreted' ? f.text : undefined;
  }
  if (o.kind === 'event' && typeof o.within === 'object') return o.within.text;
  if (o.kind === 'recurring' && typeof o.every === 'object') return o.every.text;
  return undefined;
}

/** Fields every obligation of a 1.1 file may carry; none of them for a file that writes none, so v1 plans keep their hash. */
export function timingExtras(o: Obligation): Pick<PlanObligation, 'interpreted' | 'dueOnDayOff'> {
  const words = interpretedWords(o);
  return {
    ...(words !== undefined ? { interpreted: { text: words } } : {}),
    ...(o.dueOnDayOff !== undefined ? { dueOnDayOff: o.dueOnDayOff } : {}),
  };
}

/**
 * A deadline's dates. A due date counted from the issue date (the text's period, or the encoder's)
 * is on the working calendar when counted in working days; a relative one gets the expectation
 * plan.ts describes (from receipt: as if received on the issue date; from another obligation:
 * filled in by `estimateRelativeDues` once every obligation has its dates).
 */
export function deadlineTiming(
  o: Obligation,
  issued: string,
  calendar: WorkingCalendar,
  policy: DayOffPolicy,
): Pick<DeadlineObligation, 'due' | 'effectiveDue' | 'dueAfter' | 'relativeDue'> {
  const f = dueForm(o.due)!;
  const onCalendar = (d: string): string => applyDayOffPolicy(calendar, d, policy);
  const counted = (period: string) => {
    const due = addTiming(calendar, issued, period);
    return { due, effectiveDue: onCalendar(due) };
  };
  switch (f.form) {
    case 'date':
      return { due: f.date, effectiveDue: onCalendar(f.date) };
    case 'after':
      return { ...counted(f.period), dueAfter: f.period };
    case 'interpreted':
      return isDateText(f.value) ? { due: f.value, effectiveDue: onCalendar(f.value) } : { ...counted(f.value), dueAfter: f.value };
    case 'after-receipt':
      return { ...counted(f.period), relativeDue: { from: 'receipt', plus: f.period } };
    case 'after-obligation':
      // The expectation is set by estimateRelativeDues; the issue date holds the place until then.
      return { due: issued, effectiveDue: issued, relativeDue: { from: 'completion', obligation: f.obligation, clause: '', plus: f.plus } };
  }
}

/** A recurring obligation's cycles counted from another obligation's completions (`due: { after: { obligation, plus } }`). */
export function recurringRelative(o: Obligation): RelativeDue | undefined {
  const f = dueForm(o.due);
  return f?.form === 'after-obligation' ? { from: 'completion', obligation: f.obligation, clause: '', plus: f.plus } : undefined;
}

/**
 * The expected dates of obligations due after another's completion (and the prerequisite's clause,
 * which resolving one obligation at a time leaves empty): the prerequisite's own
 * (expected) first due date plus the period, on the calendar. In dependency order, so a chain of
 * relative dues adds up; semantics/timing-v11.ts has refused cycles. Mutates `obligations`.
 */
export function estimateRelativeDues(obligations: PlanObligation[], calendar: WorkingCalendar, directivePolicy: DayOffPolicy): void {
  const byId = new Map(obligations.map((o) => [o.id, o]));
  const done = new Set<string>();
  const expected = (o: PlanObligation): string | undefined => {
    if (!done.has(o.id)) {
      done.add(o.id);
      const r = o.relativeDue;
      const prerequisite = r?.from === 'completion' ? byId.get(r.obligation) : undefined;
      if (r?.from === 'completion' && prerequisite) r.clause = prerequisite.clause;
      const start = prerequisite ? expected(prerequisite) : undefined;
      if (r?.from === 'completion' && start !== undefined) {
        const due = addTiming(calendar, start, r.plus);
        const effective = applyDayOffPolicy(calendar, due, o.dueOnDayOff ?? directivePolicy);
        if (o.kind === 'deadline') Object.assign(o, { due, effectiveDue: effective });
        if (o.kind === 'recurring') Object.assign(o, { firstDue: effective });
      }
    }
    return o.kind === 'deadline' ? o.effectiveDue : o.kind === 'recurring' || o.kind === 'ongoing' ? o.firstDue : undefined;
  };
  for (const o of obligations) expected(o);
}

/** `dependsOn` as written, and the obligation a due date counts from (it must be completed first). */
export function dependsOnOf(o: Obligation): string[] {
  const f = dueForm(o.due);
  const own = [...(o.dependsOn ?? [])];
  return f?.form === 'after-obligation' && !own.includes(f.obligation) ? [...own, f.obligation] : own;
}

/**
 * A 1.1 file's reminders on days off: moved to the working day before unless it says `keep`. Left
 * out of a v1 file's plan, whose reminders keep their days (and whose plan its hash).
 */
export function remindersPolicy(data: ChithiDirective): Pick<PlanCalendarPolicy, 'remindersOnDayOff'> {
  return isV11({ data }) ? { remindersOnDayOff: data.metadata.calendar.remindersOnDayOff ?? 'previous-working-day' } : {};
}

/**
 * A due date counted from another obligation's completion is counted per unit: from that unit's
 * own completion. An assignee that is not an assignee of the prerequisite would wait for ever
 * (as of `asOf`, after audiences and succession), so it is an error, naming them.
 */
export function checkRelativeDues(parsed: ParsedFile, data: ChithiDirective, obligations: PlanObligation[]): Diagnostic[] {
  const byId = new Map(obligations.map((o) => [o.id, o]));
  const out: Diagnostic[] = [];
  obligations.forEach((o, i) => {
    const r = o.relativeDue;
    if (r?.from !== 'completion') return;
    const p = byId.get(r.obligation);
    if (!p) return;
    const theirs = new Set(p.assignees);
    const missing = o.assignees.filter((a) => !theirs.has(a));
    if (missing.length === 0) return;
    const shown = missing.slice(0, 5).map((m) => `\`${m}\``).join(', ');
    const more = missing.length > 5 ? { vi: ` và ${missing.length - 5} đơn vị khác`, en: ` and ${missing.length - 5} more` } : { vi: '', en: '' };
    const path = data.obligations[i]?.id === o.id ? ['obligations', i, 'due', 'after', 'obligation'] : ['obligations', i];
    out.push(
      diag(
        parsed.file,
        locate(parsed, path),
        'relative-due-unrelated',
        {
          vi: `hạn của \`${o.id}\` tính từ lúc đơn vị hoàn thành \`${p.id}\`, nhưng ${shown}${more.vi} không được giao \`${p.id}\`: hạn của họ sẽ không bao giờ bắt đầu`,
          en: `\`${o.id}\` is due after each unit completes \`${p.id}\`, but ${shown}${more.en} ${missing.length === 1 ? 'is' : 'are'} not assigned \`${p.id}\`: their clock would never start`,
        },
        {
          vi: 'giao cả hai nhiệm vụ cho cùng các đơn vị, hoặc tách nhiệm vụ này cho các đơn vị kia với hạn riêng',
          en: 'assign both obligations to the same units, or give the other units their own obligation with its own due date',
        },
      ),
    );
  });
  return out;
}
