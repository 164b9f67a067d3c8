import { DateTime } from 'luxon';
import type { IsoDate, IsoInstant } from '../plan.js';
import { DateError } from './errors.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// Plain-date arithmetic without luxon: the working calendar steps day by day (buildCalendar over
// every arranged range, the statutory days of each year, the search for a working day), and doing
// that through luxon's DateTime was ~30 ms of a one-shot `chithi validate
// directives/hanoi-3968-2022.yaml` from dist/ (cpu profile; ~13 ms of it luxon resolving the system
// locale on first use). Same answers (test/calendar/date-arithmetic.test.ts): a YYYY-MM-DD date is
// real when its month is 1–12 and its day exists in that month of the proleptic Gregorian
// calendar, which is luxon's validity for such a date; results outside years 0000–9999, which
// luxon writes in its own extended form, and fractional shifts still go through luxon.

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function ymd(s: string): [number, number, number] {
  return [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). Linear in the
 * day, so a day past the month's end counts on into the next months (durations.ts relies on it).
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of daysFromCivil. */
export function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!;
}

export function isRealDate(s: string): boolean {
  if (typeof s !== 'string' || !ISO_DATE.test(s)) return false;
  const [y, m, d] = ymd(s);
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function realDate(date: IsoDate): [number, number, number] {
  if (!isRealDate(date)) throw new DateError(`not a real calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return ymd(date);
}

/** The year of a real date (parseDate(date).year). */
export function yearOf(date: IsoDate): number {
  return realDate(date)[0];
}

/** ISO weekday, 1 = Monday … 7 = Sunday (parseDate(date).weekday). */
export function isoWeekday(date: IsoDate): number {
  const [y, m, d] = realDate(date);
  // luxon's own weekday for years 0–99 (it is off by one on 0000-02-29): kept as it was.
  if (y < 100) return parseDate(date).weekday;
  const days = daysFromCivil(y, m, d);
  // 1970-01-01 was a Thursday (4).
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/**
 * Plain dates are handled in UTC so day arithmetic never meets a DST gap; the zone only
 * matters once a date becomes an instant.
 */
export function parseDate(date: IsoDate): DateTime {
  if (!isRealDate(date)) throw new DateError(`not a real calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return DateTime.fromISO(date, { zone: 'utc' });
}

export function formatDate(dt: DateTime): IsoDate {
  const s = dt.toISODate();
  if (s === null) throw new DateError(`date out of range: ${dt.invalidExplanation ?? 'unknown'}`);
  return s;
}

export function shiftDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = realDate(date);
  if (Number.isInteger(days)) {
    const [ry, rm, rd] = civilFromDays(daysFromCivil(y, m, d) + days);
    if (ry >= 0 && ry <= 9999) return `${pad(ry, 4)}-${pad(rm, 2)}-${pad(rd, 2)}`;
  }
  return formatDate(parseDate(date).plus({ days }));
}

export function checkZone(timezone: string): string {
  if (!DateTime.local().setZone(timezone).isValid) throw new DateError(`unknown timezone: ${JSON.stringify(timezone)}`);
  return timezone;
}

export function parseInstant(instant: IsoInstant, timezone: string): DateTime {
  const dt = DateTime.fromISO(instant, { setZone: true });
  if (!dt.isValid) throw new DateError(`not an ISO-8601 instant: ${JSON.stringify(instant)}`);
  return dt.setZone(checkZone(timezone));
}

export function formatInstant(dt: DateTime): IsoInstant {
  const s = dt.toISO({ suppressMilliseconds: false, includeOffset: true });
  if (s === null) throw new DateError(`instant out of range: ${dt.invalidExplanation ?? 'unknown'}`);
  return s;
}

export function startOfDay(date: IsoDate, timezone: string): IsoInstant {
  parseDate(date);
  return formatInstant(DateTime.fromISO(date, { zone: checkZone(timezone) }).startOf('day'));
}

export function endOfDay(date: IsoDate, timezone: string): IsoInstant {
  parseDate(date);
  return formatInstant(DateTime.fromISO(date, { zone: checkZone(timezone) }).endOf('day'));
}

export function toLocalDate(instant: IsoInstant, timezone: string): IsoDate {
  return formatDate(parseInstant(instant, timezone));
}
