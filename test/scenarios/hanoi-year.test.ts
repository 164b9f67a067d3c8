/**
 * A year in the life of Hanoi 3968/UBND-KGVX: the real seed, compiled as of its issue date,
 * deployed on 2022-11-28 and run in virtual time to 2023-12-31 on the time-skipping server, with
 * the real activities, PostgreSQL and a loopback SMTP server. Units act through the `chithi` CLI.
 *
 * The server's clock starts today, so the instances run with a virtual epoch (clockOffsetMs) that
 * puts their business time at the directive's own dates: the holidays, weekends and deadlines of
 * 2022–2023 are the ones exercised. Four departments are deployed (every obligation of the
 * directive that applies to them); the full directive for a year is measured by `npm run bench`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { listInstances } from '../../activities/store/index.js';
import { loadCalendar } from '../../compiler/calendar/index.js';
import { deploy } from '../../service/deploy.js';
import type { Plan } from '../../compiler/plan.js';
import { instanceWorkflowId } from '../../workflows/types.js';
import { narrow, noticeDate, ROOT, startScenario, type Scenario } from './harness.js';

const D = 'hanoi-3968-2022';

const ON_TIME = 'so-y-te'; // submits before the deadline; also runs the six-monthly scan
const SILENT = 'so-cong-thuong'; // never submits
const REJECTED = 'so-gtvt'; // first submission rejected, second accepted
const EXTENDED = 'so-tai-chinh'; // asks for and gets an extension
const UNITS = [ON_TIME, SILENT, REJECTED, EXTENDED];

const wf = (obligation: string, unit: string) => instanceWorkflowId(D, obligation, unit);

describe('Hanoi 3968 for a year: 2022-11-28 → 2023-12-31', () => {
  let sc: Scenario;
  let full: Plan;
  let plan: Plan;
  let cli: Scenario['cli'];
  let until: Scenario['until'];
  let state: Scenario['state'];
  let mails: Scenario['mails'];
  let waitMails: Scenario['waitMails'];
  let recipients: Scenario['recipients'];
  const handle = (id: string) => sc.env.client.workflow.getHandle(id);

  beforeAll(async () => {
    sc = await startScenario('directives/hanoi-3968-2022.yaml', { asOf: '2022-11-28', at: '2022-11-28T09:00' });
    ({ cli, until, state, mails, waitMails, recipients } = sc);
    full = sc.plan;
    plan = narrow(full, UNITS);
    writeFileSync(join(sc.dir, 'ke-hoach-ung-cuu.pdf'), '%PDF-1.4 phương án ứng cứu sự cố (thử nghiệm)\n');
    writeFileSync(join(sc.dir, 'bao-cao-ra-quet.pdf'), '%PDF-1.4 báo cáo rà quét lỗ hổng (thử nghiệm)\n');
  });

  afterAll(async () => {
    await sc?.close();
  });

  it('deploys on 28/11/2022: one instance per obligation and unit; the annual drill only where a level-3 system runs', async () => {
    const result = await deploy(plan, { client: sc.env.client, pool: sc.db.pool, clockOffsetMs: sc.offset });
    const expected = plan.obligations.filter((o) => o.kind !== 'event').reduce((n, o) => n + o.assignees.length, 0);
    expect(result.started).toBe(expected);

    // Level ≥ 3, straight from the registry: the drill (clause 1.2) must go to exactly these units.
    const registry = parseYaml(readFileSync(join(ROOT, 'directives/registries/hanoi-2022.yaml'), 'utf8')) as {
      units: { id: string; systems?: { level: number }[] }[];
    };
    const level3 = new Set(registry.units.filter((u) => (u.systems ?? []).some((s) => s.level >= 3)).map((u) => u.id));
    const drill = full.obligations.find((o) => o.id === 'live-drill')!;
    expect(drill.assignees.length).toBeGreaterThan(0);
    expect(drill.assignees.every((u) => level3.has(u))).toBe(true);
    const scan = full.obligations.find((o) => o.id === 'vulnerability-scan')!;
    expect(scan.assignees.length).toBeGreaterThan(drill.assignees.length);

    // Each instance writes its own projection row when it starts: wait for all of them.
    const deadline = Date.now() + 30_000;
    let rows = await listInstances(sc.db.pool, D);
    while (rows.length < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await listInstances(sc.db.pool, D);
    }
    expect(rows).toHaveLength(expected);
    const drills = rows.filter((r) => r.obligationId === 'live-drill').map((r) => r.unitId).sort();
    expect(drills).toEqual(UNITS.filter((u) => level3.has(u)).sort());
    expect(drills).not.toContain(SILENT);
    await expect(handle(wf('live-drill', SILENT)).describe()).rejects.toThrow();

    // Deploying the same directive again starts nothing.
    const again = await deploy(plan, { client: sc.env.client, pool: sc.db.pool, clockOffsetMs: sc.offset });
    expect(again).toMatchObject({ alreadyDeployed: true, started: 0 });
  });

  it('29/11–01/12/2022: the contact point opens when the officer is assigned; left blocked past 30/11 it is overdue', async () => {
    writeFileSync(join(sc.dir, 'quyet-dinh-phan-cong.pdf'), '%PDF-1.4 quyết định phân công cán bộ (thử nghiệm)\n');
    expect((await state(wf('contact-point', ON_TIME))).status).toBe('not-yet-due');
    await until('2022-11-29T09:00');
    await cli('submit', '--directive', D, '--obligation', 'assign-security-officer', '--unit', ON_TIME, '--file', 'quyet-dinh-phan-cong.pdf');
    await until('2022-11-29T10:00');
    await cli('review', 'accept', '--directive', D, '--obligation', 'assign-security-officer', '--unit', ON_TIME);
    // The task it unblocked is given in an assignment letter, gathered for five minutes.
    await until('2022-11-29T10:10');
    const [opened] = await waitMails(wf('contact-point', ON_TIME), 'opened', ON_TIME);
    expect(sc.to(opened!)).toEqual([ON_TIME]);
    // The cooperating department is told too, in its own letter; nobody else.
    expect(await recipients(wf('contact-point', ON_TIME), 'opened')).toEqual([['so-tttt'], [ON_TIME]]);
    expect((await state(wf('contact-point', ON_TIME))).status).toBe('in-progress');
    await cli('submit', '--directive', D, '--obligation', 'contact-point', '--unit', ON_TIME, '--field', 'officer=Nguyễn Thị Hà', '--field', 'phone=024 3998 5765', '--field', 'email=attt.soyte@hanoi.example');
    await until('2022-11-30T09:00');
    await cli('review', 'accept', '--directive', D, '--obligation', 'contact-point', '--unit', ON_TIME);
    expect((await state(wf('contact-point', ON_TIME))).status).toBe('completed-on-time');

    await until('2022-12-01T09:00');
    expect((await state(wf('contact-point', SILENT))).status).toBe('overdue');
    expect((await state(wf('assign-security-officer', SILENT))).status).toBe('overdue');
    await waitMails(wf('assign-security-officer', SILENT), 'escalation', 'so-tttt');
    // The coordinator's step only: the Chairman's (P2D) is not due yet.
    expect(await recipients(wf('assign-security-officer', SILENT), 'escalation')).toEqual([['so-tttt']]);
  });

  it('15–16/12/2022: a rejected submission reopens the task, with the reviewer’s comment e-mailed to the unit', async () => {
    const id = wf('response-plan', REJECTED);
    await until('2022-12-15T10:00');
    await cli('submit', '--directive', D, '--obligation', 'response-plan', '--unit', REJECTED, '--file', 'ke-hoach-ung-cuu.pdf', '--field', 'issued-on=2022-12-14');
    expect((await state(id)).status).toBe('awaiting-review');
    await waitMails(id, 'submitted', 'so-tttt');
    expect(await recipients(id, 'submitted')).toEqual([['so-tttt']]);

    await until('2022-12-16T10:00');
    await cli('review', 'reject', '--directive', D, '--obligation', 'response-plan', '--unit', REJECTED, '--comment', 'Thiếu kịch bản cho hệ thống một cửa điện tử');
    const s = await state(id);
    expect(s.status).toBe('in-progress');
    const [rejected] = await waitMails(id, 'rejected', REJECTED);
    expect(rejected!.to).toEqual([sc.plan.units[REJECTED]!.email]);
    expect(await recipients(id, 'rejected')).toEqual([[REJECTED]]);
    expect(rejected!.text).toContain('Thiếu kịch bản cho hệ thống một cửa điện tử');
    expect(noticeDate(rejected!)).toBe('2022-12-16');
  });

  it('20/12/2022: the unit is reminded 14 days before the (working-day adjusted) due date 03/01/2023', async () => {
    await until('2022-12-20T12:00');
    const id = wf('response-plan', ON_TIME);
    const [reminder] = await waitMails(id, 'reminder', ON_TIME);
    expect(noticeDate(reminder!)).toBe('2022-12-20');
    expect(await recipients(id, 'reminder')).toEqual([[ON_TIME]]);
    expect(reminder!.subject).toContain('3968/UBND-KGVX');
    expect(reminder!.text).toContain('03/01/2023');
    // 31/12/2022 is a Saturday and 02/01/2023 the observed New Year holiday.
    expect((await state(id)).due).toBe('2023-01-03');
  });

  it('26–29/12/2022: on-time completion, resubmission accepted, an extension approved to 31/01/2023', async () => {
    await until('2022-12-26T09:00');
    await cli('submit', '--directive', D, '--obligation', 'response-plan', '--unit', ON_TIME, '--file', 'ke-hoach-ung-cuu.pdf', '--field', 'issued-on=2022-12-23');
    await cli('submit', '--directive', D, '--obligation', 'response-plan', '--unit', REJECTED, '--file', 'ke-hoach-ung-cuu.pdf', '--field', 'issued-on=2022-12-26', '--note', 'Đã bổ sung kịch bản');
    await cli('extend', 'request', '--directive', D, '--obligation', 'response-plan', '--unit', EXTENDED, '--until', '2023-01-31', '--reason', 'Chờ kết quả đánh giá cấp độ hệ thống');

    await until('2022-12-27T09:00');
    await cli('review', 'accept', '--directive', D, '--obligation', 'response-plan', '--unit', ON_TIME);
    await cli('review', 'accept', '--directive', D, '--obligation', 'response-plan', '--unit', REJECTED);
    await cli('extend', 'approve', '--directive', D, '--obligation', 'response-plan', '--unit', EXTENDED);

    const onTime = await state(wf('response-plan', ON_TIME));
    expect(onTime.status).toBe('completed-on-time');
    const resubmitted = await state(wf('response-plan', REJECTED));
    expect(resubmitted.status).toBe('completed-on-time');
    expect(resubmitted.submissions.map((s) => s.decision)).toEqual(['reject', 'accept']);
    const extended = await state(wf('response-plan', EXTENDED));
    expect(extended).toMatchObject({ due: '2023-01-31', originalDue: '2023-01-03', status: 'in-progress' });
    await waitMails(wf('response-plan', EXTENDED), 'extension-decided', EXTENDED);
    expect(await recipients(wf('response-plan', EXTENDED), 'extension-requested')).toEqual([['so-tttt']]);
    expect(await recipients(wf('response-plan', EXTENDED), 'extension-decided')).toEqual([[EXTENDED]]);

    // The on-time unit was not reminded again once it had submitted (the 3-day reminder was 31/12).
    await until('2023-01-02T12:00');
    expect(mails(wf('response-plan', ON_TIME), 'reminder', ON_TIME)).toHaveLength(1);
    expect(await recipients(wf('response-plan', ON_TIME), 'reminder')).toEqual([[ON_TIME]]);
  });

  it('a unit that never submits is escalated to the DIC on 04/01/2023 and to the Chairman on 11/01/2023', async () => {
    const id = wf('response-plan', SILENT);
    await until('2023-01-03T20:00');
    expect(mails(id, 'escalation')).toHaveLength(0);
    expect((await state(id)).status).toBe('in-progress');

    await until('2023-01-04T08:00');
    const [coordinator] = await waitMails(id, 'escalation', 'so-tttt');
    expect(noticeDate(coordinator!)).toBe('2023-01-04');
    expect(coordinator!.text).toContain('Sở Công Thương');
    expect(mails(id, 'escalation', 'chu-tich-ubnd')).toHaveLength(0);
    expect(await recipients(id, 'escalation')).toEqual([['so-tttt']]);
    expect((await state(id)).status).toBe('overdue');
    expect(mails(id, 'overdue', SILENT)).toHaveLength(1);
    expect(await recipients(id, 'overdue')).toEqual([[SILENT]]);

    await until('2023-01-10T20:00');
    expect(mails(id, 'escalation', 'chu-tich-ubnd')).toHaveLength(0);
    await until('2023-01-11T08:00');
    const [leadership] = await waitMails(id, 'escalation', 'chu-tich-ubnd');
    expect(noticeDate(leadership!)).toBe('2023-01-11');
    expect(await recipients(id, 'escalation')).toEqual([['chu-tich-ubnd'], ['so-tttt']]);
    // The late unit keeps being reminded after the due date, and only the unit.
    expect(mails(id, 'reminder', SILENT).length).toBeGreaterThanOrEqual(2);
    expect(new Set((await recipients(id, 'reminder')).map((r) => r.join(',')))).toEqual(new Set([SILENT]));

    // The extended unit was not escalated at the original due date.
    expect(mails(wf('response-plan', EXTENDED), 'escalation')).toHaveLength(0);

    const overdue = await cli('status', D, '--overdue', '--as-of', '2023-01-11');
    expect(overdue).toContain(SILENT);
    expect(overdue).toContain('quá hạn chưa hoàn thành');
    const rows = (JSON.parse(await cli('status', D, '--overdue', '--as-of', '2023-01-11', '--json')) as { rows: { unitId: string; obligationId: string }[] }).rows;
    const late = rows.filter((r) => r.obligationId === 'response-plan').map((r) => r.unitId);
    expect(late).toEqual([SILENT]);
  });

  it('20/01/2023: the extended unit completes on time against its new due date', async () => {
    await until('2023-01-20T09:00');
    await cli('submit', '--directive', D, '--obligation', 'response-plan', '--unit', EXTENDED, '--file', 'ke-hoach-ung-cuu.pdf', '--field', 'issued-on=2023-01-19');
    await until('2023-01-20T15:00');
    await cli('review', 'accept', '--directive', D, '--obligation', 'response-plan', '--unit', EXTENDED);
    const s = await state(wf('response-plan', EXTENDED));
    expect(s).toMatchObject({ status: 'completed-on-time', due: '2023-01-31', originalDue: '2023-01-03' });
    expect(mails(wf('response-plan', EXTENDED), 'escalation')).toHaveLength(0);
  });

  it('the six-monthly vulnerability scan recurs: a new cycle counts from each completion', async () => {
    const id = wf('vulnerability-scan', ON_TIME);
    expect((await state(id))).toMatchObject({ cycle: 1, due: '2023-05-29' });

    await until('2023-05-15T09:00');
    await cli('submit', '--directive', D, '--obligation', 'vulnerability-scan', '--unit', ON_TIME, '--file', 'bao-cao-ra-quet.pdf', '--field', 'systems-scanned=12', '--field', 'critical-findings=0');
    await until('2023-05-16T09:00');
    await cli('review', 'accept', '--directive', D, '--obligation', 'vulnerability-scan', '--unit', ON_TIME);
    const second = await state(id);
    expect(second.cycle).toBe(2);
    expect(second.due).toBe('2023-11-16');

    await until('2023-11-01T09:00');
    await cli('submit', '--directive', D, '--obligation', 'vulnerability-scan', '--unit', ON_TIME, '--file', 'bao-cao-ra-quet.pdf', '--field', 'systems-scanned=12', '--field', 'critical-findings=1');
    await until('2023-11-02T09:00');
    await cli('review', 'accept', '--directive', D, '--obligation', 'vulnerability-scan', '--unit', ON_TIME);
    const third = await state(id);
    expect(third.cycle).toBe(3);
    // 02/11/2023 + 6 months = 02/05/2024, a Thursday, the first working day after the 30/4–1/5 holidays.
    expect(third.due).toBe('2024-05-02');
    expect(third.status).toBe('in-progress');
  });

  it('the annual drill window closes on 28/11/2023 undone: escalated, then the next window opens', async () => {
    const id = wf('live-drill', ON_TIME);
    expect((await state(id))).toMatchObject({ cycle: 1, due: '2023-11-28' });
    await until('2023-11-29T08:00');
    const [coordinator] = await waitMails(id, 'escalation', 'so-tttt');
    expect(noticeDate(coordinator!)).toBe('2023-11-29');
    expect(await recipients(id, 'escalation')).toEqual([['so-tttt']]);
    await until('2023-12-13T08:00');
    const [leadership] = await waitMails(id, 'escalation', 'chu-tich-ubnd');
    expect(noticeDate(leadership!)).toBe('2023-12-13');
    expect(await recipients(id, 'escalation')).toEqual([['chu-tich-ubnd'], ['so-tttt']]);
    await until('2023-12-20T08:00');
    expect((await state(id))).toMatchObject({ cycle: 2, due: '2024-11-28' });
  });

  it('31/12/2023: the year ends with each unit’s record in the status report', async () => {
    await until('2023-12-31T12:00');
    const report = JSON.parse(await cli('status', D, '--json')) as { rows: { unitId: string; obligationId: string; status: string }[] };
    const byKey = new Map(report.rows.map((r) => [`${r.obligationId}/${r.unitId}`, r.status]));
    expect(byKey.get(`response-plan/${ON_TIME}`)).toBe('completed-on-time');
    expect(byKey.get(`response-plan/${REJECTED}`)).toBe('completed-on-time');
    expect(byKey.get(`response-plan/${EXTENDED}`)).toBe('completed-on-time');
    expect(byKey.get(`response-plan/${SILENT}`)).toBe('overdue');
    expect(byKey.get(`vulnerability-scan/${ON_TIME}`)).toBe('in-progress');
    // The silent unit was reminded weekly for four weeks past its due date (03/01/2023), then every
    // four weeks: 15 overdue reminders in the year, not 51.
    const overdueReminders = mails(wf('response-plan', SILENT), 'reminder', SILENT)
      .map(noticeDate)
      .filter((d) => d! > '2023-01-03')
      .sort();
    // Once overdue and told so, the unit's repeated reminders go in its weekly letter: Monday 08:00,
    // or the first working day of the week (Tết 20–26/01/2023: Friday 27/01, which carries the
    // reminders of 18/01 and 25/01 together; 01/05 and 02/05 are holidays too).
    expect(overdueReminders.slice(0, 7)).toEqual(['2023-01-16', '2023-01-27', '2023-02-06', '2023-03-06', '2023-04-03', '2023-05-04', '2023-05-29']);
    expect(overdueReminders).toHaveLength(14);
    expect(new Set((await recipients(wf('response-plan', SILENT), 'reminder')).map((r) => r.join(',')))).toEqual(new Set([SILENT]));
    const vn = loadCalendar('vn');
    for (const d of overdueReminders) expect(vn.isDayOff(d!)).toBe(false);
    // Every e-mail went to exactly one address, a unit's own.
    expect(sc.smtp.messages.filter((m) => m.to.length !== 1)).toEqual([]);
    const addresses = new Set(Object.values(sc.plan.units).map((u) => u.email));
    expect([...new Set(sc.smtp.messages.flatMap((m) => m.to))].filter((a) => !addresses.has(a))).toEqual([]);
    // Nothing was e-mailed twice: every idempotency key arrived once.
    const keys = sc.smtp.messages.map((m) => m.headers['x-chithi-idempotency-key']);
    expect(new Set(keys).size).toBe(keys.length);
    // And nobody got two daily letters on one day: reminders, overdue notices and escalations
    // of a day share one e-mail (answers to a person's action and assignment letters are apart).
    const perDay = new Map<string, number>();
    for (const m of sc.smtp.messages) {
      const key = m.headers['x-chithi-idempotency-key'] ?? '';
      if (!key.startsWith('letter:') || m.subject.includes('Giao nhiệm vụ')) continue;
      const day = `${m.to.join(',')} ${noticeDate(m)}`;
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    expect(perDay.size).toBeGreaterThan(10);
    expect([...perDay].filter(([, n]) => n > 1)).toEqual([]);
  });
});
