import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { testBackend } from './support/test-backend.js';
import { DAY_MS, advanceTo, byKind, hanoi } from './support/timeline.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('durability', await testBackend(), { maxCachedWorkflows: 0 });
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

test('a worker shut down between timers: a new worker fires them, no notice lost or sent twice', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, d.contactPoint, units.culture));
  await h.until(id, (s) => s.status === 'in-progress', 'open');
  await advanceTo(h, id, hanoi(y, '11-29T12:00'));
  expect(byKind(await h.notices(id))).toEqual({ opened: ['so-vhtt'], reminder: ['so-vhtt'] });

  // The worker process goes away between the P1D reminder and the due date.
  await h.stopWorker();
  await h.sleepUntil(hanoi(y, '11-30T12:00'));
  await h.startWorker();

  const dueEnd = Date.parse(hanoi(y, '12-01T00:00'));
  await advanceTo(h, id, dueEnd + 7 * DAY_MS + 60_000);
  const notices = await h.notices(id);
  expect(byKind(notices)).toEqual({
    opened: ['so-vhtt'],
    reminder: ['so-vhtt', 'so-vhtt'],
    overdue: ['so-vhtt'],
    escalation: ['so-tttt', 'chu-tich-ubnd'],
  });
  const perKey = new Map<string, number>();
  for (const n of notices) perKey.set(`${n.key}→${n.to}`, (perKey.get(`${n.key}→${n.to}`) ?? 0) + 1);
  expect([...perKey.values()].every((count) => count === 1)).toBe(true);
});

test('timers that come due while no worker runs fire when one comes back, once each', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, d.contactPoint, units.transport));
  await h.until(id, (s) => s.status === 'in-progress', 'open');
  await advanceTo(h, id, hanoi(y, '11-29T12:00'));

  await h.stopWorker();
  // The due timer fires with nobody polling. The time-skipping server then holds its clock at
  // the pending workflow task (a real server would simply run on), so the clock is
  // moved in the background while the test waits, sees nothing delivered, and brings a worker back.
  const dueEnd = Date.parse(hanoi(y, '12-01T00:00'));
  const clock = h.sleepUntil(dueEnd + 7 * DAY_MS + 60_000);
  await new Promise((r) => setTimeout(r, 1_500));
  expect(await h.nowMs()).toBeGreaterThan(dueEnd);
  expect(byKind(await h.notices(id)).escalation).toBeUndefined();
  await h.startWorker();
  await clock;

  const state = await h.until(id, (s) => s.escalationsSent === 2, 'the missed ladder');
  expect(state.status).toBe('overdue');
  const notices = await h.notices(id);
  expect(byKind(notices)).toEqual({
    opened: ['so-gtvt'],
    reminder: ['so-gtvt', 'so-gtvt'],
    overdue: ['so-gtvt'],
    escalation: ['so-tttt', 'chu-tich-ubnd'],
  });
  expect(new Set(notices.map((n) => `${n.key}→${n.to}`)).size).toBe(notices.length);
  await h.recordHistory(id, 'deadline-worker-restart');
});
