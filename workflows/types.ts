/**
 * Types shared by workflows, activities, the worker and the client: the runtime's contract.
 * Everything here crosses workflow boundaries, so it is plain JSON (no Map, Date or class).
 *
 * Time: every timestamp is chosen by the workflow (workflow clock) and passed to activities.
 * Activities must never use their own Date.now() for business times: on the time-skipping
 * test server the workflow clock runs months ahead of the wall clock.
 */
import type {
  IsoDate,
  IsoDuration,
  IsoInstant,
  LocalizedText,
  PlanCalendarPolicy,
  PlanObligation,
  PlanUnit,
} from '../compiler/plan.js';

export const TASK_QUEUE = 'chithi';

/** Deterministic workflow id: deploying twice finds the same instance. */
export function instanceWorkflowId(
  directiveId: string,
  obligationId: string,
  unitId: string,
  eventId?: string,
): string {
  const base = `chithi/${directiveId}/${obligationId}/${unitId}`;
  return eventId === undefined ? base : `${base}/${eventId}`;
}

/** What one obligation instance needs of its directive (not the whole plan: histories stay small). */
export interface InstanceDirective {
  id: string;
  number: string;
  title: LocalizedText;
  timezone: string;
  calendar: PlanCalendarPolicy;
  revision: number;
}

/** Input of the `obligationInstance` workflow; also its continue-as-new input. */
export interface InstanceInput {
  directive: InstanceDirective;
  obligation: PlanObligation;
  unit: PlanUnit;
  /** Reviewer and escalation targets, resolved, so notices can name them. */
  contacts: Record<string, PlanUnit>;
  /** For event obligations: the reported event. */
  event?: ReportedEvent;
  /** 1-based cycle number. */
  cycle: number;
  /**
   * Which run of this workflow id: absent for the first. A unit removed from an obligation and later
   * re-added gets a new run under the same id (service/deploy.ts), numbered one past the projection
   * row's, so its notice and audit keys and its projection row are not taken for the old run's.
   * Carried across continue-as-new.
   */
  generation?: number;
  /** When the previous cycle was completed (workflow time), for `periodFrom: completion`. */
  previousCompletedAt?: IsoInstant;
  /** Due date of the previous cycle, for fixed windows. */
  previousDue?: IsoDate;
  /**
   * Business time = workflow time + this offset (0 or absent in production). A rehearsal of a past
   * directive runs on its own dates: the 2022 seeds are tested from 2022-11-28 on a server whose
   * clock starts today. Carried across continue-as-new; every time the workflow reads goes through it.
   */
  clockOffsetMs?: number;
  /**
   * Obligation ids of the same directive that list this one in `dependsOn` (same unit): on
   * completion the instance signals their workflows, so they need not poll the projection.
   */
  dependents?: string[];
  /**
   * Signals that arrived as the previous cycle closed (a submission racing its acceptance), applied
   * in this one. Same shape as the workflow's queued signals: name, payload, arrival (workflow ms).
   */
  carried?: { signal: string; payload: unknown; at: number }[];
  /**
   * Continue as new at the next quiet point of a cycle once the run's history holds this many
   * events (mid-cycle-continue-v1). Temporal's own suggestion (`continueAsNewSuggested`) comes
   * only after thousands of events, so tests set a low one; absent in production. Carried across
   * continue-as-new.
   */
  historyLimit?: number;
  /** The cycle this run resumes, when the previous run continued as new inside it (mid-cycle-continue-v1). */
  resume?: CycleResume;
  /**
   * Language 1.1, a recurring obligation due after another's completion: the completion the
   * previous cycle counted from. This cycle counts from the next one (workflows/relative-due.ts).
   */
  countedFrom?: IsoInstant;
  /**
   * The server has chithi's search attributes registered (service/search-attributes.ts): the
   * instance's first step sets all four, directive, obligation and unit with its status
   * (search-attributes-first-step-v1), where a start that carried the first three cost the
   * server a tenth more per start (workflows/search-attributes.ts). Carried across continue-as-new.
   */
  searchAttributes?: true;
}

/**
 * Everything a cycle holds between two wakes, handed to the next run when one continues as new
 * inside a cycle: taken at a quiet point (journal committed, inbox empty, nothing in flight), so
 * the next run carries on from here without scheduling or opening the cycle again. `seq` too:
 * notice and audit keys are idempotency keys, and counters restarted at 0 would reuse the keys
 * of this cycle's earlier lines (the outbox would drop the notice, the audit refuse the line).
 */
