/**
 * Working-day calendar and date/duration arithmetic for directive deadlines.
 * Data lives in directives/calendars/<id>.yaml so holiday arrangements change without code.
 */
export type { WorkingCalendar } from './types.js';
export { CalendarError, DateError, DurationError } from './errors.js';
export type { SourceLocation } from './errors.js';
export { loadCalendar } from './registry.js';
export { applyDayOffPolicy } from './policy.js';
export type { DayOffPolicy } from './policy.js';
export { addTiming, addWorkingDaysToInstant, atDate, compareTimings, isWorkingDays, onWorkingDayBefore, subtractTiming, workingDaysOf } from './working-time.js';
export {
  addDuration,
  subtractDuration,
  addDurationToInstant,
  isValidDuration,
  durationIsPositive,
  compareDurations,
} from './durations.js';
export { endOfDay, startOfDay, toLocalDate, isRealDate } from './dates.js';
