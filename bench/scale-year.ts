/**
 * Một năm thời gian ảo của 10.000 phiên (chỉ thị dạng toàn quốc) trên máy chủ kiểm thử tua thời
 * gian, tính bằng phiên-năm mỗi giây, so với một workflow trần thức dậy đúng chừng ấy lần mà không
 * gọi activity nào: giới hạn của chính Temporal trên máy này.
 * A year of virtual time for 10,000 instances of a national-shaped directive on the time-skipping
 * server (issue 12, item 4), as instance-years per second, against a bare workflow doing the same
 * timer wakes with no activities (bench/workflows/wakes.ts): the engine's own limit here.
 *
 * chithi's year: a real worker, real activities (schedule, the step journal, letters, the outbox)
 * and a real PostgreSQL (service/throwaway-postgres.ts), the instances deployed by deploy() with a virtual
 * epoch (the plan's own year, 2030), nobody acting, so every duty runs its whole ladder:
 * reminders, due, overdue, escalations, overdue reminders. The baseline's wakes come from a pilot
 * year of one instance per obligation: the instants its timers fired, as offsets from its start;
 * each bare workflow is given its obligation's. A second baseline also runs one no-op local
 * activity per wake, as chithi commits each step through one (recordStep): the engine's cost of
 * that pattern, apart from what chithi does in it. Each run has a fresh time-skipping server (none
 * of another run's workflows left to wake) holding as many workflows as chithi's year: the
 * server's cost of a wake grows with the workflows it holds (bare, daily steps, one server: 1,500
 * workflows at 41 instance-years/s, 3,000 at 32, 5,000 at 28, 10,000 at 9.8), so baselines split in halves over two
 * servers, as this bench once ran them to spread a drifting load, measured an easier engine than
 * chithi's and under-stated its ratio (3,000 instances: 0.26× against halves, 0.34× against one). The order is bare, chithi, bare with a local activity, and the load average is reported
 * after each, so a drift shows. The same concurrency of starts and the same sticky-cache size
 * (CHITHI_MAX_CACHED_WORKFLOWS, else the SDK's). Each time runs from the first start to the year's
 * end, in daily steps; chithi's until its mail is out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, fileEmailChannel, migrate, startDelivery } from '../activities/index.js';
import { loadConfig, ROOT, setting } from '../common/config.js';
import { mapLimit } from '../service/concurrency.js';
import { deploy } from '../service/deploy.js';
import { plannedInstances } from '../service/instances.js';
import { startTimeSkipping } from '../service/local-temporal.js';
import { bundleWorkflows, createWorker } from '../worker/index.js';
import type { Plan } from '../compiler/plan.js';
import { startBenchPostgres } from '../service/throwaway-postgres.js';
import { syntheticPlan } from './synthetic-plan.js';

export interface ScaleYearBench {
  database: 'postgres' | 'embedded';
  instances: number;
  /** Timer wakes per instance in the year (chithi's, which the baseline repeats). */
  wakesPerInstance: number;
  /** The workers' sticky cache: CHITHI_MAX_CACHED_WORKFLOWS, or the SDK's default (undefined). */
  cache: number | undefined;
  seconds: number;
  bareSeconds: number;
  /** The 1-minute load average after each run (bare, chithi, bare + local activity): a drift shows. */
  loads: [number, number, number];
  /** The same with one local activity per wake (benchWakesJournal): the step journal's pattern, its writes aside. */
  journalSeconds: number;
  journalInstanceYearsPerSec: number;
  instanceYearsPerSec: number;
  bareInstanceYearsPerSec: number;
  ratio: number;
  /** Workflows that failed, were terminated, cancelled or timed out: must be none. */
  broken: string[];
}

const DAY = 86_400_000;
const CONCURRENCY = 50;
const BROKEN = new Set(['FAILED', 'TERMINATED', 'CANCELLED', 'TIMED_OUT']);
const quiet = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m), log: () => undefined };

interface HistoryEvent {
  eventTime?: { seconds?: unknown; nanos?: number | null } | null;
  timerFiredEventAttributes?: unknown;
}

/** When each timer of the workflow fired, as ms after its start, over all its runs. */
async function wakeOffsets(client: Client, workflowId: string): Promise<number[]> {
  const history = (await client.workflow.getHandle(workflowId).fetchHistory()) as { events?: HistoryEvent[] | null };
  const events = history.events ?? [];
  const at = (e: HistoryEvent) => tsToMs(e.eventTime as Parameters<typeof tsToMs>[0]);
  const start = at(events[0]!);
  return events.filter((e) => e.timerFiredEventAttributes).map((e) => at(e) - start);
}

