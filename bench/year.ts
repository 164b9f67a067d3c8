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
import { createActivities, fileEmailChannel, migrate, startDelivery } from '../activities/index.js';
import { compileFile } from '../compiler/index.js';
import { deploy } from '../client/deploy.js';
import { plannedInstances } from '../client/instances.js';
import { loadConfig, ROOT, setting } from '../common/config.js';
import { toolPath } from '../client/local-temporal.js';
import { bundleWorkflows, createWorker } from '../worker/index.js';
import type { RuntimeActivities } from '../workflows/types.js';
import { startBenchPostgres } from './postgres.js';

export interface YearBench {
  database: 'postgres' | 'embedded';
  instances: number;
  /** Virtual days actually simulated: 365 unless the wall-time budget ran out first. */
  virtualDays: number;
  wallSeconds: number;
  /** Wall time for a full year, extrapolated when the budget ran out. */
  yearSeconds: number;
  eventsPerInstanceYear: number;
  runs: number;
  /** E-mails actually sent (letters and notices that go at once), per instance. */
  emailsPerInstance: number;
  /** The baseline of the same run: one e-mail per notice and recipient, as before letters (issue 7). */
  noticeEmailsPerInstance: number;
  /** The most e-mails one address received on one day. */
  maxEmailsPerAddressDay: number;
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

/** Per-activity call counts and time, printed with BENCH_PROFILE=1: where a slow year goes. */
const profile = new Map<string, { calls: number; ms: number }>();
function profiled(acts: RuntimeActivities): RuntimeActivities {
  if (!setting(process.env, 'BENCH_PROFILE')) return acts;
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(acts) as [string, (...a: unknown[]) => Promise<unknown>][]) {
    out[name] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await fn(...args);
      } finally {
        const p = profile.get(name) ?? { calls: 0, ms: 0 };
        p.calls++;
        p.ms += performance.now() - t;
        profile.set(name, p);
      }
    };
  }
  return out as unknown as RuntimeActivities;
}

export async function benchYear(log: (s: string) => void = () => undefined): Promise<YearBench> {
  // The time-skipping server is its own; the worker and deploy() meet on the configured queue.
  const { taskQueue } = loadConfig(process.env).temporal;
  const mailDir = mkdtempSync(join(tmpdir(), 'chithi-year-'));
  const db = await startBenchPostgres();
  const pool = db.pool;
  log(`PostgreSQL: ${db.kind}`);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('testServer') } },
  });
  try {
    await migrate(pool);
    const compiled = await compileFile(join(ROOT, 'directives', 'hanoi-3968-2022.yaml'), { asOf: '2022-11-28' });
    if (!compiled.ok) throw new Error('hanoi-3968-2022.yaml does not compile');
    const plan = compiled.plan;
    // The directive's own first year, on its own dates and holidays: the instances run with a
    // virtual epoch (InstanceInput.clockOffsetMs) since the server's clock starts today.
    const yearStart = Date.parse(`${plan.directive.issued}T09:00:00+07:00`);
    const offset = yearStart - (await env.currentTimeMs());
    log('bundling workflows…');
    const channels = { email: fileEmailChannel(mailDir) };
    const delivery = startDelivery({ pool, channels });
    const worker = await createWorker({
      connection: env.nativeConnection,
      taskQueue,
      activities: profiled(createActivities({ pool, channels, delivery })),
      workflowBundle: await bundleWorkflows(),
    });
    const t0 = performance.now();
    const ids = plannedInstances(plan).map((p) => p.workflowId);
    const budgetMs = setting(process.env, 'BENCH_YEAR_BUDGET_S') * 1000;
    let timedOut = false;
    let virtualEnd = 0;
    const businessNow = async () => (await env.currentTimeMs()) + offset;
    await worker.runUntil(async () => {
      await deploy(plan, { client: env.client, pool, clockOffsetMs: offset, taskQueue });
      log(`${ids.length} instances deployed; skipping a year…`);
      // Weekly steps so progress shows and the budget is checked.
      const end = yearStart + 365 * 86_400_000;
      for (let week = 0; (await businessNow()) < end; week++) {
        if (performance.now() - t0 > budgetMs) {
          timedOut = true;
          break;
        }
        await env.sleep(Math.min(7 * 86_400_000, end - (await businessNow())));
        if (week % 8 === 0) log(`virtual ${new Date(await businessNow()).toISOString().slice(0, 10)}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
      virtualEnd = await businessNow();
    });
    // The year is done when its mail is out.
    await delivery.idle();
    await delivery.stop();
    if (setting(process.env, 'BENCH_PROFILE')) for (const [name, p] of profile) log(`${name}: ${p.calls} calls, ${(p.ms / p.calls).toFixed(1)} ms avg`);
    const wallSeconds = (performance.now() - t0) / 1000;
    const virtualDays = timedOut ? Math.max(1, (virtualEnd - yearStart) / 86_400_000) : 365;
    if (timedOut) log(`budget of ${budgetMs / 1000} s reached after ${virtualDays.toFixed(0)} virtual days`);
    const mail = await pool.query<{ per_notice: number; sent: number }>(
      `SELECT count(*) FILTER (WHERE idempotency_key NOT LIKE 'letter:%')::int AS per_notice,
              count(*) FILTER (WHERE sent_at IS NOT NULL AND letter_key IS NULL)::int AS sent
         FROM outbox WHERE channel = 'email'`,
    );
    const busiest = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox
        WHERE channel = 'email' AND sent_at IS NOT NULL AND letter_key IS NULL
        GROUP BY payload->>'address', date_trunc('day', (payload->>'at')::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')
        ORDER BY n DESC LIMIT 1`,
    );
    let events = 0;
    let runs = 0;
    for (const id of ids) {
      const h = await historyEvents(env.client, id);
      events += h.events;
      runs += h.runs;
    }
    return {
      database: db.kind,
      instances: ids.length,
      virtualDays,
      wallSeconds,
      yearSeconds: (wallSeconds * 365) / virtualDays,
      eventsPerInstanceYear: ((events / Math.max(1, ids.length)) * 365) / virtualDays,
      runs,
      emailsPerInstance: (mail.rows[0]?.sent ?? 0) / Math.max(1, ids.length),
      noticeEmailsPerInstance: (mail.rows[0]?.per_notice ?? 0) / Math.max(1, ids.length),
      maxEmailsPerAddressDay: busiest.rows[0]?.n ?? 0,
    };
  } finally {
    await env.teardown().catch(() => undefined);
    await db.stop().catch(() => undefined);
    rmSync(mailDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchYear((s) => console.error(s));
  console.log(JSON.stringify(r));
}
