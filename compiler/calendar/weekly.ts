import type { IsoDate } from '../plan.js';
import type { Weekday, WeeklyDaysOff } from './data.js';
import { isoWeekday } from './dates.js';
import type { Bilingual } from '../../common/cli-spec.js';

const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const NAMES: Record<Weekday, Bilingual> = {
  monday: { vi: 'Thứ Hai', en: 'Monday' },
  tuesday: { vi: 'Thứ Ba', en: 'Tuesday' },
  wednesday: { vi: 'Thứ Tư', en: 'Wednesday' },
  thursday: { vi: 'Thứ Năm', en: 'Thursday' },
  friday: { vi: 'Thứ Sáu', en: 'Friday' },
  saturday: { vi: 'Thứ Bảy', en: 'Saturday' },
  sunday: { vi: 'Chủ nhật', en: 'Sunday' },
};

export function weekdayOf(date: IsoDate): Weekday {
  const w = WEEKDAYS[isoWeekday(date) - 1];
  if (!w) throw new RangeError(`no weekday for ${date}`);
  return w;
}

/** The weekly schedule in force on `date`; before the first entry nobody had a fixed day off on record. */
export function weeklyDayOff(schedule: readonly WeeklyDaysOff[], date: IsoDate): Weekday | undefined {
  let current: WeeklyDaysOff | undefined;
  for (const entry of schedule) if (entry.from <= date) current = entry;
  const day = weekdayOf(date);
  return current?.days.includes(day) ? day : undefined;
}

export function weeklyReason(day: Weekday): Bilingual {
  return { vi: `Nghỉ hằng tuần (${NAMES[day].vi})`, en: `Weekly day off (${NAMES[day].en})` };
}
