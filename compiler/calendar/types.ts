import type { IsoDate } from '../plan.js';

export interface WorkingCalendar {
  id: string;
  isDayOff(date: IsoDate): boolean;
  dayOffReason(date: IsoDate): { vi: string; en?: string } | undefined;
  /** First working day >= date. */
  nextWorkingDay(date: IsoDate): IsoDate;
  /**
   * The n-th working day after `date` (n < 0: before it); `date` itself is never counted, as
   * Civil Code 2015 art. 147 starts a period on the day after the triggering event.
   * n = 0 gives nextWorkingDay(date).
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate;
}
