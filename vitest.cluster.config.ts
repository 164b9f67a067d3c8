import { defineConfig } from 'vitest/config';

// `npm run test:cluster`: the fault tests on a production-shaped Temporal cluster (scripts/
// temporal-cluster.ts). Not part of `npm test`: the cluster takes a minute to start (and minutes to
// build the first time), and each fault waits for Temporal's own timeouts. Files are *.cluster.ts so
// the default configuration's test/**/*.test.ts never picks them up.
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.cluster.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
});
