/**
 * Every committed history (test/histories/*.json, recorded by the workflow tests with
 * RECORD_HISTORIES=1) must replay against the current workflow code. A change that would break
 * running instances fails here; guard it with patched() and keep the old branch.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, expect, test } from 'vitest';
import { bundleWorkflows } from '../worker/index.js';
import { HISTORIES_DIR } from './workflows/support/harness.js';

const files = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  bundle = await bundleWorkflows();
});

/**
 * Every history that must be committed, by name: deleting one (or failing to record it again after
 * a rename) fails here instead of silently replaying one history fewer. A new recording is added
 * to this list in the same commit; files not listed are replayed too.
 */
const EXPECTED = [
  // Current code, recorded with RECORD_HISTORIES=1 by test/workflows.
  'deadline-on-time.json',
  'deadline-escalated.json',
  'deadline-long-overdue.json',
  'deadline-worker-restart.json',
  'dependent-overdue-while-blocked.json',
  'event-escalated.json',
  'recurring-scan.json',
  'catch-up-late-deployment.json',
  'catch-up-windows-before-deployment.json',
  'postbox-digest.json',
  // Issue 8 item 2: extension requests and decisions for another cycle ignored, repeats audited
  // (cycle-scoped-actions-v1); item 3: a submission sent while no worker ran judged by its receipt (received-at-v1).
  'extension-other-cycle.json',
  'received-while-worker-down.json',
  // The signal branches: review rejection, extension approved and rejected, amendment, withdrawal,
  // malformed signals rejected, an extension to a past date refused.
  'deadline-review-rejected.json',
  'deadline-extension-approved.json',
  'deadline-extension-rejected.json',
  'deadline-amended.json',
  'deadline-withdrawn.json',
  'hardening-malformed-signals.json',
  'hardening-extension-refused.json',
  // A unit's second run under the same id (run-generation-v1); an older amendment ignored (amend-revision-order-v1).
  'generation-second-run.json',
  'amend-older-revision-ignored.json',
  // Re-added while the withdrawal waited unprocessed (readd-after-withdrawal-v1): withdrawn, then the next generation.
  'readd-after-withdrawal-run1.json',
  'readd-after-withdrawal-run2.json',
  // Continued as new inside a cycle (mid-cycle-continue-v1, a test limit of 1: after every wake),
  // each run resumed from the one before: overdue, escalated, rejected, resubmitted, accepted.
  'mid-cycle-continued-run1.json',
  'mid-cycle-continued-run2.json',
  'mid-cycle-continued-run3.json',
  'mid-cycle-continued-run4.json',
  'mid-cycle-continued-run5.json',
  'mid-cycle-continued-run6.json',
  // An ongoing duty, one file per run (continue-as-new): attested, handed over, the third window.
  'ongoing-attest-then-handed-over-run1.json',
  'ongoing-attest-then-handed-over-run2.json',
  'ongoing-attest-then-handed-over-run3.json',
  // Started with chithi's search attributes on the dev server: ChithiStatus upserted (search-attributes-v1).
  'search-attributes-overdue.json',
  // Started unnamed, named by its first step with its status (search-attributes-first-step-v1).
  'search-attributes-first-step.json',
  // Language 1.1 recipients (recipients-v1): a raised event's duty escalated to the unit's own head,
  // then its parent; a duty raised by another unit completed, told to the body reported to and the raiser.
  'recipients-escalated-to-head-and-parent.json',
  'recipients-completion-reported.json',
  // Language 1.1 timing (issue 11): due after the receipt and after a prerequisite's completion,
  // per cycle for a recurring duty (relative-due-v1); a reminder moved off a Sunday (reminders-on-working-days-v1).
  'relative-due-receipt.json',
  'relative-due-after-completion.json',
  'relative-due-per-cycle-run1.json',
  'relative-due-per-cycle-run2.json',
  'reminder-moved-off-day-off.json',
  // Before wake-timer-v1 (a wait was condition(fn, timeout): a cancellation scope and a cancelled timer per wake).
  'pre-wake-timer-deadline-on-time.json',
  'pre-wake-timer-deadline-escalated.json',
  'pre-wake-timer-deadline-review-rejected.json',
  'pre-wake-timer-deadline-extension-approved.json',
  'pre-wake-timer-deadline-amended.json',
  'pre-wake-timer-deadline-withdrawn.json',
  'pre-wake-timer-recurring-scan.json',
  'pre-wake-timer-event-escalated.json',
  'pre-wake-timer-dependent-overdue-while-blocked.json',
  'pre-wake-timer-received-while-worker-down.json',
  'pre-wake-timer-mid-cycle-continued-run1.json',
  'pre-wake-timer-mid-cycle-continued-run2.json',
  'pre-wake-timer-relative-due-receipt.json',
  'pre-wake-timer-ongoing-attest-then-handed-over-run1.json',
  // Before catch-up-v1 (patches.ts).
  'pre-catch-up-deadline-escalated.json',
  'pre-catch-up-deadline-long-overdue.json',
  'pre-catch-up-deadline-on-time.json',
  'pre-catch-up-deadline-worker-restart.json',
  'pre-catch-up-dependent-overdue-while-blocked.json',
  'pre-catch-up-event-escalated.json',
  'pre-catch-up-recurring-scan.json',
  // Before step-journal-v1 (one activity per record, the notify activity).
  'pre-journal-deadline-escalated.json',
  'pre-journal-deadline-long-overdue.json',
  'pre-journal-deadline-on-time.json',
  'pre-journal-deadline-worker-restart.json',
  'pre-journal-dependent-overdue-while-blocked.json',
  'pre-journal-event-escalated.json',
  'pre-journal-recurring-scan.json',
  // Before local-records-v1 (projection rows and audit lines as ordinary activities).
  'pre-local-records-deadline-escalated.json',
  'pre-local-records-deadline-on-time.json',
  'pre-local-records-deadline-worker-restart.json',
  'pre-local-records-event-escalated.json',
  'pre-local-records-recurring-scan.json',
];

test('every expected history is committed', () => {
  expect(EXPECTED.filter((f) => !files.includes(f))).toEqual([]);
  expect(new Set(EXPECTED).size).toBe(EXPECTED.length);
});

test('every recorded history replays without nondeterminism', async () => {
  const histories = files.map((f) => ({
    workflowId: f.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(`${HISTORIES_DIR}/${f}`, 'utf8'))),
  }));
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
});