export interface CycleResume {
  state: InstanceState;
  schedule?: CycleSchedule;
  /** Workflow milliseconds, as the running cycle holds them (instance-context.ts, CycleTimers). */
  timers: {
    dueMs: number;
    reminders: { at: number; offset: string }[];
    escalations: { after: string; to: string[]; roles: string[]; at: number }[];
    escalated: string[];
    overdueReminderAt?: number;
  };
  opened: boolean;
  /** Submissions that arrived before the cycle opened, not applied yet. */
  deferred: { signal: string; payload: unknown; at: number }[];
  pendingDependencies: string[];
  completedDependencies: string[];
  extendedDue?: IsoDate;
  /** Language 1.1: the instant the cycle's due date counts from (workflows/relative-due.ts). */
  clockFrom?: IsoInstant;
  firstTracked: boolean;
  seq: Record<string, number>;
}

export interface ReportedEvent {
  id: string;
  type: string;
  reportedBy: string;
  /** When it happened / was detected, as reported. */
  occurredAt: IsoInstant;
  description?: string;
  /**
   * Language 1.1, `event.raisedBy`: the unit that raised it, which may be another than the
   * instance's (an alert of the coordinator opening every district's duty, a district's request
   * opening the coordinator's). Absent when an assignee reports its own event (v1).
   */
  raisedBy?: string;
}

/** The status buckets of the Government Office (Văn phòng Chính phủ) reports, plus lifecycle ends. */
export type InstanceStatus =
  | 'not-yet-due' // chưa đến hạn: cycle not opened yet (waiting for start or dependencies)
  | 'in-progress' // đang thực hiện trong hạn
  | 'awaiting-review' // chờ duyệt
  | 'completed-on-time' // hoàn thành đúng hạn
  | 'completed-late' // hoàn thành quá hạn
  | 'overdue' // quá hạn chưa hoàn thành
  | 'withdrawn'; // thu hồi (obligation, unit or directive withdrawn/superseded)

// ---- signals (names are the wire contract; payloads are plain JSON) ----

export const SIGNAL = {
  submitEvidence: 'submitEvidence',
  review: 'review',
  requestExtension: 'requestExtension',
  decideExtension: 'decideExtension',
  amend: 'amend',
  withdraw: 'withdraw',
  dependencyCompleted: 'dependencyCompleted',
  readd: 'readd',
} as const;

export const QUERY = { state: 'state' } as const;

export interface EvidenceItemRef {
  /** Name of the evidence requirement in the plan. */
  name: string;
  kind: 'document' | 'link' | 'field' | 'attestation';
  /** Field value, link URL, or document file name. */
  value: string;
  /** For documents: sha256 of the content stored in PostgreSQL. */
  sha256?: string;
}

export interface SubmitEvidenceSignal {
  /** Id of the submission row the client already stored (evidence lives in PostgreSQL, not in history). */
  submissionId: string;
  items: EvidenceItemRef[];
  note?: string;
  submittedBy: string;
}

export interface ReviewSignal {
  submissionId: string;
  decision: 'accept' | 'reject';
  comment?: string;
  reviewer: string;
  /** Id of the stored decision (the CLI's `--id`), for the audit trail. */
  reviewId?: string;
}

export interface RequestExtensionSignal {
  requestId: string;
  /** Requested new due date. */
  until: IsoDate;
  reason: string;
  requestedBy: string;
  /** The cycle it is asked for: the workflow ignores (and audits) a request for another one. */
  cycle?: number;
}

export interface DecideExtensionSignal {
  requestId: string;
  approve: boolean;
  /** The coordinator may grant a different date than requested. */
  until?: IsoDate;
  comment?: string;
  decidedBy: string;
  /** The cycle of the request decided: the workflow ignores (and audits) a decision for another one. */
  cycle?: number;
  /** Id of the stored decision (the CLI's `--id`), for the audit trail. */
  decisionId?: string;
}

export interface AmendSignal {
  directive: InstanceDirective;
  obligation: PlanObligation;
  contacts: Record<string, PlanUnit>;
  /** Dependents after the amendment; omitted = unchanged. */
  dependents?: string[];
}

export interface WithdrawSignal {
  reason: 'obligation-removed' | 'unit-removed' | 'directive-withdrawn' | 'directive-superseded';
  supersededBy?: string;
  by: string;
}

/**
 * The unit is assigned again (service/deploy.ts) while this run still holds a withdrawal it has not
 * processed (no worker ran between the two deploys): once withdrawn, the run continues as `input`,
 * the next generation. A run that was not asked to withdraw ignores it: it is already the one meant.
 */
export interface ReaddSignal {
  input: InstanceInput;
  by: string;
}

