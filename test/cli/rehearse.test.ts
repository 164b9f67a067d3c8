/**
 * `chithi rehearse` on the compiler's test directive (test/compiler/fixtures/valid.yaml, issued
 * 22/04/2024, its own test calendar): what a policy author reads, in the table, the JSON and the
 * CSV; --unit, --assume on-time, and the mistakes an author makes. The Hanoi year, notice for
 * notice against the scenario harness, is test/scenarios/rehearse.test.ts.
 */
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../client/cli.js';
import type { Rehearsal, RehearsalSummary, RehearsedNotice } from '../../service/rehearse.js';
import { ROOT } from '../../common/config.js';

const FIXTURES = join(ROOT, 'test', 'compiler', 'fixtures');
const env = { ...process.env, CHITHI_CALENDAR_DIR: join(FIXTURES, 'calendars'), CHITHI_LANG: 'vi' };
const TZ = 'Asia/Ho_Chi_Minh';
/** The assignees of clause 1.4 (contact-point, due Saturday 27/04/2024, moved to Monday 29/04). */
const CONTACT_POINT_UNITS = ['huyen-x', 'huyen-y', 'so-a', 'so-b', 'so-c'];

type Output = Rehearsal & { unit?: string; summary: RehearsalSummary };

async function run(args: string[], lang?: 'vi' | 'en') {
  let stdout = '';
  let stderr = '';
  const code = await main(lang ? [...args, '--lang', lang] : args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: FIXTURES,
    env,
  });
  return { code, stdout, stderr };
}

const local = (at: string) => DateTime.fromISO(at, { setZone: true }).setZone(TZ).toFormat('dd/MM/yyyy HH:mm');
const about = (o: Output, obligation: string, kind: string) => o.notices.filter((n) => n.obligation === obligation && n.kind === kind);
const pairs = (ns: RehearsedNotice[]) => ns.map((n) => `${n.unit}→${n.recipient} ${local(n.at)}`).sort();

describe('chithi rehearse, units silent (22/04 → 30/06/2024)', () => {
  let out: Output;
  let stderr = '';

  beforeAll(async () => {
    const r = await run(['rehearse', 'valid.yaml', '--to', '2024-06-30', '--json']);
    stderr = r.stderr;
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    out = JSON.parse(r.stdout) as Output;
  });

  it('--json: the directive, the period, every notice and e-mail, and the summary', () => {
    expect(out).toMatchObject({ directive: { id: 'test-1-2024', number: '1/UBND-TEST', timezone: TZ }, from: '2024-04-22', to: '2024-06-30', assume: 'silent', actions: { submitted: 0, accepted: 0 } });
    // Five contact points, the ongoing duty of two departments, the offset deadline of so-a; the
    // scan waits for the contact point, the event duty for an event.
    expect(out.instances).toBe(11);
    for (const n of out.notices) {
      expect(Object.keys(n)).toEqual(expect.arrayContaining(['at', 'recipient', 'kind', 'obligation', 'clause', 'unit', 'key']));
      expect(n.at >= '2024-04-22T02:00:00.000Z' && n.at < '2024-06-30T17:00:00.000Z').toBe(true);
    }
    for (const e of out.emails) expect(Object.keys(e).sort()).toEqual(['address', 'at', 'key', 'letter', 'notices', 'recipient', 'subject']);
    expect(Object.keys(out.summary).sort()).toEqual(['busiestDays', 'perRecipientMonth', 'totals']);
    expect(stderr).toContain('Diễn tập 1/UBND-TEST từ 22/04/2024 đến 30/06/2024: các đơn vị không nộp gì (silent)');
  });

  it('each unit is given its tasks at deployment, reminded the day before, told it is overdue, and escalated at once and a week later', () => {
    expect(pairs(about(out, 'contact-point', 'opened').filter((n) => n.recipient === n.unit))).toEqual(CONTACT_POINT_UNITS.map((u) => `${u}→${u} 22/04/2024 09:00`));
    expect(pairs(about(out, 'contact-point', 'reminder').filter((n) => local(n.at).startsWith('28/04')))).toEqual(CONTACT_POINT_UNITS.map((u) => `${u}→${u} 28/04/2024 00:00`));
    expect(pairs(about(out, 'contact-point', 'overdue'))).toEqual(CONTACT_POINT_UNITS.map((u) => `${u}→${u} 30/04/2024 00:00`));
    expect(pairs(about(out, 'contact-point', 'escalation'))).toEqual(
      [...CONTACT_POINT_UNITS.map((u) => `${u}→so-a 30/04/2024 00:00`), ...CONTACT_POINT_UNITS.map((u) => `${u}→chu-tich 07/05/2024 00:00`)].sort(),
    );
    // The cooperating coordinator is told of each assignment too.
    expect(about(out, 'contact-point', 'opened').filter((n) => n.recipient === 'so-a' && n.unit !== 'so-a').map((n) => n.unit).sort()).toEqual(['huyen-x', 'huyen-y', 'so-b', 'so-c']);
    expect(out.notices.every((n) => n.clause === { 'contact-point': '1.4', awareness: '3', 'by-offset': '4.a', scan: '1.b' }[n.obligation!])).toBe(true);
  });

  it('only so-a has an address: its notices go in its letters (assignment at 09:06, daily at 08:00), the others only to the inbox', () => {
    for (const n of out.notices) {
      if (n.recipient !== 'so-a') expect(n.email).toBeUndefined();
      else expect(n.email).toBeDefined();
    }
    expect(out.emails.every((e) => e.recipient === 'so-a' && e.letter)).toBe(true);
    expect(local(out.emails[0]!.at)).toBe('22/04/2024 09:06');
    expect(out.emails.slice(1).every((e) => local(e.at).endsWith('08:00'))).toBe(true);
    // Its escalation of 30/04 00:00 goes in that morning's letter, with its own overdue notice.
    const letter = about(out, 'contact-point', 'escalation').find((n) => n.recipient === 'so-a')!.email!;
    expect(local(letter.at!)).toBe('30/04/2024 08:00');
    expect(out.emails.find((e) => e.key === letter.letter)!.notices).toBe(6);
    // A reminder after the last letter of the rehearsal waits for one after it.
    expect(out.notices.filter((n) => n.email?.heldUntil).map((n) => local(n.email!.heldUntil!))).toEqual(['01/07/2024 08:00', '01/07/2024 08:00']);
  });

  it('the summary counts notices and e-mails per recipient and month, and the busiest days', () => {
    const { perRecipientMonth, busiestDays, totals } = out.summary;
    expect(totals).toEqual({ notices: out.notices.length, emails: out.emails.length, letters: out.emails.length, recipients: 6 });
    const soA = perRecipientMonth.filter((c) => c.recipient === 'so-a');
    expect(soA.map((c) => c.month)).toEqual(['2024-04', '2024-05', '2024-06']);
    expect(soA.reduce((n, c) => n + c.emails, 0)).toBe(out.emails.length);
    expect(perRecipientMonth.filter((c) => c.recipient === 'chu-tich')).toEqual([{ recipient: 'chu-tich', month: '2024-05', notices: 6, emails: 0 }]);
    expect(busiestDays[0]).toEqual({ date: '2024-04-22', notices: 12, emails: 1, recipients: 5 });
    expect(busiestDays[1]).toMatchObject({ date: '2024-04-30', notices: 10 });
  });
});

