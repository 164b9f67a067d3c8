import { describe, expect, it } from 'vitest';
import { main } from '../../client/cli.js';

async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd: process.cwd() });
  return { code, stdout, stderr };
}

// Nothing here needs a server: usage mistakes must be caught before anything is contacted.
describe('client commands: usage', () => {
  const commands = ['deploy', 'status', 'submit', 'review', 'extend', 'report-event', 'withdraw', 'inbox'];

  it.each(commands)('%s --help prints help in Vietnamese and English', async (name) => {
    const vi = await run([name, '--help']);
    expect(vi.code).toBe(0);
    expect(vi.stdout).toContain('Cách dùng');
    const en = await run([name, '--help', '--lang', 'en']);
    expect(en.stdout).toContain('Usage');
  });

  it.each([
    [['deploy']],
    [['status']],
    [['status', 'x', '--status', 'sleeping']],
    [['submit', '--directive', 'd', '--obligation', 'o']],
    [['submit', '--directive', 'd', '--obligation', 'o', '--unit', 'u']],
    [['submit', '--directive', 'd', '--obligation', 'o', '--unit', 'u', '--field', 'novalue']],
    [['review', 'maybe', '--directive', 'd', '--obligation', 'o', '--unit', 'u']],
    [['extend', 'request', '--directive', 'd', '--obligation', 'o', '--unit', 'u', '--until', '2026-02-30', '--reason', 'x']],
    [['report-event', '--directive', 'd', '--event', 'e', '--unit', 'u', '--at', '2026-01-01']],
    [['withdraw']],
    [['status', 'x', '--bogus']],
  ])('%j is a usage error (exit 2, stderr, no stack)', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^chithi: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('an unreachable API server is a clear error pointing at npm start; no credential points at chithi login', async () => {
    const down = { CHITHI_API_URL: 'http://127.0.0.1:1', CHITHI_TOKEN: 'chithi_x' };
    const r = await run(['status', 'x', '--lang', 'en'], down);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('npm start');
    expect(r.stderr).toContain('http://127.0.0.1:1');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const t = await run(['withdraw', 'x'], down);
    expect(t.stderr).toContain('npm start');
    const anonymous = await run(['withdraw', 'x', '--lang', 'en'], { CHITHI_API_URL: 'http://127.0.0.1:1', CHITHI_CREDENTIALS_FILE: '/nonexistent/chithi/credentials.json' });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('chithi login');
  });

  it('an invalid directive prints diagnostics and starts nothing', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'chithi-bad-'));
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: chithi/v1\nkind: Directive\nmetadata: {}\n');
    const r = await run(['deploy', join(dir, 'bad.yaml'), '--lang', 'en'], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/postgres', TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing deployed');
    expect(r.stderr).not.toContain('npm start');
  });
});
