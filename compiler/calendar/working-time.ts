/**
 * Khoảng thời gian tính bằng ngày làm việc (`P5WD`, ngôn ngữ 1.1) trên lịch làm việc của chỉ thị,
 * bên cạnh khoảng thời gian ISO thông thường: một chỗ cho trình biên dịch (hạn biết trước) và bộ lập
 * lịch (hạn tính lúc chạy), để hai bên đếm như nhau.
 * Durations in working days (`P5WD`, language 1.1) on the directive's working calendar, beside the
 * ordinary ISO durations: one place for the compiler (dates known when it compiles) and the
 * scheduler activity (dates known only at run time), so that both count the same way.
 *
 * `P<n>WD` is not ISO-8601 (luxon refuses it): every function here takes either shape, and nothing
 * else in the runtime should hand a timing duration to luxon without asking `workingDaysOf` first.
 * Counting follows Civil Code 2015 art. 147: the day of the triggering event is not counted, so
 * "5 working days from Monday 28/11" ends on Monday 5/12; the result is always a working day.
 */
import { DateTime } from 'luxon';
import type { IsoDate, IsoInstant } from '../plan.js';
import { checkZone, formatInstant, parseInstant, toLocalDate } from './dates.js';
import { addDuration, compareDurations, subtractDuration } from './durations.js';
import type { WorkingCalendar } from './types.js';

const WORKING_DAYS = /^P(\d{1,4})WD$/;

/** n for `P<n>WD`, undefined for any other string (an ISO duration, or nonsense). */
export function workingDaysOf(d: string): number | undefined {
  const m = WORKING_DAYS.exec(d);
  return m ? Number(m[1]) : undefined;
}

export function isWorkingDays(d: string): boolean {
  return WORKING_DAYS.test(d);
}

/** `date` + `d`: n working days on `cal`, or the ISO duration (month ends clamped, as addDuration). */
export function addTiming(cal: WorkingCalendar, date: IsoDate, d: string): IsoDate {
  const n = workingDaysOf(d);
  return n === undefined ? addDuration(date, d) : cal.addWorkingDays(date, n);
}

/** `date` − `d`: the n-th working day before it, or the ISO duration back. */
export function subtractTiming(cal: WorkingCalendar, date: IsoDate, d: string): IsoDate {
  const n = workingDaysOf(d);
  if (n === undefined) return toLocalDate(subtractDuration(`${date}T00:00:00Z`, d, 'UTC'), 'UTC');
  return n === 0 ? date : cal.addWorkingDays(date, -n);
}

/** The same local time of day as `instant`, on `date` (the directive's zone). */
export function atDate(instant: IsoInstant, date: IsoDate, timezone: string): IsoInstant {
  const t = parseInstant(instant, timezone);
  const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  return formatInstant(DateTime.fromObject({ year: y, month: m, day: d, hour: t.hour, minute: t.minute, second: t.second, millisecond: t.millisecond }, { zone: checkZone(timezone) }));
}

/** n working days after the instant's local day, at the same local time (an escalation step after a due instant). */
export function addWorkingDaysToInstant(cal: WorkingCalendar, instant: IsoInstant, n: number, timezone: string): IsoInstant {
  return atDate(instant, cal.addWorkingDays(toLocalDate(instant, timezone), n), timezone);
}

/**
 * A reminder that falls on a day off (a Sunday, Tết) moved to the working day before, at the same
 * local time: nobody reads it on the day off, and the day after may already be the due date.
 */
export function onWorkingDayBefore(cal: WorkingCalendar, instant: IsoInstant, timezone: string): IsoInstant {
  const day = toLocalDate(instant, timezone);
  return cal.isDayOff(day) ? atDate(instant, cal.addWorkingDays(day, -1), timezone) : instant;
}

/**
 * Orders two timing durations from `reference`. With the calendar, exactly (the dates they reach);
 * without it (the checks that run before the calendar is read), n working days count as n × 7/5
 * calendar days, rounded up: what a week of five working days gives, before holidays.
 */
export function compareTimings(a: string, b: string, reference: IsoDate, cal?: WorkingCalendar): number {
  if (!isWorkingDays(a) && !isWorkingDays(b)) return compareDurations(a, b, reference);
  if (cal) {
    const da = addTiming(cal, reference, a);
    const db = addTiming(cal, reference, b);
    return da < db ? -1 : da > db ? 1 : 0;
  }
  return compareDurations(approximate(a), approximate(b), reference);
}

function approximate(d: string): string {
  const n = workingDaysOf(d);
  return n === undefined ? d : `P${Math.ceil((n * 7) / 5)}D`;
}
