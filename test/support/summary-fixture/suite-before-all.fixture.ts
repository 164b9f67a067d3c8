import { beforeAll, describe, expect, test } from 'vitest';

// 2 tests that never run because their suite's beforeAll threw (vitest: "skipped"), 1 passed,
// 4 really skipped.
describe('a suite whose setup breaks', () => {
  beforeAll(() => {
    throw new Error('setup broke');
  });
  test('never runs', () => expect(1).toBe(1));
  describe('nested', () => {
    test('never runs either', () => expect(1).toBe(1));
  });
});
test('passes', () => expect(1).toBe(1));
test.skip('skipped', () => expect(1).toBe(1));
test.todo('todo');
test.skipIf(true)('skipped by condition', () => expect(1).toBe(1));
test('skips itself', (ctx) => ctx.skip());
