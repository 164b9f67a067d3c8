/**
 * Tác động của một lần sửa đổi, trước khi triển khai: `chithi diff CŨ MỚI` (không cần máy chủ) và
 * `chithi deploy MỚI --dry-run` (so với bản đang chạy, qua API), không thay đổi gì.
 * An amendment's impact before deploying it: `chithi diff OLD NEW` (no server) and `chithi deploy
 * NEW --dry-run` (against the running version, through the API), which changes nothing: the
 * instances, their statuses and the recorded deployments are the same after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInstances } from '../../activities/store/instances.js';
import { startClientHarness, type ClientHarness } from './harness.js';

const D = 'test-directive';
const NEXT = new Date().getFullYear() + 1;
const dates = { drillDue: `${NEXT}-10-30`, futureDue: `${NEXT}-12-31` };
const AMENDED_DUE = `${NEXT + 1}-03-31`;
const dmy = (iso: string) => iso.split('-').reverse().join('/');

let h: ClientHarness;
let oldFile: string;
let newFile: string;

beforeAll(async () => {
  h = await startClientHarness();
  oldFile = h.writeDirective(dates, 'v1.yaml');
  // Revision 2: the plan moves to a later date and only so-y-te keeps it; the drill is dropped.
  newFile = h.writeDirective({ ...dates, revision: 2, futureDue: AMENDED_DUE, withoutDrill: true, planAssignees: ['so-y-te'] }, 'v2.yaml');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('chithi diff OLD NEW', () => {
  it('says what the new version changes, and the instances and notices it would mean', async () => {
    const r = await h.cli(['diff', oldFile, newFile, '--lang', 'vi']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${D} (1/CT-TEST): lần sửa đổi 1 → 2.`);
    expect(r.stdout).toMatch(/Nghĩa vụ bỏ:\n {2}- 1\.c drill — Diễn tập ứng cứu sự cố/);
    expect(r.stdout).toMatch(/ {2}~ 1\.b plan-2027 — Xây dựng kế hoạch 2027\n {6}bớt đơn vị: so-gd\n {6}hạn: /);
    expect(r.stdout).toContain(`hạn: ${dmy(dates.futureDue)} → ${dmy(AMENDED_DUE)}`);
    // plan-2027: so-y-te amended, so-gd withdrawn; the drill withdrawn for both departments.
    expect(r.stdout).toContain('Các phiên: khởi động 0, điều chỉnh 1, thu hồi 3, giữ nguyên 2.');
    expect(r.stdout).toContain('so-y-te (Sở Y tế): 1 sửa đổi, 1 thu hồi');
    expect(r.stdout).toContain('so-gd (Sở Giáo dục và Đào tạo): 2 thu hồi');
  });

  it('prints reminders and escalation steps in words', async () => {
    const v3 = h.writeDirective(dates, 'v3.yaml');
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(v3, readFileSync(v3, 'utf8').replace('reminders: [P7D, P1D]', 'reminders: [P14D, P3D]').replace('- { after: P7D, to: [leadership] }', '- { after: P5D, to: [leadership] }').replace('revision: 1', 'revision: 3'));
    const r = await h.cli(['diff', oldFile, v3, '--lang', 'vi']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('nhắc hạn trước: trước 7 ngày, trước 1 ngày → trước 14 ngày, trước 3 ngày');
    expect(r.stdout).toContain('báo cáo cấp trên: khi đến hạn: so-tttt, 7 ngày sau hạn: chu-tich → khi đến hạn: so-tttt, 5 ngày sau hạn: chu-tich');
  });

  it('a due date counted at run time (language 1.1) changes in words, not by its expected date', async () => {
    const { cpSync, readFileSync, writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { ROOT } = await import('../../common/config.js');
    const dir = mkdtempSync(join(tmpdir(), 'chithi-impact-'));
    cpSync(join(ROOT, 'directives', 'examples'), dir, { recursive: true });
    const v1 = join(dir, 'vi-du-1-1.yaml');
    const v2 = join(dir, 'v2.yaml');
    writeFileSync(v2, readFileSync(v1, 'utf8').replace('afterReceipt: P5WD', 'afterReceipt: P10WD').replace('revision: 1', 'revision: 2'));
    const r = await h.cli(['diff', v1, v2, '--as-of', '2026-03-02', '--lang', 'vi']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('hạn: 5 ngày làm việc kể từ ngày nhận văn bản → 10 ngày làm việc kể từ ngày nhận văn bản');
  });

  it('as JSON, in English, and with clear refusals', async () => {
    const json = await h.cli(['diff', oldFile, newFile, '--json']);
    expect(json.code).toBe(0);
    const impact = JSON.parse(json.stdout) as { removed: { id: string }[]; changed: { id: string; unitsRemoved: string[]; changes: { field: string; from: string; to: string }[] }[]; instances: Record<string, number> };
    expect(impact.removed.map((o) => o.id)).toEqual(['drill']);
    expect(impact.changed.find((o) => o.id === 'plan-2027')).toMatchObject({ unitsRemoved: ['so-gd'], changes: [{ field: 'due', from: dates.futureDue, to: AMENDED_DUE }] });
    expect(impact.instances).toEqual({ start: 0, amend: 1, withdraw: 3, unchanged: 2 });

    const en = await h.cli(['diff', oldFile, newFile, '--lang', 'en']);
    expect(en.stdout).toContain('Instances: 0 started, 1 amended, 3 withdrawn, 2 unchanged.');

    const one = await h.cli(['diff', oldFile, '--lang', 'en']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('Give exactly two files: the old version, then the new one.');
    const other = await h.cli(['diff', oldFile, h.writeDirective({ ...dates, id: 'another-directive' }, 'other.yaml'), '--lang', 'en']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('The files are two different directives (test-directive, another-directive)');
  });
});

describe('chithi deploy NEW --dry-run', () => {
  it('compares with the running version and changes nothing', async () => {
    const first = await h.cli(['deploy', oldFile, '--as-of', '2026-01-05']);
    expect(first.code, first.stderr).toBe(0);
    await h.until('6 instances', () => listInstances(h.db.pool, D), (rows) => rows.length === 6);
    const before = (await listInstances(h.db.pool, D)).map((r) => [r.workflowId, r.status, r.due]);
    const deployments = async () => (await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM deployments')).rows[0]!.n;
    const recorded = await deployments();

    const r = await h.cli(['deploy', newFile, '--as-of', '2026-01-05', '--dry-run', '--lang', 'vi']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`hạn: ${dmy(dates.futureDue)} → ${dmy(AMENDED_DUE)}`);
    expect(r.stdout).toContain('Các phiên: khởi động 0, điều chỉnh 1, thu hồi 3, giữ nguyên 2.');
    expect(r.stdout).toContain('(Chạy thử: chưa triển khai gì.)');

    expect((await listInstances(h.db.pool, D)).map((x) => [x.workflowId, x.status, x.due])).toEqual(before);
    expect(await deployments()).toBe(recorded);

    // The running version against itself: nothing to do.
    const same = await h.cli(['deploy', oldFile, '--as-of', '2026-01-05', '--dry-run', '--lang', 'en']);
    expect(same.stdout).toContain('No obligation changes.');
    expect(same.stdout).toContain('Instances: 0 started, 0 amended, 0 withdrawn, 6 unchanged.');
  });

  it('is a policy author\'s, as deploying is', async () => {
    await h.account('can-bo', 'so-y-te', ['officer']);
    const r = await h.cli(['deploy', newFile, '--dry-run', '--lang', 'en'], 'can-bo');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/may not deploy or amend a directive/);
  });
});
