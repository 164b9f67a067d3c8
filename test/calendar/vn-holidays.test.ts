import { describe, expect, it } from 'vitest';
import { applyDayOffPolicy, loadCalendar } from '../../compiler/calendar/index.js';

const vn = loadCalendar('vn');

function daysOff(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    if (vn.isDayOff(iso)) out.push(iso);
  }
  return out;
}

describe('vn calendar', () => {
  it('New Year 2023: 31/12/2022 is a Saturday, Monday 2/1/2023 is the observed holiday', () => {
    expect(vn.dayOffReason('2022-12-31')?.vi).toBe('Nghỉ hằng tuần (Thứ Bảy)');
    expect(vn.isDayOff('2023-01-01')).toBe(true);
    expect(vn.dayOffReason('2023-01-02')?.vi).toBe('Nghỉ bù Tết Dương lịch');
    expect(vn.nextWorkingDay('2022-12-31')).toBe('2023-01-03');
  });

  it('Tết 2023 is 20–26/1, work resumes on 27/1', () => {
    expect(daysOff('2023-01-19', '2023-01-27')).toEqual([
      '2023-01-20', '2023-01-21', '2023-01-22', '2023-01-23', '2023-01-24', '2023-01-25', '2023-01-26',
    ]);
    expect(vn.dayOffReason('2023-01-22')?.vi).toBe('Tết Âm lịch');
    expect(vn.nextWorkingDay('2023-01-20')).toBe('2023-01-27');
  });

  it('Tết 2024 is 8–14/2, work resumes on 15/2', () => {
    expect(daysOff('2024-02-07', '2024-02-15')).toEqual([
      '2024-02-08', '2024-02-09', '2024-02-10', '2024-02-11', '2024-02-12', '2024-02-13', '2024-02-14',
    ]);
    expect(vn.nextWorkingDay('2024-02-08')).toBe('2024-02-15');
  });

  it('Tết 2025 is 25/1–2/2 and Tết 2026 is 14–22/2', () => {
    expect(daysOff('2025-01-24', '2025-02-03')).toHaveLength(9);
    expect(vn.nextWorkingDay('2025-01-25')).toBe('2025-02-03');
    expect(vn.nextWorkingDay('2026-02-14')).toBe('2026-02-23');
  });

  it('Hùng Kings 2023 falls on Saturday 29/4 and is compensated, with 30/4–1/5: off 29/4–3/5', () => {
    expect(vn.dayOffReason('2023-04-29')?.vi).toContain('Giỗ Tổ Hùng Vương');
    expect(daysOff('2023-04-28', '2023-05-04')).toEqual(['2023-04-29', '2023-04-30', '2023-05-01', '2023-05-02', '2023-05-03']);
    expect(vn.nextWorkingDay('2023-04-29')).toBe('2023-05-04');
  });

  it('Hùng Kings 2024 is Thursday 18/4 only', () => {
    expect(vn.dayOffReason('2024-04-18')?.vi).toBe('Giỗ Tổ Hùng Vương');
    expect(vn.isDayOff('2024-04-17')).toBe(false);
    expect(vn.nextWorkingDay('2024-04-18')).toBe('2024-04-19');
  });

  it('National Day 2023 is 1–4/9', () => {
    expect(daysOff('2023-08-31', '2023-09-05')).toEqual(['2023-09-01', '2023-09-02', '2023-09-03', '2023-09-04']);
    expect(vn.nextWorkingDay('2023-09-01')).toBe('2023-09-05');
  });

  it('National Day before 2021 (Labour Code 2012) is one day', () => {
    expect(vn.isDayOff('2020-09-02')).toBe(true);
    expect(vn.isDayOff('2020-09-01')).toBe(false);
    expect(vn.isDayOff('2020-09-03')).toBe(false);
  });

  it('a swapped working Saturday (làm bù) is a working day', () => {
    expect(daysOff('2024-04-27', '2024-05-05')).toEqual([
      '2024-04-27', '2024-04-28', '2024-04-29', '2024-04-30', '2024-05-01', '2024-05-05',
    ]);
    expect(vn.isDayOff('2024-05-04')).toBe(false);
    expect(vn.dayOffReason('2024-05-04')).toBeUndefined();
    expect(vn.isDayOff('2014-12-27')).toBe(false);
    expect(vn.nextWorkingDay('2024-05-04')).toBe('2024-05-04');
  });

  it('arrangements around Hải Phòng’s directive of 31/10/2014: New Year 2015 is 1–4/1', () => {
    expect(daysOff('2014-12-31', '2015-01-05')).toEqual(['2015-01-01', '2015-01-02', '2015-01-03', '2015-01-04']);
    expect(vn.addWorkingDays('2014-10-31', 5)).toBe('2014-11-07');
  });

  it('statutory rule covers a year without an arrangement (2027)', () => {
    expect(vn.isDayOff('2027-01-01')).toBe(true);
    expect(vn.isDayOff('2027-02-06')).toBe(true);
    expect(vn.dayOffReason('2027-02-10')?.vi).toBe('Nghỉ bù Tết Âm lịch');
  });

  it('addWorkingDays skips days off in both directions and never counts the start day', () => {
    expect(vn.addWorkingDays('2023-01-19', 1)).toBe('2023-01-27');
    expect(vn.addWorkingDays('2023-01-27', -1)).toBe('2023-01-19');
    expect(vn.addWorkingDays('2022-12-30', 1)).toBe('2023-01-03');
    expect(vn.addWorkingDays('2022-12-31', 0)).toBe('2023-01-03');
    expect(vn.addWorkingDays('2023-01-03', 0)).toBe('2023-01-03');
    expect(() => vn.addWorkingDays('2023-01-03', 1.5)).toThrow(RangeError);
  });

  it('applyDayOffPolicy: keep leaves a day-off due date, next-working-day moves it', () => {
    expect(applyDayOffPolicy(vn, '2023-01-22', 'keep')).toBe('2023-01-22');
    expect(applyDayOffPolicy(vn, '2023-01-22', 'next-working-day')).toBe('2023-01-27');
    expect(applyDayOffPolicy(vn, '2023-01-27', 'next-working-day')).toBe('2023-01-27');
  });

  it('is cached per (dir, id)', () => {
    expect(loadCalendar('vn')).toBe(vn);
  });
});
