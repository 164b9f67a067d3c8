/**
 * Issue 8, item 3: "on time" is judged by when the system received the evidence, not by when a
 * worker got round to it. A submission sent before the due date while no worker runs, taken up
 * after it, is on time. Failed on the code before the change (completed-late).
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { SIGNAL, type InstanceState } from '../../workflows/types.js';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { testBackend } from './support/test-backend.js';
import { advanceTo, byKind, hanoi } from './support/timeline.js';

let h: Harness;
beforeAll(async () => {
  // No sticky cache: the worker is stopped and started again (see HarnessOptions).
  h = await startHarness('received-at', await testBackend(), { maxCachedWorkflows: 0 });
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

const result = (id: string): Promise<InstanceState> => h.env.client.workflow.getHandle(id).result();

/** Real seconds: while a workflow task waits for a worker the test server's clock runs at wall speed. */
const MARGIN_MS = 8_000;

test('evidence sent before the due date while no worker runs is on time, though the worker takes it up after', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, d.contactPoint, units.health));
  await h.until(id, (s) => s.status === 'in-progress', 'the cycle to open');
  const dueEnd = Date.parse(hanoi(y, '12-01T00:00'));
  await advanceTo(h, id, dueEnd - MARGIN_MS);

  await h.stopWorker();
  expect(await h.nowMs()).toBeLessThan(dueEnd);
  await h.signal(id, SIGNAL.submitEvidence, {
    submissionId: 'sub-1',
    items: [{ name: 'officer', kind: 'field', value: 'Nguyễn Văn A' }],
    submittedBy: 'so-y-te',
  });
  // The signal's workflow task holds the test server's clock from skipping; it runs on in real time.
  while ((await h.nowMs()) <= dueEnd + 1_000) await new Promise((r) => setTimeout(r, 250));
  await h.startWorker();

  const taken = await h.until(id, (s) => s.status === 'awaiting-review', 'the submission');
  expect(Date.parse(taken.submissions[0]!.at)).toBeLessThanOrEqual(dueEnd);
  // Awaiting review holds the unit's clock: no overdue notice, no escalation.
  expect(byKind(await h.notices(id)).escalation).toBeUndefined();
  await h.signal(id, SIGNAL.review, { submissionId: 'sub-1', decision: 'accept', reviewer: units.coordinator.id });
  const final = await result(id);
  expect(final.status).toBe('completed-on-time');
  await h.recordHistory(id, 'received-while-worker-down');
});

test('evidence the worker takes up late because it was sent late is still late', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, d.contactPoint, units.education));
  await h.until(id, (s) => s.status === 'in-progress', 'the cycle to open');
  await advanceTo(h, id, hanoi(y, '12-02T09:00'));
  await h.signal(id, SIGNAL.submitEvidence, {
    submissionId: 'sub-1',
    items: [{ name: 'officer', kind: 'field', value: 'Nguyễn Văn B' }],
    submittedBy: 'so-gddt',
  });
  await h.until(id, (s) => s.status === 'awaiting-review', 'the submission');
  await h.signal(id, SIGNAL.review, { submissionId: 'sub-1', decision: 'accept', reviewer: units.coordinator.id });
  expect((await result(id)).status).toBe('completed-late');
});
