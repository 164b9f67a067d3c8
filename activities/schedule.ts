import {
  addDuration,
  addDurationToInstant,
  addTiming,
  addWorkingDaysToInstant,
  applyDayOffPolicy,
  DateError,
  DurationError,
  endOfDay,
  loadCalendar,
  onWorkingDayBefore,
  startOfDay,
  subtractDuration,
  toLocalDate,
  workingDaysOf,
  type WorkingCalendar,
} from '../compiler/calendar/index.js';
import type { IsoDate, IsoDuration, IsoInstant, PlanObligation } from '../compiler/plan.js';
import type { CycleSchedule, ScheduleRequest } from '../workflows/types.js';
import { InvalidRequestError } from './errors.js';

/**
 * scheduleCycle: pure calendar arithmetic. Every "now" comes from the request (workflow clock),
 * never from this process's clock, so replays and the time-skipping test server agree.
 * loadCalendar caches parsed calendars per file, so this reads YAML once per process.
 */
export function createScheduleCycle(calendarDir?: string): (req: ScheduleRequest) => Promise<CycleSchedule> {
  return async (req) => {
    const id = req.directive.calendar.id;
    try {
      return computeSchedule(req, calendarDir === undefined ? loadCalendar(id) : loadCalendar(id, calendarDir));
    } catch (err) {
      // A bad date or duration in a request never gets better on retry: answering with a permanent
      // error lets the workflow refuse the change instead of waiting on retries for ever.
      if (err instanceof DateError || err instanceof DurationError) {
        throw new InvalidRequestError({ vi: `Yêu cầu lập lịch không hợp lệ: ${err.message}`, en: `Invalid schedule request: ${err.message}` }, { cause: err });
      }
      throw err;
    }
  };
}

/** Far more windows than any directive has (a monthly duty for 80 years); guards bad input only. */
const MAX_SKIPPED_WINDOWS = 1000;

export function computeSchedule(req: ScheduleRequest, cal: WorkingCalendar): CycleSchedule {
  const from = req.firstDueOnOrAfter;
  const windowed = req.obligation.kind === 'ongoing' || (req.obligation.kind === 'recurring' && req.obligation.periodFrom === 'window');
  if (from === undefined || !windowed) return scheduleOne(req, cal);
  for (let n = req.cycle; n < req.cycle + MAX_SKIPPED_WINDOWS; n++) {
    const s = scheduleOne({ ...req, cycle: n }, cal);
    if (compareInstants(s.dueAt, from) >= 0 || s.last) return n === req.cycle ? s : { ...s, cycle: n };
  }
  throw invalid(`no window of ${req.obligation.id} is due after ${from} within ${MAX_SKIPPED_WINDOWS} cycles`);
}

function scheduleOne(req: ScheduleRequest, cal: WorkingCalendar): CycleSchedule {
  const tz = req.directive.timezone;
  // Language 1.1: an obligation's own rule over the directive's (absent in v1 plans).
  const adjust = (d: IsoDate): IsoDate => applyDayOffPolicy(cal, d, req.obligation.dueOnDayOff ?? req.directive.calendar.dueOnDayOff);
  const ob = req.obligation;
  const { opensAt, due, dueAt, last } = cycleWindow(req, adjust, cal);
  return {
    opensAt,
    due,
    dueAt,
    reminders: reminders(ob, due, dueAt, req.now, tz, cal, req.remindersOnDayOff),
    escalations: ob.escalation
      .map((step) => ({ at: afterDue(dueAt, step.after, tz, cal), after: step.after, to: step.to, roles: step.roles }))
      .sort((a, b) => compareInstants(a.at, b.at)),
    last,
  };
}

/** An escalation step's instant: `P3WD` is the third working day after the due day, at the due's time of day (1.1). */
function afterDue(dueAt: IsoInstant, after: IsoDuration, tz: string, cal: WorkingCalendar): IsoInstant {
  const n = workingDaysOf(after);
  return n === undefined ? addDurationToInstant(dueAt, after, tz) : addWorkingDaysToInstant(cal, dueAt, n, tz);
}

interface Window {
  opensAt: IsoInstant;
  due: IsoDate;
  dueAt: IsoInstant;
  last: boolean;
}

