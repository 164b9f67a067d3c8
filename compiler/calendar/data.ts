import type { IsoDate, LocalizedText } from '../plan.js';

/** Shape of `directives/calendars/<id>.yaml`, as checked by calendar.schema.json. */
export interface CalendarFile {
  id: string;
  name: LocalizedText;
  timezone: string;
  weeklyDaysOff: WeeklyDaysOff[];
  ruleSets: RuleSet[];
  lunarDates?: Record<string, Record<string, LunarDateEntry>>;
  arrangements?: Arrangement[];
}

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export interface WeeklyDaysOff {
  from: IsoDate;
  days: Weekday[];
  source: string;
}

export interface RuleSet {
  from: IsoDate;
  source: string;
  note?: string;
  compensation: 'next-working-day' | 'none';
  holidays: HolidayRule[];
}

export interface HolidayRule {
  id: string;
  name: LocalizedText;
  solar?: MonthDay;
  lunar?: MonthDay;
  /** Days off before and after the anchor day, e.g. Tết: the last day of the lunar year and mùng 2–4. */
  span?: { before: number; after: number };
  /** One extra day at one of these offsets, chosen per year (2/9 + 1/9 or 3/9). */
  extraDayOneOf?: number[];
}

export interface MonthDay {
  month: number;
  day: number;
}

export type LunarDateEntry = IsoDate | { date: IsoDate; chineseCalendarDiffers?: boolean; note?: string };

export interface Arrangement {
  year: number;
  holidays: string[];
  off: { from: IsoDate; to: IsoDate }[];
  work?: IsoDate[];
  source: string;
  note?: string;
}

export function lunarEntryDate(e: LunarDateEntry): IsoDate {
  return typeof e === 'string' ? e : e.date;
}