/**
 * Advances the server's clock by a year in daily steps (the time-skipping server skips idle time).
 * Daily, so that each sleep call returns within seconds; and a day that takes longer than
 * STALL_MS of real time fails the run instead of hanging it: virtual time that stopped (as it did
 * when the server sent its client GOAWAY, service/local-temporal.ts startTimeSkipping) leaves every
 * process idle and would otherwise wait for ever.
 */
async function liveAYear(env: TestWorkflowEnvironment, log: (s: string) => void, what: string, t0: number): Promise<void> {
  const end = (await env.currentTimeMs()) + 365 * DAY;
  for (let day = 0; ; day++) {
    const left = end - (await env.currentTimeMs());
    if (left <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: day ${day + 1} of the year did not pass in ${STALL_MS / 60_000} minutes of real time: virtual time stopped`)), STALL_MS);
    });
    try {
      await Promise.race([env.sleep(Math.min(DAY, left)), stalled]);
    } finally {
      clearTimeout(timer);
    }
    if (day % 56 === 55) log(`  ${what}: week ${(day + 1) / 7}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}

/** Far longer than a day of the year takes here: 10,000 instances took 40 minutes for the whole year. */
const STALL_MS = 15 * 60_000;

/** chithi's year for `plan` on a fresh time-skipping server: its wall time, wakes per obligation, and broken workflows. */
async function chithiYear(
  plan: Plan,
  bundle: WorkflowBundleWithSourceMap,
  cache: number | undefined,
  log: (s: string) => void,
): Promise<{ database: 'postgres' | 'embedded'; seconds: number; offsets: Map<string, number[]>; broken: string[] }> {
  const { taskQueue } = loadConfig(process.env).temporal;
  const planned = plannedInstances(plan);
  const mailDir = mkdtempSync(join(tmpdir(), 'chithi-scale-year-'));
  const db = await startBenchPostgres();
  const pool = db.pool;
  const offsets = new Map<string, number[]>();
  const broken: string[] = [];
  const env = await startTimeSkipping();
  try {
    await migrate(pool);
    const yearStart = Date.parse(`${plan.directive.issued}T09:00:00+07:00`);
    const offset = yearStart - (await env.currentTimeMs());
    const channels = { email: fileEmailChannel(mailDir) };
    const delivery = startDelivery({ pool, channels });
    const worker = await createWorker({
      connection: env.nativeConnection,
      taskQueue,
      activities: createActivities({ pool, channels, delivery }),
      workflowBundle: bundle,
      ...(cache !== undefined && { maxCachedWorkflows: cache }),
    });
    const t0 = performance.now();
    await worker.runUntil(async () => {
      await deploy(plan, { client: env.client, pool, clockOffsetMs: offset, taskQueue, concurrency: CONCURRENCY });
      log(`chithi: ${planned.length.toLocaleString('en-US')} deployed in ${((performance.now() - t0) / 1000).toFixed(0)} s; a year…`);
      await liveAYear(env, log, 'chithi', t0);
    });
    // The year is over when its mail is out.
    await delivery.idle();
    const seconds = (performance.now() - t0) / 1000;
    await delivery.stop();
    for (const o of plan.obligations) {
      const id = planned.find((p) => p.obligation.id === o.id)?.workflowId;
      if (id) offsets.set(o.id, await wakeOffsets(env.client, id));
    }
    await mapLimit(planned, 20, async (p) => {
      const status = (await env.client.workflow.getHandle(p.workflowId).describe()).status.name;
      if (BROKEN.has(status)) broken.push(`${p.workflowId}: ${status}`);
    });
    return { database: db.kind, seconds, offsets, broken };
  } finally {
    await env.teardown().catch(() => undefined);
    await db.stop().catch(() => undefined);
    rmSync(mailDir, { recursive: true, force: true });
  }
}

/**
 * A bare year: one workflow per instance, each waking at its obligation's offsets, on a fresh
 * server; with `journal`, each wake also runs one local activity that does nothing.
 */
async function bareYear(
  workflows: { obligationId: string }[],
  offsets: Map<string, number[]>,
  bundle: WorkflowBundleWithSourceMap,
  cache: number | undefined,
  journal: boolean,
  log: (s: string) => void,
): Promise<number> {
  const env = await startTimeSkipping();
  try {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'bench-wakes',
      workflowBundle: bundle,
      activities: { benchJournal: async () => undefined },
      ...(cache !== undefined && { maxCachedWorkflows: cache }),
    });
    const t0 = performance.now();
    const type = journal ? 'benchWakesJournal' : 'benchWakes';
    await worker.runUntil(async () => {
      await mapLimit(workflows, CONCURRENCY, (w, i) =>
        env.client.workflow.start(type, { workflowId: `wakes-${i}`, taskQueue: 'bench-wakes', args: [offsets.get(w.obligationId) ?? []] }),
      );
      await liveAYear(env, log, journal ? 'bare with a local activity' : 'bare', t0);
    });
    return (performance.now() - t0) / 1000;
  } finally {
    await env.teardown().catch(() => undefined);
  }
}

