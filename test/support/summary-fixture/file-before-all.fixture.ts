import { beforeAll, expect, test } from 'vitest';

// A file-level beforeAll throws: its test never runs.
beforeAll(() => {
  throw new Error('file setup broke');
});
test('never runs', () => expect(1).toBe(1));
