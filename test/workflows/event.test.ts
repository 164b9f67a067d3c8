import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { SIGNAL, type InstanceState, type ReportedEvent } from '../../workflows/types.js';
import { haiPhong, instanceInput, units } from './support/fixtures.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { testBackend } from './support/test-backend.js';
import { HOUR_MS, advanceTo, byKind, hanoi } from './support/timeline.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('event', await testBackend());
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

/** Hai Phong 1.d: an attack detected at 10:00 must be reported within PT4H. */
async function reportAttack(unit = units.health, eventId = 'su-co-001') {
  const y = await nextDeploymentYear(h);
  const p = haiPhong(y);
  const occurredAt = hanoi(y, '11-28T10:00');
  await h.sleepUntil(occurredAt);
  const event: ReportedEvent = {
    id: eventId,
    type: 'attack-detected',
    reportedBy: unit.id,
    occurredAt,
    description: 'Phát hiện mã độc trên máy chủ cổng thông tin',
  };
  const id = await h.start(instanceInput(p.directive, p.reportAttack, unit, { event }));
  await h.until(id, (s) => s.status === 'in-progress', 'the event cycle to open');
  return { id, start: Date.parse(occurredAt) };
}

test('an event not answered within PT4H escalates', async () => {
  const { id, start } = await reportAttack();
  expect(id.endsWith('/su-co-001')).toBe(true);
  await advanceTo(h, id, start + 4 * HOUR_MS - 60_000);
  expect(byKind(await h.notices(id))).toEqual({ opened: ['so-y-te'], reminder: ['so-y-te'] });

  await advanceTo(h, id, start + 4 * HOUR_MS + 60_000);
  expect(await h.state(id)).toMatchObject({ status: 'overdue', eventId: 'su-co-001' });
  expect(byKind(await h.notices(id))).toMatchObject({ overdue: ['so-y-te'], escalation: ['so-tttt'] });

  await advanceTo(h, id, start + 8 * HOUR_MS + 60_000);
  expect(byKind(await h.notices(id)).escalation).toEqual(['so-tttt', 'chu-tich-ubnd']);
  await h.recordHistory(id, 'event-escalated');
});

test('an event answered in time completes on time, one workflow per event', async () => {
  const { id, start } = await reportAttack(units.hoanKiem, 'su-co-002');
  await advanceTo(h, id, start + 2 * HOUR_MS);
  await h.signal(id, SIGNAL.submitEvidence, {
    submissionId: 'bc-1',
    items: [{ name: 'report', kind: 'document', value: 'bao-cao-su-co.pdf' }],
    submittedBy: units.hoanKiem.id,
  });
  await h.until(id, (s) => s.status === 'awaiting-review', 'awaiting review');
  await advanceTo(h, id, start + 5 * HOUR_MS);
  await h.signal(id, SIGNAL.review, { submissionId: 'bc-1', decision: 'accept', reviewer: units.coordinator.id });
  const final: InstanceState = await h.env.client.workflow.getHandle(id).result();
  // Submitted at 2 h: on time although accepted after the 4 h deadline.
  expect(final.status).toBe('completed-on-time');
  expect(byKind(await h.notices(id)).escalation).toBeUndefined();
});