function cycleWindow(req: ScheduleRequest, adjust: (d: IsoDate) => IsoDate, cal: WorkingCalendar): Window {
  const tz = req.directive.timezone;
  const ob = req.obligation;
  const n = req.cycle;
  if (!Number.isInteger(n) || n < 1) throw invalid(`cycle must be a positive integer, got ${n}`);
  const dated = (opensAt: IsoInstant, computedDue: IsoDate): Window => {
    // The policy is idempotent, so applying it to dates the compiler already adjusted is
    // harmless, and it also moves an extension granted to a Sunday (Civil Code art. 148).
    const due = adjust(req.extendedDue ?? req.cycleDue ?? computedDue);
    return { opensAt, due, dueAt: endOfDay(due, tz), last: false };
  };
  // Language 1.1: a due date counted from the unit's receipt or a prerequisite's completion, the
  // instant the workflow passes (`clockFrom`): the cycle opens then, due `plus` after that day.
  if (ob.relativeDue !== undefined && req.clockFrom !== undefined && (ob.kind === 'deadline' || ob.kind === 'recurring')) {
    const w = dated(req.clockFrom, adjust(addTiming(cal, toLocalDate(req.clockFrom, tz), ob.relativeDue.plus)));
    return { ...w, last: ob.kind === 'recurring' && ob.until !== undefined && w.due >= ob.until };
  }
  switch (ob.kind) {
    case 'deadline':
      return dated(req.now, ob.effectiveDue);
    case 'recurring': {
      if (ob.periodFrom === 'window') {
        const w = fixedWindow(req, ob.anchor, ob.every, ob.firstDue, adjust, dated);
        const nextStart = addDuration(ob.anchor, scaleDuration(ob.every, n));
        return { ...w, last: ob.until !== undefined && nextStart > ob.until };
      }
      // The next period counts from the day the previous cycle was completed, so cycle n opens
      // at that completion.
      let w: Window;
      if (n === 1) w = dated(startOfDay(ob.anchor, tz), ob.firstDue);
      else if (req.previousCompletedAt !== undefined)
        w = dated(req.previousCompletedAt, adjust(addDuration(toLocalDate(req.previousCompletedAt, tz), ob.every)));
      else if (req.previousDue !== undefined) w = dated(req.now, adjust(addDuration(req.previousDue, ob.every)));
      else throw invalid(`cycle ${n} of ${ob.id} needs previousCompletedAt (periodFrom: completion)`);
      // The next start is the (unknown) completion of this cycle; once this cycle is due on or
      // after `until`, any further cycle would be due a whole period after the directive ended.
      return { ...w, last: ob.until !== undefined && w.due >= ob.until };
    }
    case 'ongoing':
      return fixedWindow(req, ob.anchor, ob.attestEvery, ob.firstDue, adjust, dated);
    case 'event': {
      if (!req.event) throw invalid(`event obligation ${ob.id} scheduled without an event`);
      if (req.extendedDue !== undefined) return dated(req.event.occurredAt, req.extendedDue);
      // "Trong 05 ngày làm việc" (1.1): the end of the fifth working day after the day of the event.
      const wd = workingDaysOf(ob.within);
      if (wd !== undefined) return { ...dated(req.event.occurredAt, cal.addWorkingDays(toLocalDate(req.event.occurredAt, tz), wd)), last: true };
      // "Within PT4H" is a real deadline instant, not the end of a day.
      const dueAt = addDurationToInstant(req.event.occurredAt, ob.within, tz);
      return { opensAt: req.event.occurredAt, due: toLocalDate(dueAt, tz), dueAt, last: true };
    }
  }
}

/**
 * Fixed windows: cycle n is due at anchor + n × every, computed from the anchor rather than from
 * the previous (already day-off-adjusted) due date, so a due moved from a Sunday to a Monday does
 * not shift every later window, and month-end anchors do not creep (31/01 + P1M + P1M ≠ 31/03).
 */
function fixedWindow(
  req: ScheduleRequest,
  anchor: IsoDate,
  every: IsoDuration,
  firstDue: IsoDate,
  adjust: (d: IsoDate) => IsoDate,
  dated: (opensAt: IsoInstant, due: IsoDate) => Window,
): Window {
  const tz = req.directive.timezone;
  const n = req.cycle;
  const start = n === 1 ? anchor : addDuration(anchor, scaleDuration(every, n - 1));
  const due = n === 1 ? firstDue : adjust(addDuration(anchor, scaleDuration(every, n)));
  return dated(startOfDay(start, tz), due);
}

/**
 * Offsets counted in days or longer remind at the start of that day (a "P1D" reminder is read on
 * the morning before the due day, not at 23:59); offsets with hours count back from the instant.
 */
function reminders(
  ob: PlanObligation,
  due: IsoDate,
  dueAt: IsoInstant,
  now: IsoInstant,
  tz: string,
  cal: WorkingCalendar,
  onDayOff: ScheduleRequest['remindersOnDayOff'],
): CycleSchedule['reminders'] {
  return ob.reminders
    .map((offset) => {
      // `P2WD` (1.1): the morning of the second working day before the due day.
      const wd = workingDaysOf(offset);
      let at =
        wd !== undefined
          ? startOfDay(wd === 0 ? due : cal.addWorkingDays(due, -wd), tz)
          : ob.kind === 'event' || hasTimePart(offset)
            ? subtractDuration(dueAt, offset, tz)
            : subtractDuration(startOfDay(due, tz), offset, tz);
      // A reminder counted in days that falls on a Sunday or a holiday is read on the working day
      // before (1.1, remindersOnDayOff). One counted in hours is a moment, and stays where it is.
      if (onDayOff === 'previous-working-day' && !hasTimePart(offset)) at = onWorkingDayBefore(cal, at, tz);
      return { at, offset };
    })
    .filter((r) => compareInstants(r.at, now) >= 0)
    .sort((a, b) => compareInstants(a.at, b.at));
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** `P6M` × 3 = `P18M`: multiplying components keeps calendar semantics (months stay months). */
export function scaleDuration(dur: IsoDuration, factor: number): IsoDuration {
  const m = DURATION.exec(dur);
  if (!m || dur === 'P' || dur.endsWith('T')) throw invalid(`not an ISO-8601 duration: ${dur}`);
  const part = (i: number, unit: string): string => (m[i] === undefined ? '' : `${Number(m[i]) * factor}${unit}`);
  const date = part(1, 'Y') + part(2, 'M') + part(3, 'W') + part(4, 'D');
  const time = part(5, 'H') + part(6, 'M') + part(7, 'S');
  const scaled = `P${date}${time ? `T${time}` : ''}`;
  return scaled === 'P' ? 'P0D' : scaled;
}

function hasTimePart(dur: IsoDuration): boolean {
  return dur.includes('T');
}

function compareInstants(a: IsoInstant, b: IsoInstant): number {
  return Date.parse(a) - Date.parse(b);
}

function invalid(en: string): InvalidRequestError {
  return new InvalidRequestError({ vi: `Yêu cầu lập lịch không hợp lệ: ${en}`, en: `Invalid schedule request: ${en}` });
}
