import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { SIGNAL, type InstanceState } from '../../workflows/types.js';
import { hanoi3968, instanceInput, units, type Hanoi3968 } from './support/fixtures.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { testBackend } from './support/test-backend.js';
import { DAY_MS, advanceTo, byKind, hanoi } from './support/timeline.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('deadline', await testBackend());
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

async function deploy(obligation: (d: Hanoi3968) => Hanoi3968['contactPoint'], unit = units.health) {
  const d = hanoi3968(await nextDeploymentYear(h));
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, obligation(d), unit));
  await h.until(id, (s) => s.status === 'in-progress', 'the cycle to open');
  return { d, id, y: d.year };
}

const submit = (id: string, submissionId: string) =>
  h.signal(id, SIGNAL.submitEvidence, {
    submissionId,
    items: [{ name: 'officer', kind: 'field', value: 'Nguyễn Văn A' }],
    submittedBy: 'so-y-te',
  });
const review = (id: string, submissionId: string, decision: 'accept' | 'reject', comment?: string) =>
  h.signal(id, SIGNAL.review, { submissionId, decision, reviewer: units.coordinator.id, ...(comment ? { comment } : {}) });
const result = (id: string): Promise<InstanceState> => h.env.client.workflow.getHandle(id).result();

describe('contact point, due 30/11 (Hanoi 3968 §1.4)', () => {
  test('a unit that submits on time gets its reminder and completes on time', async () => {
    const { id, y } = await deploy((d) => d.contactPoint);
    await advanceTo(h, id, hanoi(y, '11-29T10:00'));
    // P7D before due was already past at deployment; P1D is the morning of 29/11.
    expect(byKind(await h.notices(id))).toEqual({ opened: ['so-y-te'], reminder: ['so-y-te'] });

    await submit(id, 'sub-1');
    await h.until(id, (s) => s.status === 'awaiting-review', 'awaiting review');
    await advanceTo(h, id, hanoi(y, '11-30T15:00'));
    await review(id, 'sub-1', 'accept');
    const final = await result(id);

    expect(final.status).toBe('completed-on-time');
    expect(final.remindersSent).toBe(1);
    expect(final.escalationsSent).toBe(0);
    expect(byKind(await h.notices(id))).toEqual({
      opened: ['so-y-te'],
      reminder: ['so-y-te'],
      submitted: ['so-tttt'],
      accepted: ['so-y-te'],
    });
    await h.recordHistory(id, 'deadline-on-time');
  });

  test('a unit that never submits is escalated to the coordinator at due and to leadership at due + 7 days', async () => {
    const { id, y } = await deploy((d) => d.contactPoint, units.education);
    const dueEnd = Date.parse(hanoi(y, '12-01T00:00'));

    await advanceTo(h, id, dueEnd - 60_000);
    expect((await h.state(id)).status).toBe('in-progress');
    expect(byKind(await h.notices(id)).escalation).toBeUndefined();

    await advanceTo(h, id, dueEnd + 60_000);
    expect((await h.state(id)).status).toBe('overdue');
    expect(byKind(await h.notices(id))).toMatchObject({ overdue: ['so-gddt'], escalation: ['so-tttt'] });

    await advanceTo(h, id, dueEnd + 7 * DAY_MS - 60_000);
    expect(byKind(await h.notices(id)).escalation).toEqual(['so-tttt']);

    await advanceTo(h, id, dueEnd + 7 * DAY_MS + 60_000);
    const notices = await h.notices(id);
    expect(byKind(notices).escalation).toEqual(['so-tttt', 'chu-tich-ubnd']);
    // The unit itself is still reminded, weekly, with the leadership step.
    expect(byKind(notices).reminder).toEqual(['so-gddt', 'so-gddt']);
    // Workflow time of the notice: the timer instant plus the few ms the earlier steps took.
    const lateBy = (to: string) => Date.parse(notices.find((n) => n.kind === 'escalation' && n.to === to)!.at!);
    expect(lateBy('so-tttt') - dueEnd).toBeGreaterThanOrEqual(0);
    expect(lateBy('so-tttt') - dueEnd).toBeLessThan(5_000);
    expect(lateBy('chu-tich-ubnd') - (dueEnd + 7 * DAY_MS)).toBeGreaterThanOrEqual(0);
    expect(lateBy('chu-tich-ubnd') - (dueEnd + 7 * DAY_MS)).toBeLessThan(5_000);

    const state = await h.state(id);
    expect(state).toMatchObject({ status: 'overdue', due: `${y}-11-30`, escalationsSent: 2 });
    await h.recordHistory(id, 'deadline-escalated');
  });

  test('past four weeks overdue the unit is reminded every four weeks, not weekly', async () => {
    const { id, y } = await deploy((d) => d.contactPoint, units.baDinh);
    const dueEnd = Date.parse(hanoi(y, '12-01T00:00'));
    const reminders = async () => (await h.notices(id)).filter((n) => n.kind === 'reminder').length;
    await advanceTo(h, id, dueEnd + 60_000);
    const before = await reminders(); // the ones before due
    const remindersAfterDue = async () => (await reminders()) - before;

    await advanceTo(h, id, dueEnd + 28 * DAY_MS + 60_000);
    expect(await remindersAfterDue()).toBe(4); // weeks 1–4
    await advanceTo(h, id, dueEnd + 55 * DAY_MS);
    expect(await remindersAfterDue()).toBe(4); // nothing weekly in between
    await advanceTo(h, id, dueEnd + 56 * DAY_MS + 60_000);
    expect(await remindersAfterDue()).toBe(5); // four weeks after the fourth
    expect((await h.state(id)).status).toBe('overdue');
    await h.recordHistory(id, 'deadline-long-overdue');
  });

  test('a rejected submission reopens; a later accept completes late', async () => {
    const { id, y } = await deploy((d) => d.contactPoint, units.hoanKiem);
    await advanceTo(h, id, hanoi(y, '11-30T10:00'));
    await submit(id, 'sub-1');
    await h.until(id, (s) => s.status === 'awaiting-review', 'awaiting review');
    await advanceTo(h, id, hanoi(y, '11-30T16:00'));
    await review(id, 'sub-1', 'reject', 'Thiếu số điện thoại đầu mối');
    await h.until(id, (s) => s.status === 'in-progress', 'reopened');
    const rejected = (await h.notices(id)).find((n) => n.kind === 'rejected');
    expect(rejected).toMatchObject({ to: 'quan-hoan-kiem' });
    expect(rejected?.text).toContain('Thiếu số điện thoại đầu mối');

    await advanceTo(h, id, hanoi(y, '12-02T09:00'));
    expect((await h.state(id)).status).toBe('overdue');
    await submit(id, 'sub-2');
    await h.until(id, (s) => s.status === 'awaiting-review', 'awaiting review again');
    await review(id, 'sub-2', 'accept');
    const final = await result(id);
    expect(final.status).toBe('completed-late');
    expect(final.submissions.map((s) => [s.submissionId, s.decision])).toEqual([
      ['sub-1', 'reject'],
      ['sub-2', 'accept'],
    ]);
    expect(byKind(await h.notices(id)).escalation).toEqual(['so-tttt']);
    await h.recordHistory(id, 'deadline-review-rejected');
  });

  test('an approved extension moves the due date: no escalation at the original one', async () => {
    const { id, y } = await deploy((d) => d.contactPoint, units.baDinh);
    await advanceTo(h, id, hanoi(y, '11-29T10:00'));
    await h.signal(id, SIGNAL.requestExtension, { requestId: 'ext-1', until: `${y}-12-10`, reason: 'Chờ kiện toàn nhân sự', requestedBy: 'quan-ba-dinh' });
    await h.until(id, (s) => s.extensions.length === 1, 'the request');
    await advanceTo(h, id, hanoi(y, '11-29T14:00'));
    await h.signal(id, SIGNAL.decideExtension, { requestId: 'ext-1', approve: true, until: `${y}-12-15`, decidedBy: 'so-tttt' });
    const extended = await h.until(id, (s) => s.due === `${y}-12-15`, 'the new due date');
    expect(extended).toMatchObject({ originalDue: `${y}-11-30`, status: 'in-progress' });
    expect(extended.extensions[0]).toMatchObject({ approved: true, until: `${y}-12-15` });

    await advanceTo(h, id, hanoi(y, '12-03T00:00'));
    expect((await h.state(id)).status).toBe('in-progress');
    expect(byKind(await h.notices(id))).toMatchObject({ 'extension-requested': ['so-tttt'], 'extension-decided': ['quan-ba-dinh'] });
    expect(byKind(await h.notices(id)).escalation).toBeUndefined();

    await advanceTo(h, id, hanoi(y, '12-16T00:01'));
    expect(await h.state(id)).toMatchObject({ status: 'overdue', due: `${y}-12-15`, originalDue: `${y}-11-30` });
    expect(byKind(await h.notices(id)).escalation).toEqual(['so-tttt']);
    await h.recordHistory(id, 'deadline-extension-approved');
  });

  test('a rejected extension leaves the due date: escalated at the original one', async () => {
    const { id, y } = await deploy((d) => d.contactPoint, units.transport);
    await advanceTo(h, id, hanoi(y, '11-29T10:00'));
    await h.signal(id, SIGNAL.requestExtension, { requestId: 'ext-1', until: `${y}-12-10`, reason: 'Chờ kiện toàn nhân sự', requestedBy: 'so-gtvt' });
    await h.until(id, (s) => s.extensions.length === 1, 'the request');
    await advanceTo(h, id, hanoi(y, '11-29T14:00'));
    await h.signal(id, SIGNAL.decideExtension, { requestId: 'ext-1', approve: false, comment: 'Không đủ căn cứ gia hạn', decidedBy: 'so-tttt' });
    const refused = await h.until(id, (s) => s.extensions[0]?.approved === false, 'the refusal');
    expect(refused).toMatchObject({ status: 'in-progress', due: `${y}-11-30` });
    expect(refused.originalDue ?? `${y}-11-30`).toBe(`${y}-11-30`);

    await advanceTo(h, id, hanoi(y, '12-01T00:01'));
    expect(await h.state(id)).toMatchObject({ status: 'overdue', due: `${y}-11-30` });
    const notices = await h.notices(id);
    expect(byKind(notices)).toMatchObject({ 'extension-requested': ['so-tttt'], 'extension-decided': ['so-gtvt'], escalation: ['so-tttt'] });
    expect(notices.find((n) => n.kind === 'extension-decided')?.text).toContain('Không đủ căn cứ gia hạn');
    await h.recordHistory(id, 'deadline-extension-rejected');
  });

  test('an amendment changes the due date of the running cycle', async () => {
    const { d, id, y } = await deploy((x) => ({ ...x.responsePlan, dependsOn: [] }), units.police);
    await advanceTo(h, id, hanoi(y, '12-01T09:00'));
    const amended = { ...d.responsePlan, dependsOn: [], due: `${y}-12-20`, effectiveDue: `${y}-12-20` };
    await h.signal(id, SIGNAL.amend, { directive: { ...d.directive, revision: 2 }, obligation: amended, contacts: instanceInput(d.directive, amended, units.police).contacts });
    await h.until(id, (s) => s.due === `${y}-12-20`, 'the amended due date');
    expect(byKind(await h.notices(id))).toMatchObject({ amended: ['cong-an'] });

    await advanceTo(h, id, hanoi(y, '12-21T00:01'));
    expect(await h.state(id)).toMatchObject({ status: 'overdue', due: `${y}-12-20`, originalDue: `${y}-12-20` });
    // P7D and P1D before the amended date, then the coordinator at the amended date.
    expect(byKind(await h.notices(id))).toMatchObject({ reminder: ['cong-an', 'cong-an'], escalation: ['so-tttt'] });
    await h.recordHistory(id, 'deadline-amended');
  });

  test('withdraw ends the instance', async () => {
    const { id, y } = await deploy((d) => d.contactPoint, units.finance);
    await advanceTo(h, id, hanoi(y, '11-29T08:00'));
    await h.signal(id, SIGNAL.withdraw, { reason: 'directive-superseded', supersededBy: '4100/UBND-KGVX', by: 'ubnd-hanoi' });
    const final = await result(id);
    expect(final.status).toBe('withdrawn');
    expect(byKind(await h.notices(id))).toMatchObject({ withdrawn: ['so-tai-chinh'] });
    await h.recordHistory(id, 'deadline-withdrawn');
  });
});
