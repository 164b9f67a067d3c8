import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchCompile } from '../../bench/compile.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('tooling', () => {
  it('generated types are in sync with the schemas (gen-types --check)', async () => {
    const { stdout } = await promisify(execFile)('npx', ['--no-install', 'tsx', 'scripts/gen-types.ts', '--check'], { cwd: ROOT });
    expect(stdout).toContain('up to date');
  }, 60_000);

  it('benchCompile runs on a small synthetic registry and reports a ratio', async () => {
    const r = await benchCompile({ units: 200, obligations: 8, runs: 3 });
    expect(r).toMatchObject({ name: 'compile-200-units', unit: 'ms', units: 200, obligations: 8, runs: 3, target: 5 });
    expect(r.value).toBeGreaterThan(0);
    expect(r.baseline).toBeGreaterThan(0);
    expect(r.ratio).toBeCloseTo(r.value / r.baseline);
  }, 60_000);
});
