import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '../../service/deploy.js';
import { instanceWorkflowId } from '../../workflows/types.js';
import { getInstance, listInstances } from '../../activities/store/index.js';
import { startClientHarness, type ClientHarness } from './harness.js';

const D = 'test-directive';
const wf = (o: string, u: string, e?: string) => instanceWorkflowId(D, o, u, e);

/*
 * The harness runs on the time-skipping server's clock, which starts at the real date, and the CLI
 * (status --overdue, extension checks) reads the real date too. Dates this test needs in the future
 * (not yet overdue, an extension the workflow accepts) are therefore taken from next year on, not
 * written as 2027: with fixed dates the drill fell due on 30/10/2027 and the test failed from then.
 * The past ones (contact-point due 2026-02-27, the attack of 2026-11-01) stay past in any year.
 */
const NEXT = new Date().getFullYear() + 1;
const DRILL_DUE = `${NEXT}-10-30`;
const PLAN_DUE = `${NEXT}-12-31`;
const AMENDED_DUE = `${NEXT + 1}-03-31`;
const EXTENDED_TO = `${NEXT}-01-31`;
const dmy = (iso: string) => iso.split('-').reverse().join('/');
const dates = { drillDue: DRILL_DUE, futureDue: PLAN_DUE };

describe('deploy, amend, withdraw, events, submissions (time-skipping server + PostgreSQL + worker)', () => {
  let h: ClientHarness;
  beforeAll(async () => {
    h = await startClientHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const statusOf = async (id: string) => (await getInstance(h.db.pool, id))?.status;
  const waitStatus = (id: string, ok: (s: string | undefined) => boolean) => h.until(`status of ${id}`, () => statusOf(id), ok);

  it('deploys once; deploying again starts nothing', async () => {
    const file = h.writeDirective(dates);
    const first = await h.cli(['deploy', file, '--as-of', '2026-01-05']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('started 6');

    const second = await h.cli(['deploy', file, '--as-of', '2026-01-05']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already deployed');

    const again = await deploy(await h.compile(file), { client: h.env.client, pool: h.db.pool });
    expect(again).toMatchObject({ alreadyDeployed: true, started: 0, amended: 0, withdrawn: 0, unchanged: 6 });

    const rows = await h.until('6 instances recorded', () => listInstances(h.db.pool, D), (r) => r.length === 6);
    expect(new Set(rows.map((r) => r.workflowId)).size).toBe(6);
  });

  it('status --overdue lists the overdue obligations only', async () => {
    // contact-point was due 2026-02-27: long past on the server clock.
    await waitStatus(wf('contact-point', 'so-y-te'), (s) => s === 'overdue');
    await waitStatus(wf('contact-point', 'so-gd'), (s) => s === 'overdue');
    const r = await h.cli(['status', D, '--overdue']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('contact-point');
    expect(r.stdout).toContain('27/02/2026');
    expect(r.stdout).not.toContain('plan-2027');
    expect(r.stdout).toContain('overdue, not completed: 2');

    const all = await h.cli(['status', D, '--json']);
    const report = JSON.parse(all.stdout) as { rows: { obligationId: string }[] };
    expect(report.rows).toHaveLength(6);

    const vi = await h.cli(['status', D, '--lang', 'vi', '--unit', 'so-gd']);
    expect(vi.stdout).toContain('quá hạn chưa hoàn thành');
    expect(vi.stdout).not.toContain('so-y-te');
  });

  it('status tells when notices could not be delivered by e-mail', async () => {
    const ok = await h.cli(['status', D, '--lang', 'en']);
    expect(ok.stdout).not.toContain('not delivered');
    // What the dispatcher leaves after three days of a dead mail relay (test/activities/delivery.test.ts).
    await h.db.pool.query(
      `UPDATE outbox SET sent_at = NULL, gave_up_at = now()
        WHERE id = (SELECT min(id) FROM outbox WHERE directive_id = $1 AND unit_id = 'so-gd')`,
      [D],
    );
    const en = await h.cli(['status', D, '--lang', 'en']);
    expect(en.stdout).toContain('Notices not delivered by e-mail/webhook after 3 days of retries: 1');
    const vi = await h.cli(['status', D, '--lang', 'vi', '--unit', 'so-gd']);
    expect(vi.stdout).toContain('Thông báo không gửi được qua e-mail/webhook sau 3 ngày thử lại: 1');
    expect((await h.cli(['status', D, '--unit', 'so-y-te', '--lang', 'en'])).stdout).not.toContain('not delivered');
    const json = JSON.parse((await h.cli(['status', D, '--json'])).stdout) as { notices: unknown };
    expect(json.notices).toMatchObject({ undelivered: 1 });
  });

  it('refuses a submission with a missing required field and stores nothing', async () => {
    const count = async () => Number((await h.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM submissions')).rows[0]!.n);
    const before = await count();
    const r = await h.cli(['submit', '--directive', D, '--obligation', 'contact-point', '--unit', 'so-y-te', '--field', 'officer=Nguyễn Văn A', '--field', 'phone=024 3825 1234']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"email"');
    const bad = await h.cli(['submit', '--directive', D, '--obligation', 'contact-point', '--unit', 'so-y-te', '--field', 'officer=A', '--field', 'phone=12', '--field', 'email=a@b.vn']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"phone"');
    const unknown = await h.cli(['submit', '--directive', D, '--obligation', 'contact-point', '--unit', 'so-y-te', '--field', 'fax=1']);
    expect(unknown.stderr).toContain('"fax"');
    const missingFile = await h.cli(['submit', '--directive', D, '--obligation', 'plan-2027', '--unit', 'so-y-te', '--file', 'nope.pdf']);
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toContain('nope.pdf');
    expect(await count()).toBe(before);
    expect((await h.state(wf('contact-point', 'so-y-te'))).submissions).toHaveLength(0);
  });

  it('an amended plan changes the running due date, keeps earlier submissions, withdraws removed obligations', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(h.dir, 'plan.pdf'), 'Kế hoạch 2027');
    await waitStatus(wf('plan-2027', 'so-y-te'), (s) => s === 'in-progress' || s === 'not-yet-due');
    const sub = await h.cli(['submit', '--directive', D, '--obligation', 'plan-2027', '--unit', 'so-y-te', '--file', 'plan.pdf', '--note', 'bản nháp']);
    expect(sub.stderr).toBe('');
    expect(sub.code).toBe(0);
    await waitStatus(wf('plan-2027', 'so-y-te'), (s) => s === 'awaiting-review');

    const amended = h.writeDirective({ revision: 2, futureDue: AMENDED_DUE, withoutDrill: true });
    const r = await h.cli(['deploy', amended, '--as-of', '2026-01-05']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('amended 2, withdrawn 2, unchanged 2');

    const state = await h.until('amended due', () => h.state(wf('plan-2027', 'so-y-te')), (s) => s.due === AMENDED_DUE);
    expect(state.submissions).toHaveLength(1);
    expect(state.status).toBe('awaiting-review');
    await waitStatus(wf('drill', 'so-gd'), (s) => s === 'withdrawn');
    await waitStatus(wf('drill', 'so-y-te'), (s) => s === 'withdrawn');
    expect(await statusOf(wf('contact-point', 'so-gd'))).toBe('overdue');

    const accepted = await h.cli(['review', 'accept', '--directive', D, '--obligation', 'plan-2027', '--unit', 'so-y-te', '--comment', 'Đạt']);
    expect(accepted.stderr).toBe('');
    await waitStatus(wf('plan-2027', 'so-y-te'), (s) => s === 'completed-on-time');
  });

  it('a unit dropped from an obligation is withdrawn; an older revision is refused', async () => {
    const r = await h.cli(['deploy', h.writeDirective({ revision: 3, futureDue: AMENDED_DUE, withoutDrill: true, planAssignees: ['so-y-te'] }), '--as-of', '2026-01-05']);
    expect(r.stdout).toContain('withdrawn 1');
    await waitStatus(wf('plan-2027', 'so-gd'), (s) => s === 'withdrawn');
    const old = await h.cli(['deploy', h.writeDirective({ ...dates, revision: 1 }), '--as-of', '2026-01-05']);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('older revision');
  });

  it('report-event twice with the same id starts one instance; an amendment reaches the open event instance', async () => {
    const args = ['report-event', '--directive', D, '--event', 'attack-detected', '--unit', 'so-gd', '--id', 'sc-001', '--at', '2026-11-01T08:00:00+07:00', '--description', 'Mã độc'];
    const first = await h.cli(args);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain(wf('report-attack', 'so-gd', 'sc-001'));
    const second = await h.cli(args);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already reported');
    const rows = await h.until('event instance', () => listInstances(h.db.pool, D, { obligationId: 'report-attack' }), (r) => r.length > 0);
    expect(rows.map((x) => x.workflowId)).toEqual([wf('report-attack', 'so-gd', 'sc-001')]);

    const amended = await h.cli(['deploy', h.writeDirective({ revision: 4, futureDue: AMENDED_DUE, withoutDrill: true, planAssignees: ['so-y-te'], eventWithin: 'PT8H' }), '--as-of', '2026-01-05']);
    expect(amended.stderr).toBe('');
    expect(amended.stdout).toContain('amended 1');
    await h.until('event instance amended', () => h.state(wf('report-attack', 'so-gd', 'sc-001')), (st) => st.dueAt !== undefined && Date.parse(st.dueAt) === Date.parse('2026-11-01T16:00:00+07:00'));

    const wrongType = await h.cli(['report-event', '--directive', D, '--event', 'flood', '--unit', 'so-gd']);
    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toContain('attack-detected');
  });

  it('an extension is requested, approved, and moves the due date; notices reach the inbox', async () => {
    const ref = ['--directive', D, '--obligation', 'contact-point', '--unit', 'so-gd'];
    const early = await h.cli(['extend', 'request', ...ref, '--until', '2026-01-10', '--reason', 'x']);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('2026-02-27');
    const req = await h.cli(['extend', 'request', ...ref, '--until', EXTENDED_TO, '--reason', 'Chờ kiện toàn nhân sự']);
    expect(req.stderr).toBe('');
    // A date already past (a mistyped year) is refused with what to do instead; nothing changes.
    const past = await h.cli(['extend', 'approve', ...ref, '--until', '2000-01-01']);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('must be after the current due date 2026-02-27');
    expect(past.stderr).toContain(EXTENDED_TO);
    expect(past.stderr).not.toMatch(/\n\s+at /);
    const long = await h.cli(['extend', 'approve', ...ref, '--comment', 'x'.repeat(2_001)]);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('--comment is 2001 characters long; at most 2000');
    const ok = await h.cli(['extend', 'approve', ...ref, '--comment', 'Đồng ý']);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain(dmy(EXTENDED_TO));
    const state = await h.until('extended due', () => h.state(wf('contact-point', 'so-gd')), (st) => st.due === EXTENDED_TO);
    expect(state.originalDue).toBe('2026-02-27');
    const none = await h.cli(['extend', 'reject', ...ref]);
    expect(none.code).toBe(1);

    const inbox = await h.cli(['inbox', '--unit', 'so-gd']);
    expect(inbox.code).toBe(0);
    expect(inbox.stdout).toMatch(/notice\(s\)/);
  });

  it('withdraw stops every open instance', async () => {
    const r = await h.cli(['withdraw', D, '--superseded-by', 'test-directive-2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await waitStatus(wf('contact-point', 'so-gd'), (s) => s === 'withdrawn');
    const redeploy = await h.cli(['deploy', h.writeDirective({ ...dates, revision: 5 }), '--as-of', '2026-01-05']);
    expect(redeploy.code).toBe(1);
    const st = await h.cli(['status', D]);
    expect(st.stdout).toContain('WITHDRAWN');
  });
});
