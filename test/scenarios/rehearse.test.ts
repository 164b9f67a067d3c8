/**
 * `chithi rehearse directives/hanoi-3968-2022.yaml --to 2023-12-31 --assume silent` against the Hanoi
 * year scenario: the same seed deployed on 28/11/2022 09:00 with the scenario harness (loopback SMTP,
 * its own database, the four departments of hanoi-year.test.ts, none of them acting) and run to the
 * end of 31/12/2023. Every notice about those departments' duties, and every e-mail that carried
 * one, must be in the rehearsal as the scenario received it: same key, recipient, kind and time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { main } from '../../client/cli.js';
import { rehearsedNotices } from '../../activities/store/index.js';
import type { Rehearsal, RehearsalSummary } from '../../service/rehearse.js';
import { deploy } from '../../service/deploy.js';
import { instanceWorkflowId } from '../../workflows/types.js';
import { narrow, ROOT, startScenario, type Scenario } from './harness.js';

const D = 'hanoi-3968-2022';
const TZ = 'Asia/Ho_Chi_Minh';
// The departments of hanoi-year.test.ts; there one never submits (so-cong-thuong), here none does.
const UNITS = ['so-y-te', 'so-cong-thuong', 'so-gtvt', 'so-tai-chinh'];
const SILENT = 'so-cong-thuong';

type Output = Rehearsal & { summary: RehearsalSummary };

const minute = (at: string) => DateTime.fromISO(at, { setZone: true }).setZone(TZ).toFormat("yyyy-MM-dd'T'HH:mm");
const iso = (at: string) => new Date(at).toISOString();
const localDate = (at: string) => DateTime.fromISO(at, { setZone: true }).setZone(TZ).toISODate()!;

describe('chithi rehearse: the Hanoi year, notice for notice', () => {
  let sc: Scenario | undefined;
  /** What the scenario's inbox got: `<notice key> <recipient> <kind> <local minute>`. */
  let scenarioNotices: string[] = [];
  /** What the scenario received by e-mail: `<notice key> <recipient> <e-mail time>`, one per notice an e-mail carried. */
  let scenarioMail: string[] = [];
  let scenarioEmails = 0;
  let out: Output;
  let stderr = '';

  beforeAll(async () => {
    sc = await startScenario('directives/hanoi-3968-2022.yaml', { asOf: '2022-11-28', at: '2022-11-28T09:00' });
    await deploy(narrow(sc.plan, UNITS), { client: sc.env.client, pool: sc.db.pool, clockOffsetMs: sc.offset });
    const end = '2024-01-01T00:00';
    await sc.until(end);
    const received = await sc.carried();
    scenarioEmails = received.length;
    scenarioMail = received.flatMap(({ mail, keys }) =>
      keys.map((k) => {
        const [notice, to] = k.split(':email:') as [string, string];
        return `${notice} ${to} ${iso(mail.headers['x-chithi-notice-at']!)}`;
      }),
    );
    scenarioNotices = (await rehearsedNotices(sc.db.pool, D, DateTime.fromISO(end, { zone: TZ }).toJSDate())).map((n) => `${n.noticeKey} ${n.recipient} ${n.kind} ${minute(n.at)}`);
    await sc.close();
    sc = undefined;

    let stdout = '';
    const code = await main(['rehearse', 'directives/hanoi-3968-2022.yaml', '--to', '2023-12-31', '--assume', 'silent', '--json'], {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      cwd: ROOT,
      env: { ...process.env, CHITHI_LANG: 'vi' },
    });
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    out = JSON.parse(stdout) as Output;
  }, 1_200_000);

  afterAll(async () => {
    await sc?.close();
  });

  it('rehearses the whole directive from its issue date, as the scenario deployed it', () => {
    expect(out).toMatchObject({ from: '2022-11-28', to: '2023-12-31', assume: 'silent', directive: { id: D, number: '3968/UBND-KGVX', timezone: TZ } });
    expect(out.instances).toBe(515);
    expect(stderr).toContain('Diễn tập 3968/UBND-KGVX từ 28/11/2022 đến 31/12/2023');
  });

  it('every notice about the four departments is the one the scenario issued: key, recipient, kind, time', () => {
    const about = new Set(UNITS);
    const rehearsed = out.notices.filter((n) => about.has(n.unit!)).map((n) => `${n.key} ${n.recipient} ${n.kind} ${minute(n.at)}`);
    expect(scenarioNotices.length).toBeGreaterThan(100);
    expect(rehearsed.sort()).toEqual([...scenarioNotices].sort());
  });

  it('every notice the scenario received by e-mail is e-mailed in the rehearsal at the same time, and no other', () => {
    const about = new Set(UNITS);
    const rehearsed = out.notices.filter((n) => about.has(n.unit!) && n.email?.at !== undefined).map((n) => `${n.key} ${n.recipient} ${iso(n.email!.at!)}`);
    expect(scenarioEmails).toBeGreaterThan(20);
    expect(rehearsed.sort()).toEqual([...scenarioMail].sort());
  });

  it('says what hanoi-year.test.ts checks of the silent unit: escalated 04/01 and 11/01/2023, 14 overdue reminder letters', () => {
    const id = instanceWorkflowId(D, 'response-plan', SILENT);
    const of = (kind: string, to: string) => out.notices.filter((n) => n.key.startsWith(`${id}:`) && n.kind === kind && n.recipient === to);
    expect(of('escalation', 'so-tttt').map((n) => localDate(n.email!.at!))).toEqual(['2023-01-04']);
    expect(of('escalation', 'chu-tich-ubnd').map((n) => localDate(n.email!.at!))).toEqual(['2023-01-11']);
    expect(of('overdue', SILENT)).toHaveLength(1);
    // One letter may carry two reminders (Tết: 27/01 carries those of 18/01 and 25/01): count letters.
    const letters = [...new Set(of('reminder', SILENT).filter((n) => n.email?.at && localDate(n.email.at) > '2023-01-03').map((n) => localDate(n.email!.at!)))].sort();
    expect(letters.slice(0, 7)).toEqual(['2023-01-16', '2023-01-27', '2023-02-06', '2023-03-06', '2023-04-03', '2023-05-04', '2023-05-29']);
    expect(letters).toHaveLength(14);
  });

  it('summarises notices and e-mails per recipient and month; nobody gets two daily letters a day', () => {
    const { perRecipientMonth, busiestDays, totals } = out.summary;
    expect(perRecipientMonth.reduce((n, c) => n + c.notices, 0)).toBe(out.notices.length);
    expect(perRecipientMonth.reduce((n, c) => n + c.emails, 0)).toBe(out.emails.length);
    expect(totals).toMatchObject({ notices: out.notices.length, emails: out.emails.length });
    // The coordinator hears of every late unit: it gets more notices than anyone, leadership next.
    const byRecipient = new Map<string, number>();
    for (const c of perRecipientMonth) byRecipient.set(c.recipient, (byRecipient.get(c.recipient) ?? 0) + c.notices);
    expect([...byRecipient].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([r]) => r)).toEqual(['so-tttt', 'chu-tich-ubnd']);
    expect(busiestDays).toHaveLength(5);
    expect(busiestDays[0]!.notices).toBeGreaterThanOrEqual(busiestDays[4]!.notices);
    const perDay = new Map<string, number>();
    for (const e of out.emails) {
      if (!e.letter || e.subject.includes('Giao nhiệm vụ')) continue;
      const k = `${e.recipient} ${localDate(e.at)}`;
      perDay.set(k, (perDay.get(k) ?? 0) + 1);
    }
    expect([...perDay].filter(([, n]) => n > 1)).toEqual([]);
  });
});
