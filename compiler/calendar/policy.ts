import type { IsoDate } from '../plan.js';
import type { WorkingCalendar } from './types.js';

/** Civil Code 2015 art. 148(5): a period ending on a day off ends on the next working day. */
export function applyDayOffPolicy(cal: WorkingCalendar, date: IsoDate, policy: 'keep' | 'next-working-day'): IsoDate {
  return policy === 'keep' ? date : cal.nextWorkingDay(date);
}
