/**
 * `npm run bench:scale`: quy mô toàn quốc (issue 12, mục 4), mỗi kết quả một dòng như `npm run bench`.
 * `npm run bench:scale`: national scale (issue 12, item 4), one line per result as `npm run bench`
 * prints them, each a ratio against a baseline measured in the same run where there is one:
 * - deploy: 100,000 instances of a national directive onto a Temporal cluster on PostgreSQL
 *   (scripts/temporal-cluster.ts: four service processes, SQL visibility, chithi's search
 *   attributes), against bare empty-workflow starts on the same cluster;
 * - memory: a worker process's RSS with those 100,000 instances open, at two sticky-cache sizes
 *   (CHITHI_MAX_CACHED_WORKFLOWS);
 * - status: `chithi status` at 100,000 instances, the API route's p95 and the CLI command;
 * - year: a year of virtual time for 10,000 instances on the time-skipping server, in
 *   instance-years per second, against a bare workflow with the same timer wakes and no activities.
 * Not part of `npm run bench` (about 7 minutes): this takes much longer (the times are printed per
 * part). Sizes and parts are settings (common/config.ts: BENCH_SCALE_*), the sizes by
 * default. Every line carries the machine's core count, every part its run time and the load
 * average at its start and end: the machine may be shared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { migrate } from '../activities/index.js';
import { clientConnectionOptions, ConfigError, loadConfig, setting } from '../common/config.js';
import { portInUse } from '../service/local-temporal.js';
import { clusterPorts, startCluster } from '../scripts/temporal-cluster.js';
import { fmt, guarded, printLines, type BenchLine } from './lines.js';
import { startBenchPostgres } from '../service/throwaway-postgres.js';
import { benchScaleDeploy, type ScaleDeployBench } from './scale-deploy.js';
import { benchScaleMemory } from './scale-memory.js';
import { benchScaleStatus } from './scale-status.js';
import { benchScaleYear } from './scale-year.js';

const log = (s: string) => process.stderr.write(`  … ${s}\n`);
const n = (x: number) => x.toLocaleString('en-US');
const PARTS = ['deploy', 'memory', 'status', 'year'] as const;
type Part = (typeof PARTS)[number];

function parts(): Set<Part> {
  const raw = setting(process.env, 'BENCH_SCALE_PARTS').split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = raw.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new ConfigError({ vi: `BENCH_SCALE_PARTS: không có phần ${unknown.join(', ')} (có: ${PARTS.join(', ')})`, en: `BENCH_SCALE_PARTS: no part ${unknown.join(', ')} (there are: ${PARTS.join(', ')})` });
  return new Set(raw as Part[]);
}

function caches(): [number, number] {
  const raw = setting(process.env, 'BENCH_SCALE_CACHE');
  const v = raw.split(',').map((x) => Number(x.trim()));
  if (v.length !== 2 || v.some((x) => !Number.isInteger(x) || x < 2) || v[0]! >= v[1]!) {
    throw new ConfigError({ vi: `BENCH_SCALE_CACHE là hai số nguyên tăng dần, ví dụ 1000,10000 (nhận được: "${raw}")`, en: `BENCH_SCALE_CACHE is two increasing whole numbers, e.g. 1000,10000 (got "${raw}")` });
  }
  return v as [number, number];
}

/** A base port whose whole cluster range (clusterPorts) is free. */
async function freeClusterBase(): Promise<number> {
  for (const base of [18233, 28233, 38233, 48233]) {
    const p = clusterPorts(base);
    const all = [...Object.values(p.grpc), ...Object.values(p.membership), ...Object.values(p.metrics), p.http];
    if (!(await Promise.all(all.map((port) => portInUse(port)))).some(Boolean)) return base;
  }
  throw new Error('no free port range for a Temporal cluster');
}

