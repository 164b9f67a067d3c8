import { DateTime, Duration } from 'luxon';
import { DEFAULT_NOTIFY, type IsoInstant, type NotifyCadence, type PlanUnit } from '../../compiler/plan.js';
import type { WorkingCalendar } from '../../compiler/calendar/index.js';
import type { NotificationRequest } from '../../workflows/types.js';
import { remembered } from './remembered.js';

/**
 * Which letter a notice's e-mail goes into. People read few, clear letters: a chairman who gets
 * 5,000 e-mails reads none (issue 7: a fresh `npm start` mailed 23,643). So:
 * - answers to someone's action (evidence submitted, accepted, rejected; extensions) and duties
 *   counted in hours (report an attack within 4 hours) are sent at once, one e-mail each;
 * - the tasks given by a deployment (`opened` of a first cycle, amendments, withdrawals) are
 *   gathered for a few minutes into one assignment letter per directive;
 * - reminders, overdue notices, new periods of recurring duties and escalations wait for the
 *   recipient's letter: daily at 08:00 on working days unless the registry says otherwise; the
 *   repeated reminders of a unit already overdue wait for its weekly letter (Monday 08:00).
 * The in-app inbox gets every notice at once, whatever happens to the e-mail.
 */
export type LetterKind = 'assignment' | 'digest';

export type LetterChoice = { hold: false } | { hold: true; kind: LetterKind; slot: IsoInstant };

/**
 * Deployment starts a directive's instances within seconds (213 starts/s measured on the dev
 * server), but a busy worker may take a minute or two to run all their first steps: five minutes
 * gathers them into one letter without making anyone wait long for it.
 */
export const ASSIGNMENT_GATHER_MS = 5 * 60_000;

/** Duties due within a day of their event are urgent: never held for a letter. */
const URGENT_WITHIN_HOURS = 24;

const IMMEDIATE_KINDS = new Set<NotificationRequest['kind']>([
  'submitted',
  'accepted',
  'rejected',
  'extension-requested',
  'extension-decided',
]);

/** The recipient's `notify:` from the registry; else DEFAULT_NOTIFY, daily at 08:00: offices open at 07:30–08:00, so a letter waiting then is read with the morning's mail. */
export function cadenceOf(req: NotificationRequest, recipient: string): NotifyCadence {
  const unit: PlanUnit | undefined = req.contacts[recipient] ?? (req.unit.id === recipient ? req.unit : undefined);
  return unit?.notify ?? DEFAULT_NOTIFY;
}

export function isUrgent(req: NotificationRequest): boolean {
  const ob = req.obligation;
  if (ob.kind !== 'event') return false;
  return Duration.fromISO(ob.within).as('hours') < URGENT_WITHIN_HOURS;
}

/** Tasks given, changed or taken back by a deployment: gathered into one assignment letter. */
export function isAssignment(req: { kind: NotificationRequest['kind']; cycle: number; detail?: Record<string, string> }): boolean {
  return req.kind === 'amended' || req.kind === 'withdrawn' || (req.kind === 'opened' && (req.cycle === 1 || req.detail?.first === 'true'));
}

/**
 * The letter for one notice to one recipient. `openAssignment` is the time of an assignment
 * letter of this directive to this recipient that is still gathering (not composed), if any:
 * notices of the same deployment join it rather than start another.
 */
export function chooseLetter(
  req: NotificationRequest,
  recipient: string,
  cal: WorkingCalendar,
  openAssignment?: IsoInstant,
): LetterChoice {
  if (IMMEDIATE_KINDS.has(req.kind) || isUrgent(req)) return { hold: false };
  const cadence = cadenceOf(req, recipient);
  if (cadence.cadence === 'immediate') return { hold: false };
  if (isAssignment(req)) {
    const slot = openAssignment !== undefined && Date.parse(openAssignment) >= Date.parse(req.at)
      ? openAssignment
      : new Date(Math.ceil((Date.parse(req.at) + ASSIGNMENT_GATHER_MS) / 60_000) * 60_000).toISOString();
    return { hold: true, kind: 'assignment', slot };
  }
  // A unit already overdue, and told so, is reminded in its weekly letter: its overdue duties fall
  // due on different days, and a letter every day about the same late work is noise (the Hanoi
  // year: 0.54× one e-mail per notice with daily reminders, see `npm run bench`).
  const nag = req.kind === 'reminder' && req.detail?.overdue === 'true' && cadence.cadence === 'daily';
  const effective: NotifyCadence = nag ? { cadence: 'weekly', at: cadence.at } : cadence;
  return { hold: true, kind: 'digest', slot: nextLetterTime(req.at, effective, cal, req.directive.timezone) };
}

/**
 * The first letter time at or after `at`: the cadence's local time on a working day of the
 * directive's calendar (a weekly letter: on its weekday, or the first working day after it when
 * that day is off). Nothing is sent on a day off; the next working day's letter carries it.
 */
export function nextLetterTime(at: IsoInstant, cadence: NotifyCadence, cal: WorkingCalendar, tz: string): IsoInstant {
  // Remembered per calendar (its days off decide): every notice of a wake asks with its instant,
  // and luxon's zone arithmetic below cost the Hanoi year rehearsal 1.6 s of its 25.
  let of = letterTimes.get(cal);
  if (!of) letterTimes.set(cal, (of = remembered((a: IsoInstant, c: NotifyCadence, z: string) => computeLetterTime(a, c, cal, z), letterTimeKey)));
  return of(at, cadence, tz);
}

const letterTimes = new WeakMap<WorkingCalendar, (at: IsoInstant, cadence: NotifyCadence, tz: string) => IsoInstant>();
const letterTimeKey = (at: IsoInstant, c: NotifyCadence, tz: string) => `${at}|${c.cadence}|${c.at}|${c.cadence === 'weekly' ? (c.weekday ?? 1) : ''}|${tz}`;

function computeLetterTime(at: IsoInstant, cadence: NotifyCadence, cal: WorkingCalendar, tz: string): IsoInstant {
  const [hh, mm] = cadence.at.split(':').map(Number) as [number, number];
  const from = DateTime.fromISO(at, { setZone: true }).setZone(tz);
  let day = from.startOf('day');
  // A year is far more than any calendar keeps off in a row; the bound only guards bad data.
  for (let i = 0; i < 400; i++, day = day.plus({ days: 1 })) {
    const iso = day.toISODate()!;
    const candidate = day.set({ hour: hh, minute: mm });
    if (candidate < from) continue;
    if (cadence.cadence === 'weekly') {
      const weekday = cadence.weekday ?? 1;
      // The week's letter day, or the first working day after it in the same week.
      const letterDay = day.set({ weekday: weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7 });
      if (day < letterDay) continue;
      const firstWorking = cal.nextWorkingDay(letterDay.toISODate()!);
      if (iso !== firstWorking) continue;
    } else if (cal.isDayOff(iso)) continue;
    return candidate.toUTC().toISO()!;
  }
  return from.plus({ days: 1 }).toUTC().toISO()!;
}
