import type { IsoDate } from '../plan.js';
import type { WorkingCalendar } from './types.js';

/** What a due date on a day off becomes. `previous-working-day` is language 1.1's (a date "before the holiday"). */
export type DayOffPolicy = 'keep' | 'next-working-day' | 'previous-working-day';

/**
 * Civil Code 2015 art. 148(5): a period ending on a day off ends on the next working day. A
 * directive (or, in language 1.1, one of its obligations) may keep the date, or bring it forward.
 */
export function applyDayOffPolicy(cal: WorkingCalendar, date: IsoDate, policy: DayOffPolicy): IsoDate {
  if (policy === 'keep') return date;
  if (policy === 'previous-working-day') return cal.isDayOff(date) ? cal.addWorkingDays(date, -1) : date;
  return cal.nextWorkingDay(date);
}
