/**
 * Thời hạn ngôn ngữ 1.1 khi chạy, trên máy chủ thời gian ảo: hạn tính từ lúc đơn vị nhận nhiệm vụ,
 * từ lúc hoàn thành nhiệm vụ khác (với nhiệm vụ định kỳ: từng kỳ), và nhắc việc rơi vào Chủ nhật được
 * gửi vào thứ Sáu trước đó.
 * Language 1.1 timing at run time, on the time-skipping server: a due date counted from the unit's
 * receipt of the task, from another duty's completion (for a recurring duty, cycle by cycle), and a
 * reminder that would fall on a Sunday sent on the Friday before. Late November to mid-December
 * has no public holiday in Vietnam, so the working days here are the weekdays.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { DeadlineObligation, RecurringObligation } from '../../compiler/plan.js';
import { SIGNAL } from '../../workflows/types.js';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { testBackend } from './support/test-backend.js';
import { advanceTo, byKind, hanoi } from './support/timeline.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('timing-v11', await testBackend());
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

/** `date` + n weekdays (n < 0: before), the day itself not counted. */
function weekdays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  for (let left = Math.abs(n); left > 0; ) {
    d.setUTCDate(d.getUTCDate() + Math.sign(n));
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}
const plusDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const endOf = (date: string): number => Date.parse(`${date}T23:59:59.999+07:00`);
const at = (date: string, time: string): string => `${date}T${time}:00+07:00`;

async function complete(id: string, submissionId: string, unitId: string): Promise<void> {
  await h.signal(id, SIGNAL.submitEvidence, { submissionId, items: [], submittedBy: unitId });
  await h.until(id, (s) => s.status === 'awaiting-review', `${submissionId} submitted`);
  await h.signal(id, SIGNAL.review, { submissionId, decision: 'accept', reviewer: units.coordinator.id });
  await h.until(id, (s) => s.submissions.some((x) => x.submissionId === submissionId && x.decision === 'accept') || s.cycle > 1 || s.status.startsWith('completed'), `${submissionId} accepted`);
}

describe('due after the unit receives the task (afterReceipt)', () => {
  test('due 5 working days after the day it is assigned; reminded the working day before; escalated 2 working days after', async () => {
    const d = hanoi3968(await nextDeploymentYear(h));
    const y = d.year;
    const ob: DeadlineObligation = {
      ...d.contactPoint,
      id: 'acknowledge',
      reminders: ['P1WD'],
      escalation: [{ after: 'P2WD', to: [units.coordinator.id], roles: ['coordinator'] }],
      // The plan's expectation (as if received on the issue date): the runtime counts from the receipt.
      due: `${y}-11-25`,
      effectiveDue: `${y}-11-25`,
      relativeDue: { from: 'receipt', plus: 'P5WD' },
    };
    await h.sleepUntil(d.deployedAt);
    const id = await h.start(instanceInput(d.directive, ob, units.health));
    const due = weekdays(`${y}-11-28`, 5);
    const opened = await h.until(id, (s) => s.status === 'in-progress', 'opened on receipt');
    expect(opened.due).toBe(due);
    const letter = (await h.notices(id)).find((n) => n.kind === 'opened')!;
    expect(letter.text).toContain('Căn cứ hạn: 5 ngày làm việc kể từ ngày đơn vị nhận văn bản');
    expect(letter.text).toContain("How the due date is set: 5 working days from the unit's receipt of the document");

    const remindOn = weekdays(due, -1);
    await advanceTo(h, id, at(remindOn, '10:00'));
    const reminder = (await h.notices(id)).find((n) => n.kind === 'reminder');
    expect(reminder?.at && Date.parse(reminder.at)).toBeGreaterThanOrEqual(Date.parse(at(remindOn, '00:00')));

    const stepDay = weekdays(due, 2);
    await advanceTo(h, id, endOf(stepDay) - 60_000);
    expect(byKind(await h.notices(id)).escalation).toBeUndefined();
    await advanceTo(h, id, endOf(stepDay) + 60_000);
    expect(byKind(await h.notices(id)).escalation).toEqual(['so-tttt']);
    await h.recordHistory(id, 'relative-due-receipt');
  });
});

