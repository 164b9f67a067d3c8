/**
 * The compiled plan: the stable contract between the compiler and everything downstream
 * (`chithi compile --json`, the Temporal workflows, reports). Plain JSON only: it crosses
 * workflow boundaries, so no Map, Date, class instances or undefined-vs-missing tricks.
 *
 * Bump PLAN_VERSION on any incompatible change; running workflows branch on it with patched().
 */
export const PLAN_VERSION = 1 as const;

/** ISO-8601 calendar date, `YYYY-MM-DD`, in the directive's timezone. */
export type IsoDate = string;
/**
 * ISO-8601 duration, e.g. `P6M`, `P1Y`, `PT4H`, `P7D`. In a plan of a language 1.1 file, reminders,
 * escalation steps, event windows and counted due dates may also be `P<n>WD`: n working days on the
 * directive's calendar (compiler/calendar/working-time.ts; not ISO, so never hand one to luxon).
 */
export type IsoDuration = string;
/** ISO-8601 instant with offset, e.g. `2022-11-30T23:59:59.999+07:00`. */
export type IsoInstant = string;

/** A directive's own text: Vietnamese is the legal text, English optional (unlike Bilingual, common/cli-spec.ts, for chithi's messages). */
export interface LocalizedText {
  vi: string;
  en?: string;
}

export interface Plan {
  planVersion: typeof PLAN_VERSION;
  directive: PlanDirective;
  /** Role name → unit id, after succession (e.g. `coordinator`, `leadership`). */
  roles: Record<string, string>;
  obligations: PlanObligation[];
  /** Every unit the plan mentions (assignees, cooperating, reviewers, escalation targets). */
  units: Record<string, PlanUnit>;
  /** sha256 of the canonical JSON of everything above except this field: equal hash = nothing to redeploy. */
  hash: string;
}

export interface PlanDirective {
  id: string;
  number: string;
  /** Date the directive was signed. */
  issued: IsoDate;
  timezone: string;
  title: LocalizedText;
  issuer: string;
  implements: string[];
  /** Amendment counter of the YAML file (`metadata.revision`), 1 for the first version. */
  revision: number;
  calendar: PlanCalendarPolicy;
  /** The date the registry was resolved at (succession, membership). */
  asOf: IsoDate;
  /** Path of the unit registry, relative to the directive file. */
  registry: string;
}

export interface PlanCalendarPolicy {
  /** Calendar id, e.g. `vn` (data in directives/calendars/vn.yaml). */
  id: string;
  /**
   * What happens when a due date falls on a day off: `keep` it, or move it to the
   * `next-working-day` (Civil Code 2015 art. 148).
   */
  dueOnDayOff: 'keep' | 'next-working-day' | 'previous-working-day';
  /**
   * Language 1.1: a reminder that falls on a day off is sent on the working day before
   * (`previous-working-day`, the default of a 1.1 file) or kept. Absent in the plans of v1 files,
   * whose reminders keep their days, so that their plans keep their hash.
   */
  remindersOnDayOff?: 'keep' | 'previous-working-day';
}

export interface PlanUnit {
  id: string;
  name: LocalizedText;
  kind: string;
  email?: string;
  /**
   * When e-mail letters reach this unit, resolved from (first set wins) the unit's registry entry,
   * its role in the directive, the directive's `defaults.notify`. Absent when none of them says:
   * the runtime then applies DEFAULT_NOTIFY — left out rather than filled in so that plans of
   * directives that do not use the setting keep their hash.
   */
  notify?: NotifyCadence;
  /**
   * `unit-head`: an officer's submission waits for a unit head of the unit to approve it before it
   * is sent to the instance (service/approval.ts). Present only when the registry says so, so the
   * plans of registries without the option keep their hash; absent means none.
   */
  submissionApproval?: 'unit-head';
  /** Set when the registry entry was replaced by a successor; the plan then uses the successor. */
  succeededFrom?: string[];
  /**
   * Language 1.1, relational recipients (compiler/relations.ts): the unit's parent body (registry
   * `parent`, after succession) when an obligation it is assigned names `assignee.parent`, and the
   * unit standing for its head (registry `head`) when one names `assignee.head` and the registry has
   * one (else its head is reached through the unit itself). Absent otherwise, so plans that use no
   * relation keep their hash.
   */
  parent?: string;
  head?: string;
}

/** A recipient's e-mail rhythm: each letter at once, or gathered into one letter a day or a week. */
export interface NotifyCadence {
  cadence: 'immediate' | 'daily' | 'weekly';
  /** Local time (directive timezone) the daily or weekly letter leaves, `HH:mm`; unused for `immediate`. */
  at: string;
  /** `weekly` only: ISO day of the week, Monday = 1 … Sunday = 7; absent = the first working day of the week. */
  weekday?: number;
}

/** Daily at 08:00 on the working days of the directive's calendar: what a unit gets when nothing is set. */
export const DEFAULT_NOTIFY: Readonly<NotifyCadence> = Object.freeze({ cadence: 'daily', at: '08:00' });

/** Language 1.1: what a due date counts from when it is known only at run time (ObligationBase.relativeDue). */
export type RelativeDue =
  | { from: 'receipt'; plus: IsoDuration }
  /** `clause`: the prerequisite's, for a notice that sees only this obligation ("sau khi hoàn thành nhiệm vụ tại Điều 1.4"). */
  | { from: 'completion'; obligation: string; clause: string; plus: IsoDuration };

export type ObligationKind = 'deadline' | 'recurring' | 'event' | 'ongoing';

