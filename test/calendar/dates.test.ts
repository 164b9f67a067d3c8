import { describe, expect, it } from 'vitest';
import {
  addDuration,
  addDurationToInstant,
  compareDurations,
  DateError,
  DurationError,
  durationIsPositive,
  endOfDay,
  isRealDate,
  isValidDuration,
  startOfDay,
  subtractDuration,
  toLocalDate,
} from '../../compiler/calendar/index.js';

const TZ = 'Asia/Ho_Chi_Minh';

describe('dates', () => {
  it('isRealDate', () => {
    expect(isRealDate('2022-11-31')).toBe(false);
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('2023-2-28')).toBe(false);
    expect(isRealDate('2023-02-28T00:00')).toBe(false);
  });

  it('endOfDay and startOfDay in Asia/Ho_Chi_Minh', () => {
    expect(endOfDay('2022-11-30', TZ)).toBe('2022-11-30T23:59:59.999+07:00');
    expect(startOfDay('2022-11-30', TZ)).toBe('2022-11-30T00:00:00.000+07:00');
    expect(() => endOfDay('2022-11-31', TZ)).toThrow(DateError);
    expect(() => endOfDay('2022-11-30', 'Mars/Olympus')).toThrow(DateError);
  });

  it('toLocalDate reads the instant in the given zone', () => {
    expect(toLocalDate('2022-11-30T17:30:00Z', TZ)).toBe('2022-12-01');
    expect(toLocalDate('2022-11-30T23:59:59.999+07:00', TZ)).toBe('2022-11-30');
  });
});

describe('durations', () => {
  it('addDuration clamps to the month end', () => {
    expect(addDuration('2022-08-31', 'P6M')).toBe('2023-02-28');
    expect(addDuration('2023-08-31', 'P6M')).toBe('2024-02-29');
    expect(addDuration('2024-02-29', 'P1Y')).toBe('2025-02-28');
    expect(addDuration('2022-11-30', 'P7D')).toBe('2022-12-07');
    expect(() => addDuration('2022-11-30', '7 days')).toThrow(DurationError);
  });

  it('subtractDuration and addDurationToInstant keep the local offset', () => {
    const due = '2022-11-30T23:59:59.999+07:00';
    expect(subtractDuration(due, 'P3D', TZ)).toBe('2022-11-27T23:59:59.999+07:00');
    expect(subtractDuration(due, 'PT4H', TZ)).toBe('2022-11-30T19:59:59.999+07:00');
    expect(addDurationToInstant(due, 'P1M', TZ)).toBe('2022-12-30T23:59:59.999+07:00');
    expect(addDurationToInstant('2022-11-30T16:59:59.999Z', 'P1D', TZ)).toBe('2022-12-01T23:59:59.999+07:00');
  });

  it('isValidDuration and durationIsPositive', () => {
    expect(isValidDuration('P6M')).toBe(true);
    expect(isValidDuration('PT4H')).toBe(true);
    expect(isValidDuration('P')).toBe(false);
    expect(isValidDuration('6M')).toBe(false);
    expect(durationIsPositive('P1D')).toBe(true);
    expect(durationIsPositive('P0D')).toBe(false);
    expect(durationIsPositive('-P1D')).toBe(false);
    expect(durationIsPositive('P-1D')).toBe(false);
    expect(durationIsPositive('nonsense')).toBe(false);
  });

  it('compareDurations depends on the reference date', () => {
    expect(compareDurations('P1M', 'P30D', '2023-02-01')).toBe(-1);
    expect(compareDurations('P1M', 'P30D', '2023-04-01')).toBe(0);
    expect(compareDurations('P1M', 'P30D', '2023-01-01')).toBe(1);
    expect(compareDurations('P1Y', 'P12M', '2023-01-01')).toBe(0);
  });
});
