import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { SIGNAL } from '../../workflows/types.js';
import { parseNoticeKey } from './support/backend.js';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { testBackend } from './support/test-backend.js';
import { DAY_MS, advanceTo, hanoi } from './support/timeline.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('recurring', await testBackend());
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

async function completeCycle(id: string, cycle: number, at: string): Promise<void> {
  await advanceTo(h, id, at);
  await h.until(id, (s) => s.cycle === cycle && s.status === 'in-progress', `cycle ${cycle} open`);
  await h.signal(id, SIGNAL.submitEvidence, {
    submissionId: `scan-${cycle}`,
    items: [{ name: 'report', kind: 'document', value: `bao-cao-ra-quet-${cycle}.pdf` }],
    submittedBy: units.health.id,
  });
  await h.until(id, (s) => s.status === 'awaiting-review', `cycle ${cycle} submitted`);
  await h.signal(id, SIGNAL.review, { submissionId: `scan-${cycle}`, decision: 'accept', reviewer: units.coordinator.id });
  await h.until(id, (s) => s.cycle === cycle + 1 && s.status === 'in-progress', `cycle ${cycle + 1} to open`);
}

test('the 6-month vulnerability scan recurs from each completion, via continue-as-new', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, d.vulnerabilityScan, units.health));
  expect((await h.until(id, (s) => s.status === 'in-progress', 'cycle 1 open')).due).toBe(`${y + 1}-05-28`);

  await completeCycle(id, 1, hanoi(y + 1, '01-10T10:00'));
  // Next period counts from the completion: 10/01 + 6 months.
  expect(await h.state(id)).toMatchObject({ cycle: 2, status: 'in-progress', due: `${y + 1}-07-10` });
  await completeCycle(id, 2, hanoi(y + 1, '07-05T10:00'));
  expect(await h.state(id)).toMatchObject({ cycle: 3, status: 'in-progress', due: `${y + 2}-01-05` });

  // The current run was started by continue-as-new: one cycle of history per run.
  const started = (await h.env.client.workflow.getHandle(id).fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
  expect(started?.continuedExecutionRunId).toBeTruthy();
  const cycles = new Set((await h.notices(id)).filter((n) => n.kind === 'accepted').map((n) => parseNoticeKey(n.key).cycle));
  expect([...cycles]).toEqual([1, 2]);
  // Cycle 1 was done months early; cycle 2 got its P14D reminder (26/06) but not P3D (07/07).
  const reminders = (await h.notices(id)).filter((n) => n.kind === 'reminder').map((n) => parseNoticeKey(n.key).cycle);
  expect(reminders).toEqual([2]);
  await h.recordHistory(id, 'recurring-scan');
});

test('a fixed-window drill left undone walks the ladder, then hands over to the next window', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, d.liveDrill, units.health));
  await h.until(id, (s) => s.status === 'in-progress', 'cycle 1 open');

  const dueEnd = Date.parse(hanoi(y + 1, '11-29T00:00'));
  await advanceTo(h, id, dueEnd + 3 * DAY_MS);
  expect(await h.state(id)).toMatchObject({ cycle: 1, status: 'overdue', escalationsSent: 1 });

  await h.sleepUntil(dueEnd + 7 * DAY_MS + 60_000);
  const next = await h.until(id, (s) => s.cycle === 2, 'the next window');
  expect(next).toMatchObject({ status: 'in-progress', due: `${y + 2}-11-28` });
  const ladder = (await h.notices(id)).filter((n) => n.kind === 'escalation').map((n) => n.to);
  expect(ladder).toEqual(['so-tttt', 'chu-tich-ubnd']);
});
