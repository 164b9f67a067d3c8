/**
 * A year of Hanoi 3968 in virtual time on the time-skipping test server: real worker, real
 * activities, real (embedded) PostgreSQL. Measures wall time and history events per instance-year,
 * the number that decides when histories must be trimmed by continue-as-new.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { createActivities, fileEmailChannel, migrate } from '../activities/index.js';
import { compileFile } from '../compiler/index.js';
import { deploy } from '../client/deploy.js';
import { plannedInstances } from '../client/instances.js';
import { ROOT } from '../client/config.js';
import { toolPath } from '../client/local-temporal.js';
import { bundleWorkflows, createWorker } from '../worker/index.js';
import { EMBEDDED_POOL_OPTIONS, startEmbeddedPostgres } from '../scripts/embedded-postgres.js';

export interface YearBench {
  instances: number;
  wallSeconds: number;
  eventsPerInstanceYear: number;
  runs: number;
}

/** Events of every run of a workflow id, following continue-as-new back to the first run. */
async function historyEvents(client: Client, workflowId: string): Promise<{ events: number; runs: number }> {
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  let events = 0;
  let runs = 0;
  while (runId) {
    const history: { events?: { workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string | null } | null }[] | null } = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const list = history.events ?? [];
    events += list.length;
    runs++;
    const prev: string | null | undefined = list[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    runId = prev || undefined;
  }
  return { events, runs };
}

export async function benchYear(log: (s: string) => void = () => undefined): Promise<YearBench> {
  const mailDir = mkdtempSync(join(tmpdir(), 'chithi-year-'));
  const db = await startEmbeddedPostgres();
  const pool = new pg.Pool({ connectionString: db.url, ...EMBEDDED_POOL_OPTIONS });
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('testServer') } },
  });
  try {
    await migrate(pool);
    const compiled = await compileFile(join(ROOT, 'directives', 'hanoi-3968-2022.yaml'), { asOf: '2022-11-28' });
    if (!compiled.ok) throw new Error('hanoi-3968-2022.yaml does not compile');
    const plan = compiled.plan;
    log('bundling workflows…');
    const worker = await createWorker({
      connection: env.nativeConnection,
      activities: createActivities({ pool, channels: { email: fileEmailChannel(mailDir) } }),
      workflowBundle: await bundleWorkflows(),
    });
    const t0 = performance.now();
    const ids = plannedInstances(plan).map((p) => p.workflowId);
    const result = await worker.runUntil(async () => {
      await deploy(plan, { client: env.client, pool });
      log(`${ids.length} instances deployed; skipping a year…`);
      await env.sleep('365 days');
    });
    void result;
    const wallSeconds = (performance.now() - t0) / 1000;
    let events = 0;
    let runs = 0;
    for (const id of ids) {
      const h = await historyEvents(env.client, id);
      events += h.events;
      runs += h.runs;
    }
    return { instances: ids.length, wallSeconds, eventsPerInstanceYear: events / Math.max(1, ids.length), runs };
  } finally {
    await env.teardown().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await db.stop().catch(() => undefined);
    rmSync(mailDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchYear((s) => console.error(s));
  console.log(JSON.stringify(r));
}
