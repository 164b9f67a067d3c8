import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { SIGNAL } from '../../workflows/types.js';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { testBackend } from './support/test-backend.js';
import { advanceTo, byKind, hanoi } from './support/timeline.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('dependencies', await testBackend());
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

async function completeContactPoint(id: string, unitId: string): Promise<void> {
  await h.signal(id, SIGNAL.submitEvidence, { submissionId: 'cp-1', items: [], submittedBy: unitId });
  await h.until(id, (s) => s.status === 'awaiting-review', 'contact point submitted');
  await h.signal(id, SIGNAL.review, { submissionId: 'cp-1', decision: 'accept', reviewer: units.coordinator.id });
  // Not result(): awaiting a result lets the time-skipping server run the clock ahead, and the
  // dependent instance in this test has timers of its own.
  await h.until(id, (s) => s.status === 'completed-on-time', 'contact point completed');
}

test('the response plan opens only after the contact point is completed', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const plan = await h.start(instanceInput(d.directive, d.responsePlan, units.transport));
  const contact = await h.start(instanceInput(d.directive, d.contactPoint, units.transport, { dependents: ['response-plan'] }));
  await h.until(contact, (s) => s.status === 'in-progress', 'contact point open');

  await advanceTo(h, plan, hanoi(y, '11-29T15:00'));
  expect((await h.state(plan)).status).toBe('not-yet-due');
  expect(await h.notices(plan)).toEqual([]);

  await completeContactPoint(contact, units.transport.id);
  const opened = await h.until(plan, (s) => s.status === 'in-progress', 'response plan open');
  expect(opened.due).toBe(`${y}-12-31`);
  await h.settle(plan);
  expect(byKind(await h.notices(plan))).toEqual({ opened: ['so-gtvt'] });
});

test('a dependent started after its prerequisite was completed opens at once', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  await h.sleepUntil(d.deployedAt);
  // The prerequisite names a dependent that does not exist yet: the signal is skipped, not fatal.
  const contact = await h.start(instanceInput(d.directive, d.contactPoint, units.culture, { dependents: ['response-plan'] }));
  await h.until(contact, (s) => s.status === 'in-progress', 'contact point open');
  await completeContactPoint(contact, units.culture.id);

  const plan = await h.start(instanceInput(d.directive, d.responsePlan, units.culture));
  await h.until(plan, (s) => s.status === 'in-progress', 'response plan open from the projection');
});

test('a dependent whose due date passes while its prerequisite is undone is reported overdue, then escalated once it opens', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const plan = await h.start(instanceInput(d.directive, d.responsePlan, units.health));
  const contact = await h.start(instanceInput(d.directive, d.contactPoint, units.health, { dependents: ['response-plan'] }));
  await h.until(contact, (s) => s.status === 'in-progress', 'contact point open');

  await advanceTo(h, plan, hanoi(y, '12-20T09:00'));
  expect((await h.state(plan)).status).toBe('not-yet-due');
  // The response plan was due on 31/12 (a day off in most years: the working-day policy may move it).
  const due = (await h.state(plan)).due!;
  await advanceTo(h, plan, Date.parse(`${due}T23:59:59.999+07:00`) + 2 * 3_600_000);
  expect((await h.state(plan)).status).toBe('overdue');
  // Not opened: the unit was never told to start it, and the prerequisite's ladder does the escalating.
  expect(await h.notices(plan)).toEqual([]);

  await h.signal(contact, SIGNAL.submitEvidence, { submissionId: 'cp-late', items: [], submittedBy: units.health.id });
  await h.until(contact, (s) => s.status === 'awaiting-review', 'contact point submitted');
  await h.signal(contact, SIGNAL.review, { submissionId: 'cp-late', decision: 'accept', reviewer: units.coordinator.id });
  await h.until(contact, (s) => s.status === 'completed-late', 'contact point completed late');
  await h.until(plan, (s) => s.status === 'overdue' && s.escalationsSent > 0, 'response plan opened overdue and escalated');
  const kinds = byKind(await h.notices(plan));
  expect(kinds.opened).toEqual(['so-y-te']);
  expect(kinds.escalation).toContain('so-tttt');
  await h.settle(plan);
  await h.recordHistory(plan, 'dependent-overdue-while-blocked');
});
