import { deprecatePatch, patched } from '@temporalio/workflow';

/**
 * Every change to workflow code that running instances must see only from now on, in one place
 * (like the SDK's own packages/workflow/src/flags.ts): why, since when, and when the old branch
 * can go. Recorded histories of the old branches live in test/histories/ and are replayed by
 * test/replay.test.ts. To retire a patch: once no instance started before `since` can still be
 * running (the directive's `until`, or every instance closed), switch its call to `deprecatePatch`
 * for one release, then delete the old branch and the entry.
 */
export interface WorkflowPatch {
  id: string;
  why: string;
  /** Commit date of the change. */
  since: string;
  /** When the old branch may be removed. */
  retire: string;
}

function define<const K extends string>(patches: Record<K, Omit<WorkflowPatch, 'id'>>): Record<K, WorkflowPatch> {
  return Object.fromEntries(Object.entries<Omit<WorkflowPatch, 'id'>>(patches).map(([id, p]) => [id, { id, ...p }])) as Record<K, WorkflowPatch>;
}

export const PATCHES = define({
  'local-records-v1': {
    why: 'projection rows and audit lines as local activities: half of all activity traffic ran through the server',
    since: '2026-11 (session 3)',
    retire: 'when no instance started before it runs (replaced by step-journal-v1 anyway)',
  },
  'step-journal-v1': {
    why: "one transaction per step (recordStep): status, audit lines and notices together; notices sent by the worker's outbox dispatcher",
    since: '2026-11 (session 5)',
    retire: 'when no instance started before it runs',
  },
  'overdue-while-blocked-v1': {
    why: 'a cycle waiting for a prerequisite is reported overdue once its own due date passes',
    since: '2026-11 (session 4)',
    retire: 'when no instance started before it runs',
  },
  'overdue-reminder-taper-v1': {
    why: 'after four weekly reminders an overdue unit is reminded every four weeks: its superiors know',
    since: '2026-11 (session 4)',
    retire: 'when no instance started before it runs',
  },
  'catch-up-v1': {
    why: 'a wake that finds several notice times passed sends only what is true now: no "due soon" after the due date, one overdue notice, the current escalation step only; windows closed before deployment are not tracked',
    since: '2026-11-25 (issue 7)',
    retire: 'when no instance started before 2026-11-25 runs',
  },
  'signal-validation-v1': {
    why: 'a malformed signal (a bad date sent straight to Temporal) made the schedule activity retry for ever and the instance stuck; payloads are checked and bad ones rejected and audited; an extension to a date not after the due date in force is refused; schedule errors on a decision leave the schedule as it was',
    since: '2026-11-25 (issue 8)',
    retire: 'when no instance started before 2026-11-25 runs',
  },
  'late-signals-carried-v1': {
    why: 'signals that arrived while a recurring cycle was being closed (a submission racing the acceptance, anything during the final write) were only audited as ignored; they are carried into the next cycle',
    since: '2026-11-25 (issue 8)',
    retire: 'when no instance started before 2026-11-25 runs',
  },
  'run-generation-v1': {
    why: "a unit removed and re-added runs again under the same workflow id; its notice and audit keys collided with the old run's (silently dropped) and its projection row lost to the old run's higher cycle. A later run (InstanceInput.generation) puts `g<n>` in its keys and its generation in the projection",
    since: '2026-11-25 (issue 8)',
    retire: 'when no instance started before 2026-11-25 runs (only runs with a generation take the new branch)',
  },
  'amend-revision-order-v1': {
    why: 'an amendment of an older revision than the instance runs (two deploys interleaved, a signal sent by hand) rolled it back; it is ignored and audited as amend-ignored-older-revision',
    since: '2026-11-25 (issue 8)',
    retire: 'when no instance started before 2026-11-25 runs',
  },
  'cycle-scoped-actions-v1': {
    why: "an extension request or decision meant for another cycle (a request carried over as its cycle closed, a decision the CLI picked from a lapsed cycle) was applied to the running one; signals now name their cycle and one for another cycle is ignored and audited. A decision or review sent again (the CLI's retry of a lost signal) is audited as a repeat, not as ignored",
    since: '2026-11-25 (issue 8)',
    retire: 'when no instance started before 2026-11-25 runs',
  },
  'readd-after-withdrawal-v1': {
    why: "a unit withdrawn by a deploy and re-added by the next while its run had not processed the withdrawal (no worker between the deploys) was counted unchanged, then the run withdrew and ended: no instance left. The deploy now signals `readd` with the next generation's input, and the run, once withdrawn, continues as it",
    since: '2026-11-25 (issue 8)',
    retire: 'when no instance started before 2026-11-25 runs (only runs that receive a readd signal take the new branch)',
  },
  'received-at-v1': {
    why: "on time was judged when a worker took the submission up: evidence sent before the due date while no worker ran counted as late. A submission taken up after the due date is judged by when the Temporal server received its signal (the event's time in history, on the workflow's own clock)",
    since: '2026-11-25 (issue 8)',
    retire: 'when no instance started before 2026-11-25 runs',
  },
  'mid-cycle-continue-v1': {
    why: "a run continued as new only between cycles, and one cycle's history grew without bound (an ongoing duty overdue for years, many resubmissions, extension requests); at a quiet point inside a cycle a run now continues as new when Temporal suggests it (or at InstanceInput.historyLimit, for tests), handing the next run the cycle as it stands (InstanceInput.resume)",
    since: '2026-11-25 (issue 8)',
    retire: 'when no instance started before 2026-11-25 runs (only runs that reached the suggestion or a limit take the new branch)',
  },
  'search-attributes-v1': {
    why: "operators filter instances in the Temporal UI by directive, obligation, unit and status (search-attributes.ts); a run started with chithi's search attributes (the server has them registered) upserts ChithiStatus as its status changes",
    since: '2026-11-26 (issue 12)',
    retire: 'when no instance started before 2026-11-26 runs (runs started without the attributes never take the new branch)',
  },
  'search-attributes-first-step-v1': {
    why: "a deploy starts instances without search attributes (they cost the server a tenth more per start: deploys at 0.83–0.97x of bare starts in four runs); an instance whose input says the server has them (InstanceInput.searchAttributes) sets directive, obligation and unit with its first status. Asked only by such instances, so earlier runs record no marker",
    since: '2026-11-26 (issue 12)',
    retire: 'never by date: the branch is the only one new instances take; the patch keeps a new worker from naming an instance an older worker already ran unnamed',
  },
  'reminders-on-working-days-v1': {
    why: "language 1.1: a reminder counted in days that falls on a Sunday or a public holiday is sent on the working day before (the directive's remindersOnDayOff, set by 1.1 files); the workflow asks the scheduler for it (ScheduleRequest.remindersOnDayOff). Asked only for directives whose plan has the setting, so v1 instances record no marker and keep their reminder days",
    since: '2026-11-26 (issue 11)',
    retire: 'when no instance of a 1.1 directive started before 2026-11-26 runs (none did: the old branch is never taken by a history that exists)',
  },
  'relative-due-v1': {
    why: "language 1.1: an obligation due a period after the unit's receipt of the task (`afterReceipt`) or after another obligation's completion (`after: { obligation, plus }`, per cycle for a recurring one) has no due date until that moment: its cycle is scheduled when the receipt (the cycle's opening) or the prerequisite's completion (audit trail, dependencyCompleted signal) is known, from that instant (ScheduleRequest.clockFrom). Asked only for obligations with relativeDue, so other instances record no marker",
    since: '2026-11-26 (issue 11)',
    retire: 'when no instance of a 1.1 directive started before 2026-11-26 runs (without the patch such an obligation ran on the expected date the plan holds)',
  },
  'recipients-v1': {
    why: "language 1.1 recipients (compiler/relations.ts, workflows/recipients.ts): the accepted notice also reaches the bodies the result is reported to (`reportTo`) and the unit that raised the event opening the duty (`event.raisedBy`), the opened notice names that unit, and an amendment keeps its contact",
    since: '2026-11-26 (issue 11)',
    retire: 'when no instance started before 2026-11-26 runs (runs whose obligation has no reportTo and whose event has no raiser never take the new branch)',
  },
  'wake-timer-v1': {
    why: "a wait was `condition(fn, timeout)`: a cancellation scope, a race and a cancelled timer for every wake, 22 of its 39 promises, each with a source-mapped stack trace in the SDK's sandbox. The cycle now starts one timer per wake instant, never cancels it, and waits on `condition(fn)` (wake.ts); a timer a signal made stale fires into a task that does nothing",
    since: '2026-11-26 (issue 12)',
    retire: 'when no instance started before 2026-11-26 runs',
  },
});

export type PatchId = keyof typeof PATCHES;

/** `patched()` by registry id: a typo is a type error, not a silently new patch. */
export function isPatched(id: PatchId): boolean {
  return patched(PATCHES[id].id);
}

export function retirePatch(id: PatchId): void {
  deprecatePatch(PATCHES[id].id);
}
