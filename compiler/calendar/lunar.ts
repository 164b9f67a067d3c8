import type { IsoDate } from '../plan.js';
import { formatDate, parseDate } from './dates.js';

/**
 * Lunar → solar conversion through ICU's Chinese calendar (built into Node, no dependency).
 * ICU computes new moons for UTC+8 while the Vietnamese calendar uses UTC+7, so a month can
 * start one day apart (Tết 1985, 2007). The calendar data file's `lunarDates` are the
 * authority wherever they exist; this is the fallback for years the file does not list.
 */

interface LunarDay {
  year: number;
  month: number;
  leap: boolean;
  day: number;
}

// Made on first use: creating it loads ICU's Chinese calendar, ~12–25 ms, which a compilation
// whose years all have `lunarDates` (every seed directive today) never needs.
let formatter: Intl.DateTimeFormat | undefined;

export function toLunar(date: IsoDate): LunarDay {
  formatter ??= new Intl.DateTimeFormat('en-u-ca-chinese', {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  // Noon UTC keeps the instant inside the same civil day whatever ICU does internally.
  const parts = formatter.formatToParts(new Date(`${date}T12:00:00Z`));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const month = /^(\d+)(bis)?$/.exec(get('month'));
  const year = Number(get('relatedYear'));
  const day = Number(get('day'));
  if (!month || !Number.isInteger(year) || !Number.isInteger(day)) {
    throw new Error(`ICU Chinese calendar gave an unexpected shape for ${date}: ${JSON.stringify(parts)}`);
  }
  return { year, month: Number(month[1]), leap: month[2] !== undefined, day };
}

const cache = new Map<string, IsoDate>();

/**
 * The solar date of a (non-leap) lunar month/day in the lunar year that starts in solar year
 * `lunarYear`. Holidays are never celebrated in a leap month, so leap months are skipped.
 */
export function lunarToSolar(lunarYear: number, month: number, day: number): IsoDate {
  const key = `${lunarYear}-${month}-${day}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // Tết is always between 21 January and 20 February; the scan starts before the earliest.
  let cursor = parseDate(`${String(lunarYear).padStart(4, '0')}-01-15`);
  for (let i = 0; i < 420; i++, cursor = cursor.plus({ days: 1 })) {
    const iso = formatDate(cursor);
    const l = toLunar(iso);
    if (l.year === lunarYear && l.month === month && !l.leap && l.day === day) {
      cache.set(key, iso);
      return iso;
    }
  }
  throw new RangeError(`lunar date ${day}/${month} of year ${lunarYear} does not exist`);
}