export async function benchScaleYear(opts: { instances: number; log: (s: string) => void }): Promise<ScaleYearBench> {
  const { log } = opts;
  const cache = setting(process.env, 'CHITHI_MAX_CACHED_WORKFLOWS');
  const plan = syntheticPlan(opts.instances, 'bench-year', Math.ceil(opts.instances / 30));
  const planned = plannedInstances(plan);
  log('bundling…');
  const [bundle, bareBundle] = await Promise.all([
    bundleWorkflows(),
    bundleWorkflowCode({ workflowsPath: join(ROOT, 'bench', 'workflows', 'wakes.ts'), logger: quiet }),
  ]);
  // A pilot of one instance per obligation: the instants its timers fire, which the bare workflows
  // repeat (the same plan and epoch give every instance of an obligation the same schedule).
  log(`pilot: a year of ${plan.obligations.length} instances, one per obligation…`);
  const pilotPlan = { ...plan, obligations: plan.obligations.map((o) => ({ ...o, assignees: o.assignees.slice(0, 1) })) };
  const pilot = await chithiYear(pilotPlan, bundle, cache, () => undefined);
  // Every run with all the workflows on its own server: the server's cost of a wake grows with the
  // workflows it holds, so a baseline must hold as many as chithi's year.
  const ids = planned.map((p) => ({ obligationId: p.obligation.id }));
  const count = ids.length.toLocaleString('en-US');
  log(`bare: ${count} workflows…`);
  // Each run's time is logged as it ends: a long run stopped early still tells what it measured.
  const bareSeconds = await bareYear(ids, pilot.offsets, bareBundle, cache, false, log);
  const loads: number[] = [loadavg()[0]!];
  log(`bare: ${bareSeconds.toFixed(1)} s (load ${loads[0]!.toFixed(2)})`);
  log(`chithi: ${count} instances…`);
  const chithi = await chithiYear(plan, bundle, cache, log);
  loads.push(loadavg()[0]!);
  log(`chithi: ${chithi.seconds.toFixed(1)} s (load ${loads[1]!.toFixed(2)}), ${(bareSeconds / chithi.seconds).toFixed(2)}x of bare`);
  log(`bare with a local activity per wake: ${count} workflows…`);
  const journalSeconds = await bareYear(ids, pilot.offsets, bareBundle, cache, true, log);
  loads.push(loadavg()[0]!);

  const wakes = (offsets: Map<string, number[]>) => planned.reduce((n, p) => n + (offsets.get(p.obligation.id)?.length ?? 0), 0) / planned.length;
  const wakesPerInstance = wakes(chithi.offsets);
  if (Math.abs(wakes(pilot.offsets) - wakesPerInstance) > 0.01) log(`the pilot woke ${wakes(pilot.offsets).toFixed(2)} times per instance, the year ${wakesPerInstance.toFixed(2)}`);
  const instanceYearsPerSec = planned.length / chithi.seconds;
  const bareInstanceYearsPerSec = ids.length / bareSeconds;
  return {
    database: chithi.database,
    instances: planned.length,
    wakesPerInstance,
    cache,
    seconds: chithi.seconds,
    bareSeconds,
    loads: loads as [number, number, number],
    journalSeconds,
    journalInstanceYearsPerSec: ids.length / journalSeconds,
    instanceYearsPerSec,
    bareInstanceYearsPerSec,
    ratio: instanceYearsPerSec / bareInstanceYearsPerSec,
    broken: chithi.broken,
  };
}
