import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { SIGNAL } from '../../workflows/types.js';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { SCAN_REPORT, scanAwaitingReview } from './support/scenes.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { testBackend } from './support/test-backend.js';
import { byDefault, coordinator, leadership, letterInput, lettersQuiet, nextDate, to } from './support/letters.js';
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

test('letters: a worker stopped for three days across the due date and an escalation step sends one overdue notice to the unit, one to the coordinator, nothing twice', async () => {
  const mail = h.backend.mail;
  const { year, at } = await nextDate(h, '11-28');
  const d = hanoi3968(year);
  const unit = byDefault(units.police);
  const sent = mail.messages.length;
  await h.sleepUntil(at);
  const id = await h.start(letterInput(d, d.contactPoint, unit));
  await h.until(id, (s) => s.status === 'in-progress', 'open');
  await h.sleepUntil(`${year}-11-29T12:00:00+07:00`);
  await h.settle(id);
  await lettersQuiet(h, d.directive.id);
  const before = mail.messages.slice(sent);
  // The assignment letter at deployment, then the 29/11 morning letter with the reminder.
  expect(before.filter(to(unit)).map((m) => m.subject.replace(/ngày .*/, 'ngày …'))).toEqual([
    '[Chỉ thị 3968/UBND-KGVX] Giao nhiệm vụ: 1 nhiệm vụ',
    '[Chỉ thị 3968/UBND-KGVX] Tình hình thực hiện ngày …',
  ]);

  await h.stopWorker();
  const back = Date.parse(`${year}-12-02T12:00:00+07:00`);
  // As above: the time-skipping server holds its clock at a task nobody polls.
  const clock = h.sleepUntil(back);
  await new Promise((r) => setTimeout(r, 1_500));
  await h.startWorker();
  await clock;
  await h.settle(id);
  await h.sleepUntil(back + 2 * DAY_MS);
  await h.settle(id);
  await lettersQuiet(h, d.directive.id);

  const after = mail.messages.slice(sent + before.length);
  const unitMail = after.filter(to(unit));
  expect(unitMail).toHaveLength(1);
  expect(unitMail[0]!.text).toContain('NHIỆM VỤ QUÁ HẠN');
  expect(unitMail[0]!.text).toMatch(/Hạn: 30\/11\/\d{4} — đã quá hạn \d ngày\./);
  expect(unitMail[0]!.text).not.toContain('SẮP ĐẾN HẠN');
  const coordinatorMail = after.filter(to(coordinator));
  expect(coordinatorMail).toHaveLength(1);
  expect(coordinatorMail[0]!.text).toContain('- Công an Thành phố (1 nhiệm vụ):');
  expect(after.filter(to(leadership))).toHaveLength(0);
  const all = mail.messages.slice(sent);
  expect(new Set(all.map((m) => m.messageId)).size).toBe(all.length);
});

test('a submission racing the acceptance that closes a recurring cycle is carried into the next cycle, not dropped', async () => {
  const { id } = await scanAwaitingReview(h);
  // Both arrive while no worker runs, so the worker sees them in one task: the acceptance closes
  // cycle 1, and the next scan's report must reach cycle 2.
  await h.stopWorker();
  await h.signal(id, SIGNAL.review, { submissionId: 's-1', decision: 'accept', reviewer: units.coordinator.id });
  await h.signal(id, SIGNAL.submitEvidence, { submissionId: 's-2', items: SCAN_REPORT, submittedBy: 'so-tai-chinh' });
  await h.startWorker();
  const next = await h.until(id, (s) => s.cycle === 2 && s.submissions.length > 0, 'the carried submission in cycle 2');
  expect(next.status).toBe('awaiting-review');
  expect(next.submissions.map((s) => s.submissionId)).toEqual(['s-2']);
});
