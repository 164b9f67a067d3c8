import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

export interface SummaryCount {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Ends the run with one plain line, `N passed, N failed[, N skipped]`: vitest's own summary is
 * coloured and laid out for people, and CI reads this line to count what ran.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const count = summarize(testModules);
    process.stdout.write(`\n${count.passed} passed, ${count.failed} failed${count.skipped ? `, ${count.skipped} skipped` : ''}\n`);
  }
}

/**
 * What the line counts. Vitest reports the tests of a suite whose `beforeAll` threw as `skipped`:
 * they never ran, so they are counted failed here, not skipped (only `test.skip`, `test.todo`,
 * `skipIf` and `ctx.skip()` are skipped). A file that failed without a failed test (it did not load,
 * or an `afterAll` threw) counts as one failure: it must not read as a green run.
 */
export function summarize(testModules: ReadonlyArray<TestModule>): SummaryCount {
  const count: SummaryCount = { passed: 0, failed: 0, skipped: 0 };
  for (const m of testModules) {
    let failedHere = 0;
    for (const t of m.children.allTests()) {
      const state = t.result().state;
      if (state === 'failed' || (state === 'skipped' && neverRanForAHook(t))) failedHere++;
      else if (state === 'passed' || state === 'skipped') count[state]++;
    }
    if (failedHere === 0 && m.state() === 'failed') failedHere = 1;
    count.failed += failedHere;
  }
  return count;
}

/** Meant to run (not `skip`/`todo`), under a suite or file whose own hook failed. */
function neverRanForAHook(t: TestCase): boolean {
  if (t.options.mode !== 'run' && t.options.mode !== 'only') return false;
  for (let p: TestSuite | TestModule = t.parent; ; p = p.parent) {
    if (p.errors().length > 0) return true;
    if (p.type === 'module') return false;
  }
}
