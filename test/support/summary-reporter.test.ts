/**
 * The summary line CI reads (summary-reporter.ts), on real vitest runs of the fixture files in
 * summary-fixture/: a run with a broken setup must not read as green.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = 'test/support/summary-fixture/vitest.config.ts';

/** `vitest run` of the fixture files matching `filter`: the summary line it ends with. */
async function summaryLine(filter: string): Promise<string> {
  // Not the vitest of this process: a fresh one, as CI runs it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
  const out = await promisify(execFile)(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', CONFIG, filter], {
    cwd: ROOT,
    env: { ...env, NO_COLOR: '1' },
  }).catch((err: { stdout?: string; code?: number }) => {
    // vitest exits 1 when a test failed: the fixtures are meant to.
    if (typeof err.stdout === 'string') return { stdout: err.stdout };
    throw err;
  });
  const lines = out.stdout.trim().split('\n');
  return lines[lines.length - 1]!;
}

describe('summary line', () => {
  test('tests never run because their suite’s beforeAll threw count as failed, not skipped', async () => {
    // 2 under the broken suite; test.skip, test.todo, skipIf and ctx.skip() are skipped.
    expect(await summaryLine('suite-before-all.fixture.ts')).toBe('1 passed, 2 failed, 4 skipped');
  });

  test('a file-level beforeAll that throws fails its tests', async () => {
    expect(await summaryLine('file-before-all.fixture.ts')).toBe('0 passed, 1 failed');
  });

  test('a file whose afterAll threw after its tests passed counts one failure', async () => {
    expect(await summaryLine('after-all.fixture.ts')).toBe('1 passed, 1 failed');
  });

  test('a file that does not load counts one failure', async () => {
    expect(await summaryLine('load-error.fixture.ts')).toBe('0 passed, 1 failed');
  });
});
