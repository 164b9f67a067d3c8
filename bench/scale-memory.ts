/**
 * Bộ nhớ (RSS) của một tiến trình worker khi cụm giữ 100.000 phiên đang mở, ở hai giá trị
 * CHITHI_MAX_CACHED_WORKFLOWS: bộ nhớ tăng theo số workflow giữ trong cache, không theo số phiên.
 * A worker process's memory (RSS) while the cluster holds 100,000 open instances, and the sticky
 * cache setting that bounds it, CHITHI_MAX_CACHED_WORKFLOWS (issue 12, item 4). The instances are
 * the deploy part's, started with no worker. A first worker, with the SDK's default cache, takes up
 * their first wakes as after a real deployment (schedule, status projection, audit and notices
 * written, timers set): its throughput, and its RSS as the instances it has handled grow from a
 * tenth of them to all, which stays flat once the cache is full. Then, for each of two settings, a
 * fresh worker process answers a `state` query on instances until its cache is full (a query on a
 * workflow not in its cache replays that workflow's history and keeps it; 1.2 × the setting, so
 * the last ones evict): its RSS then is what that setting costs whatever the number of open
 * instances. The worker is `worker/main.ts` itself, configured by environment only, so the setting
 * is read as in production. RSS from /proc (Linux): the process's resident set, the workflow thread
 * and the SDK's native core included.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { SETTINGS } from '../common/config.js';
import { mapLimit } from '../service/concurrency.js';
import { plannedInstances } from '../service/instances.js';
import { spawnWorkerProcess, type WorkerProcess } from '../worker/spawn.js';
import { QUERY } from '../workflows/types.js';
import { nationalPlan } from './scale-deploy.js';

export interface MemoryPass {
  /** CHITHI_MAX_CACHED_WORKFLOWS; undefined: the SDK's default. */
  cache: number | undefined;
  /** MiB: right after start-up, polling, nothing cached. */
  idleMiB: number;
  /** MiB once the pass is over. */
  rssMiB: number;
  /** MiB: the most the process held (VmHWM). */
  peakMiB: number;
  /** Instances handled (first wakes, or queries), and per second. */
  handled: number;
  perSec: number;
  seconds: number;
}

export interface ScaleMemoryBench {
  instances: number;
  /** The first worker, taking up the deployment's first wakes, with the SDK's default cache. */
  firstWakes: MemoryPass & { rssAtTenthMiB: number };
  /** The SDK's default cache size for a worker on this machine (as worker-options.js computes it). */
  defaultCache: number;
  /** One fresh worker per setting, its cache filled by queries. */
  queried: MemoryPass[];
  /** (RSS at the larger setting − RSS at the smaller) / (larger − smaller), KiB per cached workflow. */
  kibPerCached: number;
  seconds: number;
}

const MiB = 1024 * 1024;

function procStatus(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** RSS sampled every second while `fn` runs; returns fn's result. */
async function sampled<T>(pid: number, fn: () => Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, procStatus(pid).hwm);
    } catch {
      // the process is gone; its exit is reported by the caller
    }
  }, 1000);
  try {
    const value = await fn();
    return { value, peak: Math.max(peak, procStatus(pid).hwm) };
  } finally {
    clearInterval(timer);
  }
}

