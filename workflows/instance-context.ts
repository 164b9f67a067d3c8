import type {
  AmendSignal,
  CycleResume,
  CycleSchedule,
  DecideExtensionSignal,
  DependencyCompletedSignal,
  InstanceInput,
  InstanceState,
  ReaddSignal,
  RequestExtensionSignal,
  StepRecord,
  ReviewSignal,
  SubmitEvidenceSignal,
  WithdrawSignal,
} from './types.js';
import type { EscalationStep } from '../compiler/plan.js';
import { setClockOffset } from './clock.js';
import { emptyJournal } from './journal.js';
import { isPatched } from './patches.js';
import type { WakeTimer } from './wake.js';

/** A signal as received, with the workflow time it arrived (the time that counts, e.g. for on-time). */
export type InboxItem =
  | { signal: 'submitEvidence'; payload: SubmitEvidenceSignal; at: number }
  | { signal: 'review'; payload: ReviewSignal; at: number }
  | { signal: 'requestExtension'; payload: RequestExtensionSignal; at: number }
  | { signal: 'decideExtension'; payload: DecideExtensionSignal; at: number }
  | { signal: 'amend'; payload: AmendSignal; at: number }
  | { signal: 'withdraw'; payload: WithdrawSignal; at: number }
  | { signal: 'dependencyCompleted'; payload: DependencyCompletedSignal; at: number };

export interface PendingReminder {
  at: number;
  offset: string;
}

export interface PendingEscalation extends EscalationStep {
  at: number;
}

/** The timers of the running cycle, in workflow milliseconds. */
export interface CycleTimers {
  dueMs: number;
  /** Reminders before due not yet sent. */
  reminders: PendingReminder[];
  /** Escalation steps not yet walked for the current due date. */
  escalations: PendingEscalation[];
  /** `after` of the steps already walked for the current due date (an amendment must not repeat them). */
  escalated: string[];
  /** Next weekly reminder to an overdue unit. */
  overdueReminderAt?: number;
}

/** Everything one run of `obligationInstance` holds; signal handlers only append to `inbox`. */
export interface Instance {
  readonly workflowId: string;
  /** Directive, obligation and contacts as last amended; becomes the continue-as-new input. */
  input: InstanceInput;
  state: InstanceState;
  schedule?: CycleSchedule;
  timers: CycleTimers;
  opened: boolean;
  inbox: InboxItem[];
  /** Submissions that arrived before the cycle opened, replayed when it opens. */
  deferred: InboxItem[];
  pendingDependencies: string[];
  completedDependencies: string[];
  /** An approved extension in force for this cycle. */
  extendedDue?: string;
  /** Language 1.1: the instant this cycle's due date counts from, once known (relative-due.ts). */
  clockFrom?: string;
  /** Per-cycle counters behind the deterministic notice and audit keys. */
  seq: Record<string, number>;
  /** Records of the running step, not yet committed (journal.ts). */
  journal: StepRecord;
  /** This run's cycle is the first the instance tracks (the deployment gave the task). */
  firstTracked: boolean;
  /** Signals that raced the end of this cycle, for the next one (InstanceInput.carried). */
  carried: InboxItem[];
  /** A withdrawal signal has arrived (processed or still queued). */
  withdrawReceived: boolean;
  /** The unit re-added after the withdrawal arrived: the next generation to continue as (readd-after-withdrawal-v1). */
  readd?: ReaddSignal;
  /** Signals that arrived after `readd`, carried into the next generation. */
  afterReadd: InboxItem[];
  /** This run took the cycle over from the previous run (InstanceInput.resume): it is scheduled and, if opened, open. */
  resumed: boolean;
  /** This run has waited at least once: only then may it continue as new mid-cycle (mid-cycle.ts). */
  waited: boolean;
  /** The timer of the latest wake the cycle waited for (wake-timer-v1, wake.ts); it may have fired. */
  wakeTimer?: WakeTimer;
}

export function createInstance(workflowId: string, runInput: InstanceInput): Instance {
  // Not kept in `input`, which becomes the next run's: that run is handed its own resume.
  const { resume, ...input } = runInput;
  setClockOffset(input.clockOffsetMs ?? 0);
  const inst: Instance = {
    workflowId,
    input,
    state: {
      workflowId,
      directiveId: input.directive.id,
      obligationId: input.obligation.id,
      unitId: input.unit.id,
      ...(input.event ? { eventId: input.event.id } : {}),
      cycle: input.cycle,
      status: 'not-yet-due',
      submissions: [],
      extensions: [],
      remindersSent: 0,
      escalationsSent: 0,
    },
    timers: { dueMs: Number.POSITIVE_INFINITY, reminders: [], escalations: [], escalated: [] },
    opened: false,
    // Signals carried from the previous cycle come first, in their order of arrival (checked
    // again as they are applied, like any signal: validate.ts).
    inbox: [...((input.carried ?? []) as InboxItem[])],
    deferred: [],
    pendingDependencies: [],
    completedDependencies: [],
    seq: {},
    journal: emptyJournal(workflowId),
    firstTracked: input.cycle === 1 && input.previousDue === undefined && input.previousCompletedAt === undefined,
    carried: [],
    withdrawReceived: false,
    afterReadd: [],
    resumed: false,
    waited: false,
  };
  // Written only by a run that took mid-cycle-continue-v1's branch, so no patch check here.
  if (resume !== undefined) resumeCycle(inst, resume);
  return inst;
}

/** Takes over the cycle the previous run continued as new inside (InstanceInput.resume). */
function resumeCycle(inst: Instance, r: CycleResume): void {
  inst.state = r.state;
  if (r.schedule !== undefined) inst.schedule = r.schedule;
  inst.timers = r.timers;
  inst.opened = r.opened;
  inst.deferred = r.deferred as InboxItem[];
  inst.pendingDependencies = r.pendingDependencies;
  inst.completedDependencies = r.completedDependencies;
  if (r.extendedDue !== undefined) inst.extendedDue = r.extendedDue;
  if (r.clockFrom !== undefined) inst.clockFrom = r.clockFrom;
  inst.firstTracked = r.firstTracked;
  inst.seq = r.seq;
  inst.resumed = true;
}

export function nextSeq(inst: Instance, counter: string): number {
  const n = inst.seq[counter] ?? 0;
  inst.seq[counter] = n + 1;
  return n;
}

/**
 * The run's generation when it is not the first (InstanceInput.generation): it then goes into the
 * notice and audit keys and the projection row. The first run keeps the keys it always had.
 */
export function laterGeneration(inst: Instance): number | undefined {
  const g = inst.input.generation;
  return g !== undefined && g > 1 && isPatched('run-generation-v1') ? g : undefined;
}

/** `${workflowId}:${cycle}`, or `${workflowId}:g${generation}:${cycle}` for a later run: the start of its keys. */
export function keyPrefix(inst: Instance): string {
  const g = laterGeneration(inst);
  return g === undefined ? `${inst.workflowId}:${inst.state.cycle}` : `${inst.workflowId}:g${g}:${inst.state.cycle}`;
}

/** Fixed-window duties hand an unfinished cycle over to the next window (see cycle.ts). */
export function isWindowed(inst: Instance): boolean {
  const o = inst.input.obligation;
  return o.kind === 'ongoing' || (o.kind === 'recurring' && o.periodFrom === 'window');
}
