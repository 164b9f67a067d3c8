import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Fixture files for test/support/summary-reporter.test.ts: run by it, never by `npm test`. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['*.fixture.ts'],
    reporters: ['../summary-reporter.ts'],
  },
});
