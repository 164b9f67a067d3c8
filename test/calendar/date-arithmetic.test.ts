import { DateTime, Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isoWeekday, isRealDate, shiftDays, yearOf } from '../../compiler/calendar/dates.js';
import { addDuration, compareDurations, durationIsPositive, isValidDuration } from '../../compiler/calendar/durations.js';

// dates.ts does plain-date arithmetic without luxon for speed; it must answer as luxon did.
describe('plain-date arithmetic agrees with luxon', () => {
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  const years = [0, 1, 4, 99, 100, 400, 1582, 1900, 1969, 1970, 2000, 2023, 2024, 2025, 2100, 9998, 9999];
  const shifts = [-800000, -3660, -366, -1, 0, 1, 2, 31, 366, 3660, 800000, 0.5];

  it('validity, weekday, year and day shifts, over every month/day (0–13, 0–32) of sample years', () => {
    const mismatches: string[] = [];
    for (const y of years) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          const l = DateTime.fromISO(s, { zone: 'utc' });
          if (isRealDate(s) !== l.isValid) mismatches.push(`isRealDate ${s}`);
          if (!l.isValid) continue;
          if (isoWeekday(s) !== l.weekday) mismatches.push(`weekday ${s}`);
          if (yearOf(s) !== l.year) mismatches.push(`year ${s}`);
          for (const k of shifts) {
            const expected = l.plus({ days: k }).toISODate();
            let got: string;
            try {
              got = shiftDays(s, k);
            } catch {
              got = 'error';
            }
            if (got !== (expected ?? 'error')) mismatches.push(`shiftDays ${s} ${k}: ${got} ≠ ${expected}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses what is not a real date, as before', () => {
    expect(() => shiftDays('2024-02-30', 1)).toThrow('not a real calendar date');
    expect(() => isoWeekday('2024-13-01')).toThrow('not a real calendar date');
    expect(isRealDate('2024-2-03')).toBe(false);
  });
});

// durations.ts does plain arithmetic for unsigned whole-number durations; it must answer as luxon did.
describe('plain-duration arithmetic agrees with luxon', () => {
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  const dates: string[] = [];
  for (const y of [0, 1, 3, 96, 99, 100, 399, 400, 1900, 1999, 2000, 2023, 2024, 2100, 9998, 9999]) {
    for (const m of [1, 2, 11, 12]) for (const d of [1, 28, 29, 31]) dates.push(`${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
  }
  dates.push('2024-02-30', '2023-13-01', 'x');
  const durations = [
    ...['P1Y', 'P4Y', 'P100Y', 'P9999Y', 'P1M', 'P6M', 'P11M', 'P12M', 'P13M', 'P25M', 'P9999M', 'P1W', 'P52W', 'P1D', 'P7D', 'P30D', 'P31D', 'P365D', 'P366D', 'P9999D'],
    ...['PT1H', 'PT23H', 'PT24H', 'PT25H', 'PT48H', 'PT1M', 'PT1440M', 'PT1S', 'PT86400S', 'PT9999S', 'P0D', 'PT0S', 'P0Y0M0D'],
    ...['P1Y2M', 'P1M1D', 'P1M30D', 'P2M3W4D', 'P1Y1M1W1DT1H1M1S', 'P1DT12H', 'P10DT23H59M59S', 'P0001D', 'P1YT0H'],
    // luxon's: signs, fractions, long numbers, lone P/PT, garbage
    ...['-P1D', 'P-1D', 'P1M-1D', 'P1.5D', 'PT1.5S', 'P1,5D', 'P10000D', 'P12345678901234567890D', 'P', 'PT', 'P1DT', 'PT1H1D', 'P1D1M', '1D', 'p1d', '', ' P1D'],
  ];

  const luxonMillis = (date: string, d: string): number => DateTime.fromISO(date, { zone: 'utc' }).plus(Duration.fromISO(d)).toMillis();
  const outcome = <T,>(f: () => T): T | string => {
    try {
      return f();
    } catch (e) {
      return `throws ${(e as Error).name}`;
    }
  };

  it('isValidDuration and durationIsPositive', () => {
    const mismatches: string[] = [];
    for (const d of durations) {
      const valid = d.length > 1 && Duration.fromISO(d).isValid;
      if (isValidDuration(d) !== valid) mismatches.push(`isValidDuration ${d}`);
      const values = valid ? Object.values(Duration.fromISO(d).toObject()) : [];
      if (durationIsPositive(d) !== (valid && values.every((v) => v >= 0) && values.some((v) => v > 0))) mismatches.push(`durationIsPositive ${d}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('addDuration and compareDurations over sample dates and every pair of durations', () => {
    const valid = durations.filter((d) => d.length > 1 && Duration.fromISO(d).isValid);
    const mismatches: string[] = [];
    for (const date of dates) {
      const real = DateTime.fromISO(date, { zone: 'utc' }).isValid && /^\d{4}-\d{2}-\d{2}$/.test(date);
      for (const d of durations) {
        // parseDuration asks luxon alone (no length check): 'P' adds nothing.
        const expected = !real ? 'throws DateError' : !Duration.fromISO(d).isValid ? 'throws DurationError' : (DateTime.fromISO(date, { zone: 'utc' }).plus(Duration.fromISO(d)).toISODate() ?? 'throws DateError');
        const got = outcome(() => addDuration(date, d));
        if (got !== expected) mismatches.push(`addDuration ${date} ${d}: ${got} ≠ ${expected}`);
      }
      if (!real) continue;
      const millis = new Map(valid.map((d) => [d, luxonMillis(date, d)]));
      for (const a of valid) {
        for (const b of valid) {
          const expected = Math.sign(millis.get(a)! - millis.get(b)!);
          const got = compareDurations(a, b, date);
          if (!Object.is(got, expected)) mismatches.push(`compareDurations ${a} ${b} ${date}: ${got} ≠ ${expected}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