export interface DependencyCompletedSignal {
  obligationId: string;
}

// ---- query ----

export interface InstanceState {
  workflowId: string;
  directiveId: string;
  obligationId: string;
  unitId: string;
  eventId?: string;
  cycle: number;
  status: InstanceStatus;
  /** Current due date, after approved extensions. */
  due?: IsoDate;
  /** Due date before any extension. */
  originalDue?: IsoDate;
  dueAt?: IsoInstant;
  submissions: { submissionId: string; at: IsoInstant; decision?: 'accept' | 'reject'; comment?: string }[];
  extensions: { requestId: string; until: IsoDate; approved?: boolean; decidedAt?: IsoInstant }[];
  remindersSent: number;
  escalationsSent: number;
  completedAt?: IsoInstant;
}

// ---- activities ----

/**
 * Error types (the activities' `ChithiError` class names) no retry can fix: bad input, an unknown
 * id. The worker also marks any `permanent` ChithiError non-retryable; this list covers workers
 * without that interceptor, so a bad plan surfaces at once instead of retrying for hours.
 */
export const NON_RETRYABLE_ACTIVITY_ERRORS = ['InvalidRequestError', 'NotFoundError', 'EvidenceTooLargeError', 'AuditConflictError'] as const;
export type NonRetryableActivityError = (typeof NON_RETRYABLE_ACTIVITY_ERRORS)[number];

export interface ScheduleRequest {
  directive: InstanceDirective;
  obligation: PlanObligation;
  cycle: number;
  /** Workflow time now. */
  now: IsoInstant;
  previousCompletedAt?: IsoInstant;
  previousDue?: IsoDate;
  event?: ReportedEvent;
  /** An approved extension: the cycle's new due date. */
  extendedDue?: IsoDate;
  /** Original (unextended) due date of this cycle, when recomputing after an amendment or extension. */
  cycleDue?: IsoDate;
  /**
   * Fixed windows only: skip to the first cycle (from `cycle` on) whose due instant is at or after
   * this one. A directive deployed years after it was signed does not track windows that closed
   * before anyone was told of them.
   */
  firstDueOnOrAfter?: IsoInstant;
  /**
   * Language 1.1, an obligation with `relativeDue`: the instant its due date counts from, the unit's
   * receipt of the task or the prerequisite's completion (workflows/relative-due.ts). The cycle
   * opens then. Absent otherwise.
   */
  clockFrom?: IsoInstant;
  /**
   * Language 1.1: reminders counted in days that fall on a day off are sent on the working day
   * before. Set by the workflow from the directive's `remindersOnDayOff` (reminders-on-working-days-v1).
   */
  remindersOnDayOff?: 'previous-working-day';
}

export interface CycleSchedule {
  /** Date the cycle opens (for `not-yet-due` → `in-progress`). */
  opensAt: IsoInstant;
  /** Due date after the calendar policy. */
  due: IsoDate;
  /** End of the due day in the directive's timezone. */
  dueAt: IsoInstant;
  /** Reminder instants, ascending; ones already past `now` are dropped. */
  reminders: { at: IsoInstant; offset: IsoDuration }[];
  /** Escalation instants, ascending. */
  escalations: { at: IsoInstant; after: IsoDuration; to: string[]; roles: string[] }[];
  /** No further cycle starts after this (recurring `until`), if set. */
  last: boolean;
  /** The cycle these dates are for, when the request skipped windows (`firstDueOnOrAfter`). */
  cycle?: number;
}

export type NotificationKind =
  | 'opened'
  | 'reminder'
  | 'overdue'
  | 'escalation'
  | 'submitted'
  | 'accepted'
  | 'rejected'
  | 'extension-requested'
  | 'extension-decided'
  | 'amended'
  | 'withdrawn';

export interface NotificationRequest {
  /** Idempotency key: the same key is delivered once, however often the activity is retried. */
  key: string;
  kind: NotificationKind;
  /** Recipient unit ids. */
  to: string[];
  directive: InstanceDirective;
  obligation: PlanObligation;
  unit: PlanUnit;
  /** Recipients' and reviewer's unit records, for addresses and names. */
  contacts: Record<string, PlanUnit>;
  cycle: number;
  due?: IsoDate;
  /** Workflow time of the notice. */
  at: IsoInstant;
  /** Free detail: reviewer's comment, extension date, escalation role, event description. */
  detail?: Record<string, string>;
}

