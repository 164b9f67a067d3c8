/**
 * bin/chithi.js as a user runs it, in a child process: from the build in dist/ when it is fresh,
 * from the sources (with a hint) when a source is newer than the build. The other CLI tests call
 * main() on the sources in-process; this one checks what `npx chithi` actually loads.
 *
 * It runs in a copy of the project (bin, scripts, sources and dist/, timestamps kept; node_modules
 * linked): making a source newer must not make the shared working tree's build stale.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../common/root.js';
import { ensureBuilt } from '../../scripts/build.mjs';

// What the build compiles (tsconfig.build.json's include), so the copy's build stamp counts the same
// sources as the project's: a folder added to the build is copied without editing this list.
const BUILT = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
const COPIED = ['bin', 'scripts', 'dist', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'directives', ...BUILT];

let dir: string;

async function chithi(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(dir, 'bin', 'chithi.js'), ...args], { cwd: dir, env: { ...process.env, CHITHI_LANG: 'en' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  // What `npm test` did already (setup), unless a source changed since.
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'chithi-bin-'));
  for (const name of COPIED) cpSync(join(ROOT, name), join(dir, name), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('bin/chithi.js', () => {
  it('--help runs from dist/ when the build is fresh: the usage, no hint', async () => {
    const r = await chithi('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: chithi <command>');
    expect(r.stdout).toMatch(/validate +Check directive or unit registry files/);
    expect(r.stderr).toBe('');
  });

  it('validate of a seed from dist/ finds its schemas, calendar and registry (read from the project root)', async () => {
    const r = await chithi('validate', 'directives/hanoi-3968-2022.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid directive');
    expect(r.stderr).not.toContain('npm run setup');
  });

  it('a source newer than the build is not silently ignored: the sources run, with a hint to rebuild', async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'client', 'cli.ts'), later, later);
    const r = await chithi('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: chithi <command>');
    expect(r.stderr).toContain('the sources are newer than dist/');
    expect(r.stderr).toContain('npm run setup');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
