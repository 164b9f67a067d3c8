import { DateTime } from 'luxon';
import type { IsoDate, IsoInstant } from '../plan.js';
import { DateError } from './errors.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isRealDate(s: string): boolean {
  return typeof s === 'string' && ISO_DATE.test(s) && DateTime.fromISO(s, { zone: 'utc' }).isValid;
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
