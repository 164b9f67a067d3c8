import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CalendarFile } from '../../compiler/calendar/data.js';
import { shiftDays } from '../../compiler/calendar/dates.js';
import { loadCalendar } from '../../compiler/calendar/index.js';
import { buildCalendar } from '../../compiler/calendar/working-calendar.js';

const data = parse(
  readFileSync(fileURLToPath(new URL('../../directives/calendars/vn.yaml', import.meta.url)), 'utf8'),
) as CalendarFile;
const official = loadCalendar('vn');

/**
 * Official arrangements that involved no swap and no unusual Tết placement: the statutory
 * rule alone must give the same days off, which is what years without an arrangement rely on.
 */
const reproducible: [number, string][] = [
  [2016, 'tet'],
  [2019, 'tet'],
  [2022, 'tet'],
  [2026, 'tet'],
  [2023, 'hung-kings'],
  [2021, 'national-day'],
  [2022, 'national-day'],
  [2023, 'national-day'],
  [2024, 'national-day'],
  [2025, 'national-day'],
];

describe('statutory rule without the arrangement', () => {
  it.each(reproducible)('%i %s', (year, holiday) => {
    const arrangement = (data.arrangements ?? []).find((a) => a.year === year && a.holidays.includes(holiday));
    if (!arrangement) throw new Error(`no arrangement ${year} ${holiday}`);
    const statutoryOnly = buildCalendar({ ...data, arrangements: (data.arrangements ?? []).filter((a) => a !== arrangement) }, 'test');
    const first = arrangement.off[0]?.from ?? '';
    const last = arrangement.off[arrangement.off.length - 1]?.to ?? '';
    for (let d = shiftDays(first, -3); d <= shiftDays(last, 3); d = shiftDays(d, 1)) {
      expect(statutoryOnly.isDayOff(d), d).toBe(official.isDayOff(d));
    }
  });

  it('a Tết the government placed differently is not reproduced (2017: 26/1–1/2, statute 27/1–2/2)', () => {
    const statutoryOnly = buildCalendar({ ...data, arrangements: [] }, 'test');
    expect(official.isDayOff('2017-01-26')).toBe(true);
    expect(statutoryOnly.isDayOff('2017-01-26')).toBe(false);
    expect(statutoryOnly.isDayOff('2017-02-02')).toBe(true);
  });
});