async function main(): Promise<void> {
  const want = parts();
  const cores = availableParallelism();
  const tag = ` [${cores} cores]`;
  const lines: BenchLine[] = [];
  /** One part: its lines, each with the core count, then its run time and the load around it. */
  const part = (name: string, fn: () => Promise<BenchLine[]>) =>
    guarded(lines, name, async () => {
      const t0 = performance.now();
      const load0 = loadavg()[0]!;
      const out = await fn();
      const minutes = (performance.now() - t0) / 60_000;
      return [...out, { name: `  ${name}: run time`, value: `${fmt(minutes)} min`, baseline: '-', ratio: '-', target: `load ${fmt(load0)} → ${fmt(loadavg()[0]!)}`, pass: true }].map((l) => ({ ...l, name: l.name + tag }));
    });

  const sizes = { instances: setting(process.env, 'BENCH_SCALE_INSTANCES'), bare: setting(process.env, 'BENCH_SCALE_BARE'), year: setting(process.env, 'BENCH_SCALE_YEAR_INSTANCES') };
  const { taskQueue } = loadConfig(process.env).temporal;

  if (want.has('deploy') || want.has('memory')) {
    // One cluster for both: the memory part runs a worker over the instances the deploy started.
    // Its databases and chithi's in a throwaway PostgreSQL (service/throwaway-postgres.ts: no fsync), so the
    // machine's own cluster, which other tests use, carries none of this load.
    const db = await startBenchPostgres();
    if (db.kind !== 'postgres') throw new Error('the cluster needs a real PostgreSQL (initdb and postgres; PG_BINDIR)');
    const dir = mkdtempSync(join(tmpdir(), 'chithi-scale-cluster-'));
    let deployed: ScaleDeployBench | undefined;
    try {
      log('starting the Temporal cluster…');
      const cluster = await startCluster({ settings: { dbUrl: db.url, dbName: 'temporal', visibilityDbName: 'temporal_visibility', port: await freeClusterBase() }, dir, log });
      const connection = await Connection.connect(clientConnectionOptions({ address: cluster.address, namespace: cluster.namespace, taskQueue }));
      const client = new Client({ connection, namespace: cluster.namespace });
      try {
        await migrate(db.pool);
        await part('deploy', async () => {
          const r = await benchScaleDeploy(client, db.pool, { instances: sizes.instances, bare: sizes.bare, taskQueue, log });
          deployed = r;
          return [
            {
              name: `deploy ${n(r.instances)} instances (${n(r.units)} units × 30 obligations, ${r.concurrency} in flight; Temporal cluster on PostgreSQL${r.searchAttributes ? ', search attributes from the first step' : ''})`,
              value: `${fmt(r.deployPerSec)} inst/s`,
              baseline: `${fmt(r.barePerSec)} bare starts/s`,
              ratio: `${fmt(r.ratio, 2)}x`,
              target: '>= 0.90x',
              pass: r.ratio >= 0.9,
            },
            { name: '  deploy time', value: `${fmt(r.deploySeconds / 60)} min`, baseline: '-', ratio: '-', target: 'reported', pass: true },
            {
              name: `  bare starts: ${n(r.bareStarts)}, half before the deploy, half after`,
              value: `${fmt(r.bareBefore)} / ${fmt(r.bareAfter)} starts/s`,
              baseline: '-',
              ratio: '-',
              target: 'reported',
              pass: true,
            },
            { name: "  one instance's input (JSON)", value: `${n(r.inputBytes)} bytes`, baseline: '-', ratio: '-', target: 'reported', pass: true },
            ...(r.cpuPerStartMs
              ? [
                  {
                    // The machine's busy CPU per start, all processes: apart from drifts in the machine's speed.
                    name: '  CPU per start, the whole machine (cluster, PostgreSQL, client)',
                    value: `${fmt(r.cpuPerStartMs.deploy, 2)} ms deploy`,
                    baseline: `${fmt(r.cpuPerStartMs.bare, 2)} ms bare`,
                    ratio: `${fmt(r.cpuPerStartMs.deploy / r.cpuPerStartMs.bare, 2)}x`,
                    target: 'reported',
                    pass: true,
                  },
                ]
              : []),
          ];
        });
        if (want.has('memory')) {
          await part('memory', async () => {
            if (!deployed) throw new Error('the deploy part did not finish: no instances to open');
            const r = await benchScaleMemory({ client, pool: db.pool, temporalAddress: cluster.address, databaseUrl: db.url, taskQueue, instances: deployed.instances, caches: caches(), log });
            const f = r.firstWakes;
            const mib = (x: number) => `${fmt(x, 0)} MiB`;
            return [
              {
                // Flat from a tenth of the instances to all of them, once a tenth fills the cache.
                name: `worker RSS, ${n(r.instances)} open instances, their first wakes taken up (the SDK's default cache, ${n(r.defaultCache)})`,
                value: mib(f.rssMiB),
                baseline: `${mib(f.rssAtTenthMiB)} at a tenth`,
                ratio: `${fmt(f.rssMiB / f.rssAtTenthMiB, 2)}x`,
                target: `<= 1.25x (idle ${mib(f.idleMiB)}, peak ${mib(f.peakMiB)})`,
                pass: r.instances / 10 < r.defaultCache || f.rssMiB <= 1.25 * f.rssAtTenthMiB,
              },
              { name: '  first wakes taken up', value: `${fmt(f.perSec)} inst/s`, baseline: '-', ratio: '-', target: `${fmt(f.seconds / 60)} min`, pass: true },
              ...r.queried.map((q) => ({
                name: `  cache filled by queries (${n(q.handled)}), CHITHI_MAX_CACHED_WORKFLOWS=${n(q.cache ?? 0)}`,
                value: mib(q.rssMiB),
                baseline: `${mib(q.idleMiB)} idle`,
                ratio: `${fmt(q.rssMiB / q.idleMiB, 2)}x`,
                target: `peak ${mib(q.peakMiB)}; ${fmt(q.perSec)} queries/s`,
                pass: true,
              })),
              {
                // Bounded by the cache, not by the open instances: a steady amount per cached workflow,
                // which an operator multiplies out to choose the setting for a worker's memory.
                name: '  memory per cached workflow',
                value: `${fmt(r.kibPerCached, 0)} KiB`,
                baseline: '-',
                ratio: '-',
                target: 'bounded by the cache',
                pass: r.queried[1]!.rssMiB > r.queried[0]!.rssMiB,
              },
            ];
          });
        }
      } finally {
        await connection.close().catch(() => undefined);
        await cluster.stop();
      }
    } finally {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  if (want.has('status')) {
    await part('status', async () => {
      const r = await benchScaleStatus({ instances: sizes.instances, log });
      const kb = (b: number) => (b >= 1 << 20 ? `${fmt(b / (1 << 20))} MB` : `${fmt(b / 1024)} kB`);
      return [
        {
          name: `chithi status at ${n(r.instances)} instances: API route, one request at a time (${r.database} PostgreSQL)`,
          value: `p95 ${fmt(r.healthz.p95)} ms /healthz`,
          baseline: '-',
          ratio: '-',
          target: `(written in ${fmt(r.seedSeconds)} s)`,
          pass: true,
        },
        ...r.routes.map((t) => ({
          name: `  ${t.name}: ${n(t.rows)} rows, ${kb(t.bytes)}`,
          value: `p95 ${fmt(t.p95, 0)} ms`,
          baseline: `p50 ${fmt(t.p50, 0)} ms`,
          ratio: `${fmt(t.p95 / Math.max(r.healthz.p95, 1e-9), 1)}x /healthz`,
          target: 'p95 < 300 ms',
          pass: t.p95 < 300,
        })),
        {
          name: `  chithi status (a new process; ${n(r.cli.lines)} lines printed)`,
          value: `p50 ${fmt(r.cli.p50, 0)} ms`,
          baseline: '-',
          ratio: '-',
          target: `max ${fmt(r.cli.max, 0)} ms of ${r.cli.runs}`,
          pass: true,
        },
      ];
    });
  }

  if (want.has('year')) {
    await part('year', async () => {
      const r = await benchScaleYear({ instances: sizes.year, log });
      return [
        {
          name: `a year of ${n(r.instances)} instances on the time-skipping server (${r.database} PostgreSQL; ${fmt(r.wakesPerInstance)} timer wakes each)`,
          value: `${fmt(r.instanceYearsPerSec)} inst-years/s`,
          baseline: `${fmt(r.bareInstanceYearsPerSec)} bare`,
          ratio: `${fmt(r.ratio, 2)}x`,
          target: '>= 0.50x',
          pass: r.ratio >= 0.5 && r.broken.length === 0,
        },
        {
          // How much of the gap is the engine's own cost of committing each wake through a local
          // activity (what chithi's step journal does), and how much is what chithi does in it.
          name: '  against bare workflows with one no-op local activity per wake',
          value: `${fmt(r.instanceYearsPerSec)} inst-years/s`,
          baseline: `${fmt(r.journalInstanceYearsPerSec)} bare + local activity`,
          ratio: `${fmt(r.instanceYearsPerSec / r.journalInstanceYearsPerSec, 2)}x`,
          target: 'reported',
          pass: true,
        },
        {
          name: '  wall time: bare, chithi, bare + local activity (run in that order)',
          value: `${fmt(r.bareSeconds, 0)} s, ${fmt(r.seconds, 0)} s, ${fmt(r.journalSeconds, 0)} s`,
          baseline: '-',
          ratio: '-',
          target: `(load after each ${r.loads.map((l) => fmt(l)).join(', ')}; cache ${r.cache === undefined ? "the SDK's" : n(r.cache)})`,
          pass: true,
        },
        {
          name: '  workflows failed, terminated, cancelled or timed out',
          value: r.broken.length === 0 ? '0' : `${r.broken.length}: ${r.broken.slice(0, 3).join('; ')}`,
          baseline: '-',
          ratio: '-',
          target: '0',
          pass: r.broken.length === 0,
        },
      ];
    });
  }

  process.exitCode = printLines(lines) ? 0 : 1;
}

await main();