describe('chithi rehearse --unit, --csv, --assume on-time', () => {
  it('--unit: the table lists only what is sent to or about that unit, with the summary; English on request', async () => {
    const r = await run(['rehearse', 'valid.yaml', '--to', '2024-05-31', '--unit', 'huyen-x'], 'en');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('1/UBND-TEST — rehearsal 22/04/2024 → 31/05/2024, units never submit (silent); only what is sent to or about huyen-x');
    const header = lines.findIndex((l) => l.startsWith('When'));
    expect(lines[header]).toMatch(/^When +Recipient +Kind +Clause +Unit +Due +E-mail$/);
    const rows = lines.slice(header + 2, lines.indexOf('', header));
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) expect(row.split(/ {2,}/).slice(1, 5).filter((c) => c === 'huyen-x').length).toBeGreaterThan(0);
    expect(rows).toContain('30/04/2024 00:00  so-a       escalation  1.4     huyen-x  29/04/2024  30/04/2024 08:00');
    expect(rows).toContain('07/05/2024 00:00  chu-tich   escalation  1.4     huyen-x  29/04/2024  (no address)');
    expect(r.stdout).toContain('Notices/e-mails per recipient and month');
    expect(r.stdout).toMatch(/\nhuyen-x +\d+\/0 +\d+\/0 +\d+\/0\n/);
    expect(r.stdout).toContain('The 5 busiest days');
  });

  it('--csv: one row per notice, with a header, times at the directive\'s offset (a notice\'s own to the millisecond the workflow issued it)', async () => {
    const r = await run(['rehearse', 'valid.yaml', '--to', '2024-05-10', '--unit', 'so-a', '--csv']);
    expect(r.code).toBe(0);
    const rows = parseCsv(r.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['at', 'recipient', 'kind', 'obligation', 'clause', 'unit', 'cycle', 'due', 'email_at', 'email_held_until', 'letter', 'key']);
    expect(rows.every((x) => x.recipient === 'so-a' || x.unit === 'so-a')).toBe(true);
    expect(rows.find((x) => x.kind === 'escalation' && x.unit === 'so-b' && x.recipient === 'so-a')).toMatchObject({ at: expect.stringMatching(/^2024-04-30T00:00:00(\.\d+)?\+07:00$/), clause: '1.4', due: '2024-04-29', email_at: '2024-04-30T08:00:00+07:00' });
  });

  it('--assume on-time: each unit submits three days before the due date and is accepted; nobody is overdue or escalated', async () => {
    const r = await run(['rehearse', 'valid.yaml', '--to', '2024-06-30', '--assume', 'on-time', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Output;
    expect(out.assume).toBe('on-time');
    expect(out.notices.filter((n) => n.kind === 'overdue' || n.kind === 'escalation')).toEqual([]);
    expect(pairs(about(out, 'contact-point', 'accepted'))).toEqual(CONTACT_POINT_UNITS.map((u) => `${u}→${u} 26/04/2024 09:00`));
    // The reviewer (the coordinator) is told of each submission at once.
    expect(about(out, 'contact-point', 'submitted').map((n) => n.recipient)).toEqual(Array(5).fill('so-a'));
    expect(out.actions.submitted).toBe(out.actions.accepted);
    expect(out.actions.submitted).toBeGreaterThanOrEqual(6);
    // The scan opens once the contact point is done (level-3 and telecom units).
    expect(about(out, 'scan', 'opened').length).toBeGreaterThan(0);
  });

  it('--assume late: the unit is overdue and reported to the coordinator, submits a week after the due date, and the Chairman never hears of it', async () => {
    const r = await run(['rehearse', 'valid.yaml', '--to', '2024-05-31', '--assume', 'late', '--unit', 'so-b', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Output;
    expect(out.unit).toBe('so-b');
    const cp = out.notices.filter((n) => n.obligation === 'contact-point').map((n) => `${n.kind} ${n.recipient} ${local(n.at)}`);
    expect(cp).toEqual([
      'opened so-b 22/04/2024 09:00',
      'opened so-a 22/04/2024 09:00',
      'reminder so-b 28/04/2024 00:00',
      'escalation so-a 30/04/2024 00:00',
      'overdue so-b 30/04/2024 00:00',
      'submitted so-a 06/05/2024 09:00',
      'accepted so-b 06/05/2024 09:00',
    ]);
  });
});

describe('chithi rehearse: mistakes say what is wrong, with an exit code and no stack trace', () => {
  it('a unit not in the directive: exit 1, with did-you-mean, before anything runs', async () => {
    const r = await run(['rehearse', 'valid.yaml', '--unit', 'huyen-xx'], 'en');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('chithi: unit `huyen-xx` is not in directive test-1-2024 — did you mean `huyen-x`?\n');
  });

  it('--to before --from, a bad date, an unknown --assume, --json with --csv: usage errors, exit 2', async () => {
    const before = await run(['rehearse', 'valid.yaml', '--from', '2024-05-01', '--to', '2024-04-30']);
    expect(before.code).toBe(2);
    expect(before.stderr).toBe('chithi: --to (2024-04-30) đứng trước --from (2024-05-01).\nXem: chithi rehearse --help\n');
    const beforeIssue = await run(['rehearse', 'valid.yaml', '--to', '2024-01-01'], 'en');
    expect(beforeIssue.code).toBe(2);
    expect(beforeIssue.stderr).toContain('--to (2024-01-01) is before the issue date 2024-04-22; add --from.');
    expect((await run(['rehearse', 'valid.yaml', '--to', '2024-02-30'])).code).toBe(2);
    const assume = await run(['rehearse', 'valid.yaml', '--assume', 'sometimes'], 'en');
    expect(assume.code).toBe(2);
    expect(assume.stderr).toContain('--assume takes silent, on-time, late (got: sometimes).');
    expect((await run(['rehearse', 'valid.yaml', '--json', '--csv'])).code).toBe(2);
    expect((await run(['rehearse'])).code).toBe(2);
  });

  it('a directive that does not compile: its diagnostics, exit 1', async () => {
    const r = await run(['rehearse', 'broken.yaml'], 'en');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('broken.yaml:23:5: error[unknown-property]: unknown property `dua` — did you mean `due`?');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = await run(['rehearse', 'nope.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help in both languages names every flag and the assumptions', async () => {
    for (const lang of ['vi', 'en'] as const) {
      const r = await run(['rehearse', '--help'], lang);
      expect(r.code).toBe(0);
      for (const flag of ['--from', '--to', '--unit', '--assume silent|on-time|late', '--json', '--csv']) expect(r.stdout).toContain(flag);
    }
  });
});
