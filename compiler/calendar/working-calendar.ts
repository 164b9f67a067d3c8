import type { IsoDate, LocalizedText } from '../plan.js';
import type { CalendarFile } from './data.js';
import { shiftDays, yearOf } from './dates.js';
import { CalendarError } from './errors.js';
import type { DayOffMap, StatutoryContext } from './statutory.js';
import { statutoryDaysOff } from './statutory.js';
import type { WorkingCalendar } from './types.js';
import { weeklyDayOff, weeklyReason } from './weekly.js';

/** A data file that declares every day off would make the search loops spin forever. */
const MAX_SCAN_DAYS = 3660;

export function buildCalendar(data: CalendarFile, file: string): WorkingCalendar {
  const arranged = new Set<string>();
  const arrangedOff = new Map<IsoDate, LocalizedText>();
  const arrangedWork = new Set<IsoDate>();
  const names = new Map(data.ruleSets.flatMap((rs) => rs.holidays.map((h) => [h.id, h.name] as const)));

  for (const a of data.arrangements ?? []) {
    a.holidays.forEach((id) => arranged.add(`${a.year}:${id}`));
    const label = joinNames(a.holidays.map((id) => names.get(id) ?? { vi: id }));
    for (const r of a.off) {
      for (let d = r.from; d <= r.to; d = shiftDays(d, 1)) arrangedOff.set(d, label);
    }
    for (const d of a.work ?? []) arrangedWork.add(d);
  }
  for (const d of arrangedWork) {
    if (arrangedOff.has(d)) throw new CalendarError(`${d} is both an arranged day off and a working day`, { file });
  }

  const ctx: StatutoryContext = { data, arranged, arrangedOff, arrangedWork };
  const byYear = new Map<number, DayOffMap>();
  const statutory = (year: number): DayOffMap => {
    let m = byYear.get(year);
    if (!m) byYear.set(year, (m = statutoryDaysOff(ctx, year)));
    return m;
  };

  const reason = (date: IsoDate): LocalizedText | undefined => {
    const year = yearOf(date);
    if (arrangedWork.has(date)) return undefined;
    // A compensatory day can spill into January of the next year.
    const holiday = arrangedOff.get(date) ?? statutory(year).get(date) ?? statutory(year - 1).get(date);
    if (holiday) return holiday.en === undefined ? { vi: holiday.vi } : { vi: holiday.vi, en: holiday.en };
    const weekly = weeklyDayOff(data.weeklyDaysOff, date);
    return weekly ? weeklyReason(weekly) : undefined;
  };

  const step = (date: IsoDate, dir: 1 | -1): IsoDate => {
    let d = date;
    for (let i = 0; i < MAX_SCAN_DAYS; i++) {
      if (reason(d) === undefined) return d;
      d = shiftDays(d, dir);
    }
    throw new CalendarError(`no working day within ${MAX_SCAN_DAYS} days of ${date}`, { file });
  };

  return {
    id: data.id,
    isDayOff: (date) => reason(date) !== undefined,
    dayOffReason: reason,
    nextWorkingDay: (date) => step(date, 1),
    addWorkingDays(date, n) {
      if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer, got ${n}`);
      if (n === 0) return step(date, 1);
      const dir = n > 0 ? 1 : -1;
      let d = date;
      for (let left = Math.abs(n); left > 0; left--) d = step(shiftDays(d, dir), dir);
      return d;
    },
  };
}

function joinNames(names: LocalizedText[]): LocalizedText {
  const vi = names.map((n) => n.vi).join(', ');
  return names.every((n) => n.en !== undefined) ? { vi, en: names.map((n) => n.en).join(', ') } : { vi };
}