export interface StatusUpdate {
  workflowId: string;
  directiveId: string;
  obligationId: string;
  unitId: string;
  eventId?: string;
  /** InstanceInput.generation: a later run's row replaces an earlier run's whatever their cycles. Absent: 1. */
  generation?: number;
  cycle: number;
  status: InstanceStatus;
  due?: IsoDate;
  originalDue?: IsoDate;
  completedAt?: IsoInstant;
  /** Workflow time of the change. */
  at: IsoInstant;
}

export interface AuditEvent {
  /** Idempotency key (retries append once). */
  key: string;
  workflowId: string;
  directiveId: string;
  obligationId?: string;
  unitId?: string;
  actor: string;
  action: string;
  at: IsoInstant;
  detail?: Record<string, unknown>;
}

/**
 * What one wake of an instance changed: its projection row, audit lines and notices, committed in
 * one transaction. The notices are delivered after the commit by the worker's dispatcher.
 */
export interface StepRecord {
  workflowId: string;
  /** The instance's virtual epoch (InstanceInput.clockOffsetMs): the postbox runs on the same business clock. */
  clockOffsetMs?: number;
  /** The status as the step left it (intermediate ones within the step are not worth a row). */
  status?: StatusUpdate;
  audits: AuditEvent[];
  notices: NotificationRequest[];
}

// ---- letters (the postbox workflow, one per directive and recipient) ----

/**
 * Combines each recipient's held e-mails into letters at the letter times recordStep announces
 * (activities/notify/letters.ts says which notices are held and until when). One per directive:
 * recipients share letter times (everyone's daily letter is at 08:00), so it wakes once per time.
 */
export const POSTBOX_WORKFLOW = 'postbox';

export function postboxWorkflowId(directiveId: string): string {
  return `chithi-postbox/${directiveId}`;
}

export interface PostboxInput {
  directiveId: string;
  clockOffsetMs?: number;
  /** Letter times not yet composed, carried across continue-as-new. */
  slots?: IsoInstant[];
  /** Compositions so far (letter keys), carried across continue-as-new. */
  seq?: number;
}

export const LETTER_DUE_SIGNAL = 'letterDue';

export interface LetterDueSignal {
  /** Business time the letter is due. */
  slot: IsoInstant;
}

export interface ComposeLetterRequest {
  workflowId: string;
  directiveId: string;
  /** Every held e-mail due at or before this business time goes in its recipient's letter. */
  upTo: IsoInstant;
  /** The postbox's count of compositions: two letters at the same time get different keys. */
  seq: number;
}

export interface ComposeLetterResult {
  /** Letters written (none: nothing new to say, or composed already). */
  composed: number;
  /** The next letter time still waiting (the same one when recipients remain), if any. */
  next?: IsoInstant;
}

export interface SignalReceivedRequest {
  workflowId: string;
  runId: string;
  /** Signal name (SIGNAL.*). */
  signal: string;
  /** The payload field that identifies the signal, and its value (`submissionId`, the id). */
  key: string;
  value: string;
}

/**
 * Reads of the workflow's own history, through the worker's Temporal client (no database): the
 * worker registers them itself (worker/index.ts), whatever activities it is given.
 */
export interface HistoryActivities {
  /** When the server received the signal (server time, without the clock offset), if the run has it. */
  signalReceivedAt(req: SignalReceivedRequest): Promise<IsoInstant | undefined>;
}

/** The activity surface workflows call (`proxyActivities<RuntimeActivities>`). */
export interface RuntimeActivities {
  scheduleCycle(req: ScheduleRequest): Promise<CycleSchedule>;
  recordStep(step: StepRecord): Promise<void>;
  /** Writes one letter from a recipient's held e-mails (the postbox workflow). */
  composeLetter(req: ComposeLetterRequest): Promise<ComposeLetterResult>;
  /** Histories from before `recordStep`: one notice, delivered inside the activity. */
  notify(req: NotificationRequest): Promise<void>;
  recordStatus(update: StatusUpdate): Promise<void>;
  recordAudit(event: AuditEvent): Promise<void>;
  /** Ids of the given obligations that this unit has completed at least once (from the projection). */
  completedObligations(req: { directiveId: string; unitId: string; obligationIds: string[] }): Promise<string[]>;
  /** Language 1.1: when a prerequisite instance was completed (workflows/relative-due.ts), from the audit trail. */
  prerequisiteCompletion(req: PrerequisiteCompletionRequest): Promise<IsoInstant | undefined>;
}

export interface PrerequisiteCompletionRequest {
  directiveId: string;
  /** The prerequisite's instance (same unit). */
  workflowId: string;
  /** The earliest completion after this instant; without it, the latest completion. */
  after?: IsoInstant;
}
