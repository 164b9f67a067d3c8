import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { main } from '../../client/cli.js';
import type { Plan } from '../../compiler/plan.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, 'test', 'compiler', 'fixtures');
const env = { CHITHI_CALENDAR_DIR: join(FIXTURES, 'calendars') };

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

describe('chithi validate', () => {
  it('exit 0 for valid directive and registry', async () => {
    const r = await run(['validate', 'valid.yaml', 'registries/test-province.yaml', '--as-of', '2024-06-01']);
    expect(r).toEqual({
      code: 0,
      stdout: '✓ valid.yaml: chỉ thị hợp lệ\n✓ registries/test-province.yaml: danh mục đơn vị hợp lệ\n',
      stderr: '',
    });
  });

  it('exit 1 with every error as file:line:column, in English on request', async () => {
    const r = await run(['validate', 'broken.yaml', '--as-of', '2024-06-01'], 'en');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('broken.yaml:23:5: error[unknown-property]: unknown property `dua` — did you mean `due`?\n  → allowed here:');
    expect(r.stderr).toContain('broken.yaml:42:16: error[dependency-cycle]: dependency cycle: fourth → fifth → fourth\n');
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('✗ broken.yaml: 12 error(s)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exit 1 when one of several files is invalid', async () => {
    expect((await run(['validate', 'valid.yaml', 'broken.yaml', '--as-of', '2024-06-01'])).code).toBe(1);
    expect((await run(['validate', 'nope.yaml'])).code).toBe(1);
  });

  it('exit 2 for usage errors', async () => {
    expect((await run(['validate'])).code).toBe(2);
    const bad = await run(['validate', 'valid.yaml', '--as-of', '2024-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--as-of');
    expect((await run(['validate', 'valid.yaml', '--frobnicate'])).code).toBe(2);
  });

  it('--help on each command, in both languages', async () => {
    for (const c of ['validate', 'compile', 'plan']) {
      const vi = await run([c, '--help']);
      const en = await run([c, '--help'], 'en');
      expect(vi.code).toBe(0);
      expect(vi.stdout).toMatch(/^Cách dùng: chithi /);
      expect(en.stdout).toMatch(/^Usage: chithi /);
    }
  });
});

describe('chithi compile', () => {
  it('prints a Vietnamese summary, one obligation per line', async () => {
    const r = await run(['compile', 'valid.yaml', '--as-of', '2024-06-01']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // Periods in words (issue 11): "mỗi 6 tháng", not "mỗi P6M"; "(văn bản: …)" only for the date the
    // text gave, a date counted from the issue date shows its period instead.
    expect(r.stdout).toContain('  1.4    contact-point  hạn chót      hạn 2024-04-29 (văn bản: 2024-04-27)         5 đơn vị\n');
    expect(r.stdout).toContain('  1.b    scan           định kỳ       mỗi 6 tháng, lần đầu 2024-10-22              3 đơn vị\n');
    expect(r.stdout).toContain('  2.đ.1  report-attack  sự kiện       trong 4 giờ sau attack-detected              2 đơn vị\n');
    expect(r.stdout).toContain('  3      awareness      thường xuyên  xác nhận mỗi 6 tháng, lần đầu 2024-10-22     2 đơn vị\n');
    expect(r.stdout).toContain('  4.a    by-offset      hạn chót      hạn 2024-05-02 (9 ngày kể từ ngày ban hành)  1 đơn vị\n');
    expect(r.stdout).not.toMatch(/\bP\d|PT\d/);
    expect(r.stdout).toContain('5 nhiệm vụ, 8 đơn vị liên quan.');
  });

  it('--json prints the plan; warnings go to stderr', async () => {
    const r = await run(['compile', 'valid.yaml', '--as-of', '2025-08-01', '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.planVersion).toBe(1);
    expect(plan.directive.asOf).toBe('2025-08-01');
    expect(r.stderr).toContain('cảnh báo[dissolved-unit]');
  });

  it('exit 1 and nothing on stdout for an invalid directive; exit 2 for usage', async () => {
    const bad = await run(['compile', 'broken.yaml', '--json']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect((await run(['compile'])).code).toBe(2);
    expect((await run(['compile', 'a.yaml', 'b.yaml'])).code).toBe(2);
    const wrongKind = await run(['compile', 'registries/test-province.yaml']);
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.stderr).toContain('[unknown-kind]');
  });

  it('--units points at another registry', async () => {
    const r = await run(['compile', 'valid.yaml', '--units', 'registries/none.yaml'], 'en');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[registry-not-found]: unit registry not found: registries/none.yaml');
  });
});

describe('chithi plan', () => {
  it('shows one unit’s duties with reminder and escalation dates', async () => {
    const r = await run(['plan', 'valid.yaml', '--unit', 'so-a', '--as-of', '2024-06-01'], 'en');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Department A (so-a) — 1/UBND-TEST, as of 2024-06-01');
    expect(r.stdout).toContain('reminders: 2024-04-22 (7 days before), 2024-04-28 (1 day before)');
    expect(r.stdout).toContain('escalate 2024-04-29 (at the due date) → so-a');
    expect(r.stdout).toContain('escalate 2024-05-06 (7 days after the due date) → chu-tich');
    expect(r.stdout).toContain('      every 6 months, first due 2024-10-22\n');
    expect(r.stdout).toContain('      due 2024-05-02 (9 days from the issue date)\n');
    expect(r.stdout).not.toMatch(/\bP\d|PT\d/);
    const vi = await run(['plan', 'valid.yaml', '--unit', 'so-a', '--as-of', '2024-06-01']);
    expect(vi.stdout).toContain('nhắc: 2024-04-22 (trước 7 ngày), 2024-04-28 (trước 1 ngày)');
    expect(vi.stdout).toContain('vượt cấp 2024-05-06 (7 ngày sau hạn) → chu-tich');
    expect(vi.stdout).toContain('      hạn 2024-04-29 (văn bản: 2024-04-27)\n');
  });

  it('--json, and a former unit id is followed to its successor', async () => {
    const r = await run(['plan', 'valid.yaml', '--unit', 'so-b', '--as-of', '2025-08-01', '--json']);
    expect(r.code).toBe(0);
    const up = JSON.parse(r.stdout) as { unit: string; requested: string; duties: { id: string; firstDue?: string; reminders: unknown[] }[] };
    expect(up.unit).toBe('so-c');
    expect(up.requested).toBe('so-b');
    expect(up.duties.map((d) => d.id)).toEqual(['contact-point', 'report-attack', 'awareness']);
    expect(up.duties[0]).toMatchObject({ firstDue: '2024-04-29', reminders: [{ offset: 'P7D', date: '2024-04-22' }, { offset: 'P1D', date: '2024-04-28' }] });
  });

  it('unknown unit: exit 1 with a suggestion; missing --unit: exit 2', async () => {
    const r = await run(['plan', 'valid.yaml', '--unit', 'so-aa', '--as-of', '2024-06-01'], 'en');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unit `so-aa` is not in the plan — did you mean `so-a`?');
    expect((await run(['plan', 'valid.yaml'])).code).toBe(2);
  });
});

describe('npx chithi compile --json (child process)', () => {
  it('prints the plan as JSON and exits 0', async () => {
    const before = readdirSync(FIXTURES).sort();
    const { stdout } = await promisify(execFile)('npx', ['--no-install', 'chithi', 'compile', 'valid.yaml', '--as-of', '2024-06-01', '--json'], {
      cwd: FIXTURES,
      env: { ...process.env, ...env },
    });
    const plan = JSON.parse(stdout) as Plan;
    expect(plan.directive.id).toBe('test-1-2024');
    expect(plan.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(FIXTURES).sort()).toEqual(before);
  }, 60_000);
});
