/**
 * Letters instead of one e-mail per timer (issue 7): a late deployment, a worker outage and a
 * week of daily letters across a public holiday, on the time-skipping server with the real
 * activities, PostgreSQL and a loopback SMTP server. The units here use the registry default
 * (a daily letter at 08:00 on working days), unlike the other workflow tests.
 */
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { listAudit } from '../../activities/store/index.js';
import { loadCalendar } from '../../compiler/calendar/index.js';
import { postboxWorkflowId } from '../../workflows/types.js';
import { hanoi3968, units } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';
import { realBackend } from './support/real-backend.js';
import { byDefault, coordinator, leadership, letterInput, lettersQuiet, local, nextDate as nextDateOf, to } from './support/letters.js';
import { DAY_MS } from './support/timeline.js';

let h: Harness;
let mail: NonNullable<Harness['backend']['mail']>;
beforeAll(async () => {
  h = await startHarness('letters', await realBackend());
  mail = h.backend.mail!;
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

const input = letterInput;
const nextDate = (monthDay: string) => nextDateOf(h, monthDay);
const quiet = (directiveId: string) => lettersQuiet(h, directiveId);

test('deployed two years after it was signed: each unit one letter, the escalation recipient one digest, every step in the audit', async () => {
  const { year, at } = await nextDate('11-18');
  const d = hanoi3968(year - 2); // signed two years before the deployment
  const health = byDefault(units.health);
  const education = byDefault(units.education);
  const sent = mail.messages.length;
  await h.sleepUntil(at);
  const ids: string[] = [];
  for (const u of [health, education]) {
    for (const o of [d.contactPoint, d.responsePlan, d.vulnerabilityScan, d.liveDrill]) ids.push(await h.start(input(d, o, u)));
  }
  for (const id of ids) await h.settle(id);
  // A week later: the contact point is two years late, the scan a year and a half, the drill's
  // window of two years ago closed before the deployment and the current one is due 28/11.
  await h.sleepUntil(Date.parse(at) + 7 * DAY_MS);
  for (const id of ids) await h.settle(id);
  await quiet(d.directive.id);

  const mails = mail.messages.slice(sent);
  const healthMail = mails.filter(to(health));
  const educationMail = mails.filter(to(education));
  const chairman = mails.filter(to(leadership));
  expect(healthMail).toHaveLength(1);
  expect(educationMail).toHaveLength(1);
  expect(chairman).toHaveLength(1);
  // The coordinator's step (at the due date) passed during catch-up: recorded, not mailed.
  expect(mails.filter(to(coordinator))).toHaveLength(0);
  expect(mails).toHaveLength(3);

  const letter = healthMail[0]!;
  expect(letter.subject).toBe(`[Chỉ thị 3968/UBND-KGVX] Giao nhiệm vụ: 3 nhiệm vụ`);
  expect(letter.text).toContain('Kính gửi: Sở Y tế');
  expect(letter.text).toMatch(/Điều 1\.4: Gửi thông tin đầu mối ứng cứu sự cố về Sở TTTT\n\s+Hạn: 30\/11\/\d{4} — đã quá hạn 7\d\d ngày\./);
  expect(letter.text).toContain('Thực hiện ít nhất 6 tháng một lần');
  expect(letter.text).toContain(`Hạn: 28/11/${year} (kỳ 2) — còn`);
  expect(letter.text).toContain('npx chithi submit');
  expect(letter.text).not.toMatch(/P\d+[DMY]|undefined|overdue: true|roles:/);
  // Sent within minutes of the deployment, not at the next morning's letter.
  expect(local(letter).diff(DateTime.fromISO(at)).as('minutes')).toBeLessThanOrEqual(6);

  const digest = chairman[0]!;
  expect(digest.subject).toMatch(/Tình hình thực hiện ngày \d\d\/11\/\d{4}: 2 đơn vị chậm thực hiện$/);
  expect(digest.text).toContain('Kính gửi: Chủ tịch UBND Thành phố');
  expect(digest.text).toContain('- Sở Y tế (2 nhiệm vụ):');
  expect(digest.text).toContain('- Sở Giáo dục và Đào tạo (2 nhiệm vụ):');
  expect(digest.text).toContain('Tình hình chung của chỉ thị:');
  expect(digest.text).toContain('quá hạn chưa hoàn thành');
  // At 08:00 on the next working day after the deployment.
  const t = local(digest);
  expect(t.toFormat('HH:mm')).toBe('08:00');
  expect(t > DateTime.fromISO(at)).toBe(true);
  expect(t.diff(DateTime.fromISO(at), 'days').days).toBeLessThan(4);

  // The audit keeps every step, the caught-up ones marked as such.
  const contactId = ids[0]!;
  const audit = (await listAudit(mail.pool, d.directive.id, { workflowId: contactId })).filter((a) => a.action === 'escalated');
  expect(audit.map((a) => [a.detail?.after, a.detail?.catchUp ?? false])).toEqual([
    ['P0D', true],
    ['P7D', false],
  ]);
  // The drill's closed window is recorded once as before the deployment, not tracked.
  const drillId = ids[3]!;
  const drill = await listAudit(mail.pool, d.directive.id, { workflowId: drillId });
  expect(drill.filter((a) => a.action === 'windows-before-deployment').map((a) => a.detail)).toEqual([
    { notTracked: 1, firstDue: `${year - 1}-11-28`, trackedFrom: 2 },
  ]);
  expect(drill.some((a) => a.action === 'escalated')).toBe(false);
  await h.recordHistory(contactId, 'catch-up-late-deployment');
  await h.recordHistory(drillId, 'catch-up-windows-before-deployment');
  await h.recordHistory(postboxWorkflowId(d.directive.id), 'postbox-digest');
});

test('daily letters across a week with a public holiday: none on the day off, the next working day carries it', async () => {
  // 02/09 (National Day) and the weekend: find a year where a reminder and an overdue step
  // straddle them. The unit's deadline is 01/09; the day after is the holiday.
  const { year, at } = await nextDate('08-20');
  const d = hanoi3968(year);
  const ob = { ...d.contactPoint, reminders: ['P7D', 'P1D'], due: `${year}-09-01`, effectiveDue: `${year}-09-01` };
  const unit = byDefault(units.finance);
  const sent = mail.messages.length;
  await h.sleepUntil(at);
  const id = await h.start(input(d, ob, unit));
  await h.until(id, (s) => s.status === 'in-progress', 'open');
  await h.sleepUntil(`${year}-09-10T12:00:00+07:00`);
  await h.settle(id);
  await quiet(d.directive.id);

  const mails = mail.messages.slice(sent);
  const holiday = `${year}-09-02`;
  const vn = loadCalendar('vn');
  expect(vn.isDayOff(holiday)).toBe(true);
  // Daily letters (not the assignment letter, sent when the directive is deployed) only on working days.
  const daily = mails.filter((m) => !m.subject.includes('Giao nhiệm vụ'));
  expect(daily.length).toBeGreaterThanOrEqual(2);
  for (const m of daily) {
    expect(vn.isDayOff(local(m).toISODate()!)).toBe(false);
    expect(local(m).toFormat('HH:mm')).toBe('08:00');
  }
  // The coordinator's escalation at the due date (end of 01/09) lands in the first working day's letter after it.
  const coord = mails.filter(to(coordinator));
  expect(coord).toHaveLength(1);
  const first = local(coord[0]!);
  expect(first.toFormat('HH:mm')).toBe('08:00');
  expect(first.toISODate()! > holiday).toBe(true);
  // And the unit never gets two letters on one day.
  const perDay = new Map<string, number>();
  for (const m of mails.filter(to(unit))) perDay.set(local(m).toISODate()!, (perDay.get(local(m).toISODate()!) ?? 0) + 1);
  expect([...perDay.values()].every((n) => n === 1)).toBe(true);
});