interface ObligationBase {
  id: string;
  /** Reference into the source text, numbered as the source numbers it (`1.b`, `1.4`, `2.b.1`). */
  clause: string;
  title: LocalizedText;
  /** Units that must do it (chủ trì), after audience expansion, applicability and succession. Sorted. */
  assignees: string[];
  /** Units that co-operate (phối hợp): informed, not tracked. Sorted. */
  cooperating: string[];
  /**
   * Unit that reviews the evidence (usually the coordinator). In `reviewer`, `cooperating`,
   * `escalation[].to` and `reportTo`, language 1.1 may put a relation of the assignee instead of a
   * unit id (`assignee.parent`, `assignee.head`): each assignee's instance gets the unit it names
   * for that assignee (compiler/relations.ts forAssignee, from `units[assignee].parent|head`).
   */
  reviewer: string;
  evidence: EvidenceRequirement[];
  /** Offsets before due at which the assignee is reminded, longest first. */
  reminders: IsoDuration[];
  /** Steps after due, in order of `after`. */
  escalation: EscalationStep[];
  /** Obligation ids that must be completed first (same assignee). */
  dependsOn: string[];
  /** The encoder's interpretation of the source text, when one was needed. */
  note?: string;
  /**
   * Language 1.1: the text set no time for this duty ("khẩn trương", "định kỳ"), and the encoder
   * chose its due date (deadline), window (event) or period (recurring); `text` quotes the text's
   * own words. Readers show the timing as the encoder's, with these words, never as the text's.
   * Absent when the text gave the timing.
   */
  interpreted?: { text: string };
  /** Language 1.1: this obligation's own rule for a due date on a day off, over the directive's. Absent: the directive's. */
  dueOnDayOff?: 'keep' | 'next-working-day' | 'previous-working-day';
  /**
   * Language 1.1: the due date counts from a moment known only at run time: the unit's receipt of
   * the task (its cycle's opening, when the assignment notice goes out), or the completion of
   * another obligation by the same unit (which is then in `dependsOn`; for a recurring duty, each
   * cycle counts from the next completion). `plus` is the period (`P30D`, `P5WD`). The dates the
   * plan holds for it (`due`/`effectiveDue`, `firstDue`) are what it would be if received on the
   * issue date or if the prerequisite were completed on its own first due date: an expectation the
   * runtime replaces. Absent for dates known when compiling.
   */
  relativeDue?: RelativeDue;
  /**
   * Language 1.1: bodies the result is reported to (e.g. a ministry), told when the evidence is
   * accepted. Sorted; absent when the file has none, so other plans keep their hash.
   */
  reportTo?: string[];
}

export interface DeadlineObligation extends ObligationBase {
  kind: 'deadline';
  /** Due date as the text sets it (before any day-off adjustment). */
  due: IsoDate;
  /** Due date after the calendar policy. Deadlines are end of day in the directive's timezone. */
  effectiveDue: IsoDate;
  /**
   * Set when the file counted the due date from the issue date (`due: { after: P30D }`): the text
   * gave this period, not the date, so readers show the period and never "(văn bản: <date>)" as if
   * the text had printed it. Absent when `due` is written as a date, the text's own; absent rather
   * than empty so that the plans of such directives keep their hash. With `interpreted` (1.1) the
   * period is the encoder's, not the text's.
   */
  dueAfter?: IsoDuration;
}

export interface RecurringObligation extends ObligationBase {
  kind: 'recurring';
  /** At least once per this period. */
  every: IsoDuration;
  /** Start of the first period. */
  anchor: IsoDate;
  /** `completion`: the next period counts from the last completion; `window`: fixed windows from the anchor. */
  periodFrom: 'completion' | 'window';
  /** Due date of the first cycle, after the calendar policy. */
  firstDue: IsoDate;
  /** Last date a cycle may start (directive end), if any. */
  until?: IsoDate;
}

export interface EventObligation extends ObligationBase {
  kind: 'event';
  /** Event type that opens a cycle (e.g. `attack-detected`). */
  event: string;
  eventTitle: LocalizedText;
  /** Due within this duration of the event being reported. */
  within: IsoDuration;
  /**
   * Language 1.1: units that may raise the event (after audiences and roles; sorted). A report by
   * one of them opens every assignee's instance (service/report-event.ts). Absent: an assignee
   * reports its own event and only its own instance opens.
   */
  raisedBy?: string[];
}

export interface OngoingObligation extends ObligationBase {
  kind: 'ongoing';
  /** No date in the text: attested once per this reporting period, in fixed windows from the anchor. */
  attestEvery: IsoDuration;
  anchor: IsoDate;
  firstDue: IsoDate;
}

export type PlanObligation =
  | DeadlineObligation
  | RecurringObligation
  | EventObligation
  | OngoingObligation;

export type EvidenceRequirement =
  | { kind: 'document'; name: string; title: LocalizedText; required: boolean }
  | { kind: 'link'; name: string; title: LocalizedText; required: boolean }
  | {
      kind: 'field';
      name: string;
      title: LocalizedText;
      required: boolean;
      format: 'text' | 'email' | 'phone' | 'date' | 'number' | 'uri';
    }
  | { kind: 'attestation'; name: string; title: LocalizedText; required: boolean };

export interface EscalationStep {
  /** Offset after the due date (`P0D` = at the deadline). */
  after: IsoDuration;
  /** Unit ids to notify (roles already resolved). */
  to: string[];
  /** The role names these came from, for messages. */
  roles: string[];
}
