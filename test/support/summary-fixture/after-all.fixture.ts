import { afterAll, describe, expect, test } from 'vitest';

// The test passes, then the suite's afterAll throws: the file failed.
describe('a suite whose teardown breaks', () => {
  afterAll(() => {
    throw new Error('teardown broke');
  });
  test('passes', () => expect(1).toBe(1));
});
