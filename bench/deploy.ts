/**
 * Deploy throughput: instances deployed per second for a synthetic plan, against a bare loop that
 * starts the same number of empty workflows with the same concurrency on the same dev server.
 * No worker runs: this measures what `chithi deploy` adds on top of Temporal's own start cost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { migrate } from '../activities/index.js';
import { clientConnectionOptions, loadConfig, localTemporalSettings, setting } from '../common/config.js';
import { mapLimit } from '../service/concurrency.js';
import { deploy } from '../service/deploy.js';
import { freePort, startLocalTemporal } from '../service/local-temporal.js';
import { EMBEDDED_POOL_OPTIONS, startEmbeddedPostgres } from '../scripts/embedded-postgres.js';
import { syntheticPlan } from './synthetic-plan.js';

export interface DeployBench {
  instances: number;
  concurrency: number;
  deployPerSec: number;
  barePerSec: number;
  ratio: number;
}

const CONCURRENCY = 50;

export async function benchDeploy(instances = setting(process.env, 'BENCH_INSTANCES'), log: (s: string) => void = () => undefined): Promise<DeployBench> {
  const config = loadConfig(process.env);
  const dir = mkdtempSync(join(tmpdir(), 'chithi-bench-'));
  const port = await freePort();
  // The dev server's default per-namespace rate limit would cap both loops at the same number
  // and hide any difference; lift it so the client side is what is measured.
  const server = await startLocalTemporal({
    ...(setting(process.env, 'BENCH_DB_FILE') ? { dbFile: join(dir, 'temporal.db') } : {}),
    port,
    dynamicConfig: ['frontend.namespaceRPS=100000', 'frontend.rps=100000', 'frontend.namespaceRPS.visibility=100000'],
  });
  const db = await startEmbeddedPostgres();
  const pool = new pg.Pool({ connectionString: db.url, ...EMBEDDED_POOL_OPTIONS });
  // Its own server, so none of TEMPORAL_ADDRESS's TLS; the configured queue, as `chithi deploy` would use.
  const temporal = localTemporalSettings(config.temporal, server.address);
  const connection = await Connection.connect(clientConnectionOptions(temporal));
  const client = new Client({ connection });
  try {
    await migrate(pool);
    // Warm-up: gRPC channel, server caches, JIT; not counted.
    await mapLimit(Array.from({ length: 200 }, (_, i) => i), CONCURRENCY, (i) =>
      client.workflow.start('benchEmpty', { workflowId: `warm-${i}`, taskQueue: 'bench-bare' }),
    );

    log(`bare: ${instances} starts…`);
    const t0 = performance.now();
    await mapLimit(Array.from({ length: instances }, (_, i) => i), CONCURRENCY, (i) =>
      client.workflow.start('benchEmpty', { workflowId: `bare-${i}`, taskQueue: 'bench-bare' }),
    );
    const bareSec = (performance.now() - t0) / 1000;

    log(`deploy: ${instances} instances…`);
    const plan = syntheticPlan(instances);
    const t1 = performance.now();
    const result = await deploy(plan, { client, pool, concurrency: CONCURRENCY, taskQueue: temporal.taskQueue });
    const deploySec = (performance.now() - t1) / 1000;
    if (result.started !== instances) throw new Error(`deploy started ${result.started} of ${instances}`);

    const barePerSec = instances / bareSec;
    const deployPerSec = instances / deploySec;
    return { instances, concurrency: CONCURRENCY, deployPerSec, barePerSec, ratio: deployPerSec / barePerSec };
  } finally {
    await connection.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await db.stop().catch(() => undefined);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchDeploy(undefined, (s) => console.error(s));
  console.log(JSON.stringify(r));
}
