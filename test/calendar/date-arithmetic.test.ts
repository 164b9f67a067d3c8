import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isoWeekday, isRealDate, shiftDays, yearOf } from '../../compiler/calendar/dates.js';

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
