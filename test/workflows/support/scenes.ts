import { SIGNAL } from '../../../workflows/types.js';
import { hanoi3968, instanceInput, units, type Hanoi3968 } from './fixtures.js';
import { nextDeploymentYear, type Harness } from './harness.js';

/** A report of the six-monthly scan, as the finance department submits it. */
export const SCAN_REPORT = [{ name: 'report', kind: 'document', value: 'bao-cao.pdf' }];

/**
 * The finance department's vulnerability scan (a recurring duty) deployed, opened, and its first
 * report ("s-1") waiting for the coordinator: where the tests of signals racing the end of a
 * cycle begin.
 */
export async function scanAwaitingReview(h: Harness): Promise<{ d: Hanoi3968; id: string }> {
  const d = hanoi3968(await nextDeploymentYear(h));
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, d.vulnerabilityScan, units.finance));
  await h.until(id, (s) => s.status === 'in-progress', 'open');
  await h.signal(id, SIGNAL.submitEvidence, { submissionId: 's-1', items: SCAN_REPORT, submittedBy: 'so-tai-chinh' });
  await h.until(id, (s) => s.status === 'awaiting-review', 'awaiting review');
  return { d, id };
}
