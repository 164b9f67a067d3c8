import { Duration } from 'luxon';
import type { IsoDate, IsoDuration, IsoInstant } from '../plan.js';
import { formatDate, formatInstant, parseDate, parseInstant } from './dates.js';
import { DurationError } from './errors.js';

export function isValidDuration(d: string): boolean {
  return typeof d === 'string' && d.length > 1 && Duration.fromISO(d).isValid;
}

export function parseDuration(d: IsoDuration): Duration {
  const dur = typeof d === 'string' ? Duration.fromISO(d) : Duration.invalid('not a string');
  if (!dur.isValid) throw new DurationError(`not an ISO-8601 duration: ${JSON.stringify(d)}`);
  return dur;
}

/** Mixed-sign durations (P1MT-1H) are refused too: "how long" must not need a reference date to be positive. */
export function durationIsPositive(d: string): boolean {
  if (!isValidDuration(d)) return false;
  const values = Object.values(Duration.fromISO(d).toObject());
  return values.every((v) => v >= 0) && values.some((v) => v > 0);
}

/** Luxon clamps to the month end (31/8 + P6M = 28/2 or 29/2), which is what Vietnamese deadline practice expects. */
export function addDuration(date: IsoDate, duration: IsoDuration): IsoDate {
  return formatDate(parseDate(date).plus(parseDuration(duration)));
}

/** Wall-clock arithmetic in the directive's zone, so P1D before a due instant stays at the same local time. */
export function subtractDuration(instant: IsoInstant, duration: IsoDuration, timezone: string): IsoInstant {
  return formatInstant(parseInstant(instant, timezone).minus(parseDuration(duration)));
}

export function addDurationToInstant(instant: IsoInstant, duration: IsoDuration, timezone: string): IsoInstant {
  return formatInstant(parseInstant(instant, timezone).plus(parseDuration(duration)));
}

/** P1M and P30D compare differently depending on the month, hence the reference date. */
export function compareDurations(a: IsoDuration, b: IsoDuration, reference: IsoDate): number {
  const start = parseDate(reference);
  const ta = start.plus(parseDuration(a)).toMillis();
  const tb = start.plus(parseDuration(b)).toMillis();
  return Math.sign(ta - tb);
}