describe("due after another duty's completion (after: { obligation, plus })", () => {
  test('no due date, no reminder, never overdue until the prerequisite is completed; then due 10 days after that day', async () => {
    const d = hanoi3968(await nextDeploymentYear(h));
    const y = d.year;
    const dependent: DeadlineObligation = {
      ...d.responsePlan,
      // An expectation the plan holds that has passed by the time the prerequisite is done: not a due date.
      due: `${y}-11-29`,
      effectiveDue: `${y}-11-29`,
      relativeDue: { from: 'completion', obligation: 'contact-point', clause: '1.4', plus: 'P10D' },
    };
    await h.sleepUntil(d.deployedAt);
    const plan = await h.start(instanceInput(d.directive, dependent, units.transport));
    const contact = await h.start(instanceInput(d.directive, d.contactPoint, units.transport, { dependents: ['response-plan'] }));
    await h.until(contact, (s) => s.status === 'in-progress', 'contact point open');

    await advanceTo(h, plan, hanoi(y, '11-30T10:00'));
    const waiting = await h.state(plan);
    expect(waiting).toMatchObject({ status: 'not-yet-due', remindersSent: 0 });
    expect(waiting.due).toBeUndefined();
    expect(await h.notices(plan)).toEqual([]);

    await complete(contact, 'cp-1', units.transport.id);
    const opened = await h.until(plan, (s) => s.status === 'in-progress', 'response plan open');
    expect(opened.due).toBe(`${y}-12-10`);
    const letter = (await h.notices(plan)).find((n) => n.kind === 'opened')!;
    expect(letter.to).toBe('so-gtvt');
    expect(letter.text).toContain('Căn cứ hạn: 10 ngày sau khi hoàn thành nhiệm vụ tại Điều 1.4');
    await h.settle(plan);
    await h.recordHistory(plan, 'relative-due-after-completion');
  });

  test('a recurring duty counts each cycle from the next completion of its prerequisite', async () => {
    const d = hanoi3968(await nextDeploymentYear(h));
    const y = d.year;
    const scan: RecurringObligation = { ...d.vulnerabilityScan, every: 'P1M', firstDue: `${y}-12-28`, reminders: [], escalation: [] };
    const remediate: RecurringObligation = {
      ...d.vulnerabilityScan,
      id: 'remediate',
      clause: '1.2.a',
      title: { vi: 'Khắc phục lỗ hổng sau mỗi lần rà quét' },
      every: 'P1M',
      firstDue: `${y}-12-28`,
      reminders: [],
      escalation: [],
      dependsOn: ['vulnerability-scan'],
      relativeDue: { from: 'completion', obligation: 'vulnerability-scan', clause: '1.2', plus: 'P7D' },
    };
    await h.sleepUntil(d.deployedAt);
    const fix = await h.start(instanceInput(d.directive, remediate, units.culture));
    const scanId = await h.start(instanceInput(d.directive, scan, units.culture, { dependents: ['remediate'] }));
    await h.until(scanId, (s) => s.status === 'in-progress', 'scan open');

    await advanceTo(h, fix, hanoi(y, '12-01T10:00'));
    await complete(scanId, 'scan-1', units.culture.id);
    const first = await h.until(fix, (s) => s.status === 'in-progress', 'first remediation open');
    expect([first.cycle, first.due]).toEqual([1, `${y}-12-08`]);

    await advanceTo(h, fix, hanoi(y, '12-02T10:00'));
    await complete(fix, 'fix-1', units.culture.id);
    // The next cycle waits for the next scan: no due date meanwhile, however long.
    const waiting = await h.until(fix, (s) => s.cycle === 2, 'second remediation scheduled');
    expect(waiting.status).toBe('not-yet-due');
    expect(waiting.due).toBeUndefined();
    await advanceTo(h, fix, hanoi(y, '12-20T10:00'));
    expect((await h.state(fix)).status).toBe('not-yet-due');

    await complete(scanId, 'scan-2', units.culture.id);
    const second = await h.until(fix, (s) => s.cycle === 2 && s.status === 'in-progress', 'second remediation open');
    expect(second.due).toBe(`${y}-12-27`);
    expect(await h.recordAllRuns(fix, 'relative-due-per-cycle')).toBe(2);
  });
});

describe('reminders on a day off (1.1 remindersOnDayOff)', () => {
  test('a reminder 2 days before a Tuesday is sent on the Friday before, in a 1.1 directive; on the Sunday in a v1 one', async () => {
    const d = hanoi3968(await nextDeploymentYear(h));
    const y = d.year;
    let due = `${y}-12-06`;
    while (new Date(`${due}T00:00:00Z`).getUTCDay() !== 2) due = plusDays(due, 1);
    const ob: DeadlineObligation = { ...d.contactPoint, reminders: ['P2D'], escalation: [], due, effectiveDue: due };
    const v11 = { ...d.directive, calendar: { ...d.directive.calendar, remindersOnDayOff: 'previous-working-day' as const } };
    await h.sleepUntil(d.deployedAt);
    const moved = await h.start(instanceInput(v11, ob, units.health));
    const kept = await h.start(instanceInput(d.directive, ob, units.education));
    await h.until(moved, (s) => s.status === 'in-progress', 'open');
    await h.until(kept, (s) => s.status === 'in-progress', 'open');

    const friday = plusDays(due, -4);
    const sunday = plusDays(due, -2);
    await advanceTo(h, moved, at(friday, '10:00'));
    await h.settle(kept);
    const sent = (await h.notices(moved)).filter((n) => n.kind === 'reminder');
    expect(sent).toHaveLength(1);
    expect(Date.parse(sent[0]!.at!) - Date.parse(at(friday, '00:00'))).toBeLessThan(60_000);
    expect((await h.notices(kept)).filter((n) => n.kind === 'reminder')).toEqual([]);

    await advanceTo(h, kept, at(sunday, '10:00'));
    const keptSent = (await h.notices(kept)).filter((n) => n.kind === 'reminder');
    expect(keptSent).toHaveLength(1);
    expect(Date.parse(keptSent[0]!.at!) - Date.parse(at(sunday, '00:00'))).toBeLessThan(60_000);
    expect((await h.notices(moved)).filter((n) => n.kind === 'reminder')).toHaveLength(1);
    await h.recordHistory(moved, 'reminder-moved-off-day-off');
  });
});