async function until(what: string, check: () => Promise<boolean>, worker: WorkerProcess, timeoutMs: number, log: (s: string) => void, progress?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let said = Date.now();
  let exited: number | string | undefined;
  void worker.exited.then((code) => (exited = code));
  for (;;) {
    if (await check()) return;
    if (exited !== undefined) throw new Error(`the worker exited (${exited}) before ${what}`);
    if (Date.now() > deadline) throw new Error(`no ${what} after ${timeoutMs / 1000} s`);
    if (progress && Date.now() - said > 30_000) {
      said = Date.now();
      log(`  ${await progress()}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function benchScaleMemory(opts: {
  client: Client;
  pool: pg.Pool;
  /** What the worker process is given: the cluster, chithi's database, the queue. */
  temporalAddress: string;
  databaseUrl: string;
  taskQueue: string;
  instances: number;
  caches: [number, number];
  log: (s: string) => void;
}): Promise<ScaleMemoryBench> {
  const { client, pool, log, instances } = opts;
  const t0 = performance.now();
  const plan = nationalPlan(instances);
  const ids = plannedInstances(plan).map((p) => p.workflowId);
  const mailDir = mkdtempSync(join(tmpdir(), 'chithi-scale-mail-'));
  // Of chithi's settings (common/config.ts) only these: the cluster, the database, the queue, the
  // cache, e-mail to files in a throwaway folder; none of the caller's (an SMTP relay, TLS files).
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in SETTINGS)));
  const env = (cache: number | undefined) => ({
    ...inherited,
    TEMPORAL_ADDRESS: opts.temporalAddress,
    TEMPORAL_TASK_QUEUE: opts.taskQueue,
    DATABASE_URL: opts.databaseUrl,
    DATABASE_POOL_MAX: '10',
    MAIL_DIR: mailDir,
    ...(cache !== undefined && { CHITHI_MAX_CACHED_WORKFLOWS: String(cache) }),
  });
  const start = async (cache: number | undefined): Promise<{ worker: WorkerProcess; idle: number }> => {
    const lines: string[] = [];
    const worker = spawnWorkerProcess(env(cache), { log: (l) => lines.push(l) });
    // Ready once it says so (after bundling the workflows and connecting).
    await until('the worker started', async () => lines.some((l) => l.startsWith('chithi worker:')), worker, 120_000, log);
    await new Promise((r) => setTimeout(r, 3000));
    return { worker, idle: procStatus(worker.pid).rss };
  };
  const projected = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM instances WHERE directive_id = $1', [plan.directive.id])).rows[0]!.n;
  const mib = (pid: number) => procStatus(pid).rss / MiB;

  try {
    // The deployment's first wakes, taken up by a worker with the SDK's default cache.
    log(`worker, the SDK's default cache: first wakes of ${instances.toLocaleString('en-US')} instances…`);
    const first = await start(undefined);
    const pid = first.worker.pid;
    const t1 = performance.now();
    let rssAtTenth = NaN;
    const { peak } = await sampled(pid, () =>
      until(
        `${instances} instances in the projection`,
        async () => {
          const n = await projected();
          if (Number.isNaN(rssAtTenth) && n >= instances / 10) rssAtTenth = mib(pid);
          return n >= instances;
        },
        first.worker,
        6 * 3600_000,
        log,
        async () => `${(await projected()).toLocaleString('en-US')} projected, RSS ${mib(pid).toFixed(0)} MiB, ${((performance.now() - t1) / 1000).toFixed(0)} s`,
      ),
    );
    const firstSeconds = (performance.now() - t1) / 1000;
    const firstWakes = { cache: undefined, idleMiB: first.idle / MiB, rssMiB: mib(pid), rssAtTenthMiB: rssAtTenth, peakMiB: peak / MiB, handled: instances, perSec: instances / firstSeconds, seconds: firstSeconds };
    await first.worker.stop();

    const queried: MemoryPass[] = [];
    for (const cache of opts.caches) {
      // Enough to fill the cache and evict a little, from instances the last pass did not touch last.
      const n = Math.min(ids.length, Math.ceil(cache * 1.2));
      log(`worker, cache ${cache}: a query to each of ${n.toLocaleString('en-US')} instances…`);
      const w = await start(cache);
      const t = performance.now();
      let done = 0;
      let said = t;
      const { peak: p } = await sampled(w.worker.pid, () =>
        mapLimit(ids.slice(0, n), 20, async (id) => {
          await client.workflow.getHandle(id).query(QUERY.state);
          if (++done % 500 === 0 && performance.now() - said > 30_000) {
            said = performance.now();
            log(`  ${done.toLocaleString('en-US')} queried, RSS ${mib(w.worker.pid).toFixed(0)} MiB, ${((said - t) / 1000).toFixed(0)} s`);
          }
        }),
      );
      const seconds = (performance.now() - t) / 1000;
      queried.push({ cache, idleMiB: w.idle / MiB, rssMiB: mib(w.worker.pid), peakMiB: p / MiB, handled: n, perSec: n / seconds, seconds });
      await w.worker.stop();
    }
    const [a, b] = queried as [MemoryPass, MemoryPass];
    const cachedA = Math.min(a.cache!, a.handled);
    const cachedB = Math.min(b.cache!, b.handled);
    // @temporalio/worker's worker-options.js, for its default (reusable V8 context): the worker
    // process runs the same node with the same heap limit as this one.
    const heapMiB = getHeapStatistics().heap_size_limit / MiB;
    return {
      instances,
      firstWakes,
      defaultCache: Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10),
      queried,
      kibPerCached: cachedB === cachedA ? NaN : ((b.rssMiB - a.rssMiB) * 1024) / (cachedB - cachedA),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    rmSync(mailDir, { recursive: true, force: true });
  }
}
