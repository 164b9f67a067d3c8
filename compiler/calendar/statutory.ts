import type { IsoDate, LocalizedText } from '../plan.js';
import type { CalendarFile, HolidayRule, RuleSet } from './data.js';
import { lunarEntryDate } from './data.js';
import { shiftDays } from './dates.js';
import { lunarToSolar } from './lunar.js';
import { weeklyDayOff } from './weekly.js';

/** Days off that the law itself produces for one solar year, for holidays no arrangement overrides. */
export type DayOffMap = Map<IsoDate, LocalizedText>;

export interface StatutoryContext {
  data: CalendarFile;
  /** `${year}:${holidayId}` pairs replaced by an official arrangement. */
  arranged: ReadonlySet<string>;
  arrangedOff: ReadonlyMap<IsoDate, LocalizedText>;
  arrangedWork: ReadonlySet<IsoDate>;
}

export function anchorDate(data: CalendarFile, rule: HolidayRule, year: number): IsoDate | undefined {
  if (rule.solar) return `${year}-${pad(rule.solar.month)}-${pad(rule.solar.day)}`;
  if (!rule.lunar) return undefined;
  const official = data.lunarDates?.[String(year)]?.[rule.id];
  if (official !== undefined) return lunarEntryDate(official);
  return lunarToSolar(year, rule.lunar.month, rule.lunar.day);
}

function ruleSetAt(ruleSets: readonly RuleSet[], date: IsoDate): RuleSet | undefined {
  let current: RuleSet | undefined;
  for (const rs of ruleSets) if (rs.from <= date) current = rs;
  return current;
}

export function statutoryDaysOff(ctx: StatutoryContext, year: number): DayOffMap {
  const { data } = ctx;
  const isWeeklyOff = (d: IsoDate): boolean =>
    !ctx.arrangedWork.has(d) && weeklyDayOff(data.weeklyDaysOff, d) !== undefined;
  const holidays: DayOffMap = new Map();
  const compensate: { date: IsoDate; name: LocalizedText }[] = [];

  for (const rs of data.ruleSets) {
    for (const rule of rs.holidays) {
      if (ctx.arranged.has(`${year}:${rule.id}`)) continue;
      const anchor = anchorDate(data, rule, year);
      // Each occurrence obeys the law in force on its own day.
      if (anchor === undefined || ruleSetAt(data.ruleSets, anchor) !== rs) continue;
      const days: IsoDate[] = [];
      for (let o = -(rule.span?.before ?? 0); o <= (rule.span?.after ?? 0); o++) days.push(shiftDays(anchor, o));
      if (rule.extraDayOneOf) days.push(pickExtraDay(anchor, rule.extraDayOneOf, isWeeklyOff));
      for (const d of days) {
        holidays.set(d, rule.name);
        if (rs.compensation === 'next-working-day' && isWeeklyOff(d)) compensate.push({ date: d, name: rule.name });
      }
    }
  }

  const taken = (d: IsoDate): boolean => holidays.has(d) || ctx.arrangedOff.has(d) || isWeeklyOff(d);
  compensate.sort((a, b) => a.date.localeCompare(b.date));
  for (const { date, name } of compensate) {
    let d = shiftDays(date, 1);
    while (taken(d)) d = shiftDays(d, 1);
    holidays.set(d, { vi: `Nghỉ bù ${name.vi}`, en: name.en ? `Compensatory day off for ${name.en}` : undefined });
  }
  return holidays;
}

/**
 * The law (Labour Code 2019 art. 112) leaves the choice of the extra day to the Prime Minister.
 * Without an arrangement, take the choice the government has made every year since 2021:
 * the candidate that bridges to a weekend, else the one that is a working day, else the first.
 */
function pickExtraDay(anchor: IsoDate, offsets: readonly number[], isWeeklyOff: (d: IsoDate) => boolean): IsoDate {
  const candidates = offsets.map((o) => shiftDays(anchor, o));
  const working = candidates.filter((d) => !isWeeklyOff(d));
  const bridging = working.find((d) => isWeeklyOff(shiftDays(d, -1)) || isWeeklyOff(shiftDays(d, 1)));
  const first = candidates[0];
  if (first === undefined) throw new RangeError('extraDayOneOf is empty');
  return bridging ?? working[0] ?? first;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
