/**
 * Triển khai một chỉ thị toàn quốc (100.000 phiên: 3.334 đơn vị × 30 nghĩa vụ) lên cụm Temporal,
 * so với tốc độ khởi động workflow rỗng trên cùng máy chủ, đo trong cùng lần chạy.
 * Deploying a national directive (100,000 instances: 3,334 units × 30 obligations) onto the
 * Temporal cluster, against the rate of bare empty-workflow starts on the same server in the same
 * run (issue 12, item 4). No worker runs meanwhile: this is what `chithi deploy` adds to Temporal's
 * own cost of a start. The bare starts are split, half before the deploy and half after, so a
 * machine whose load drifts during the run (it is shared) weighs on both sides alike.
 */
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { DefaultPayloadConverter } from '@temporalio/common';
import type pg from 'pg';
import { mapLimit } from '../service/concurrency.js';
import { deploy } from '../service/deploy.js';
import { instanceInput, plannedInstances } from '../service/instances.js';
import { hasChithiSearchAttributes } from '../service/search-attributes.js';
import { syntheticPlan } from './synthetic-plan.js';

export interface ScaleDeployBench {
  directiveId: string;
  instances: number;
  units: number;
  concurrency: number;
  /** The server has chithi's search attributes: each instance sets them in its first step (none at the start). */
  searchAttributes: boolean;
  /** Bytes of one instance's input as sent to Temporal (JSON). */
  inputBytes: number;
  bareStarts: number;
  barePerSec: number;
  /** The two halves' rates, to show how much the machine's load moved. */
  bareBefore: number;
  bareAfter: number;
  deployPerSec: number;
  deploySeconds: number;
  ratio: number;
  /**
   * The machine's busy CPU per start (ms), every process counted (cluster, PostgreSQL, this one):
   * what a start costs, apart from how the machine's speed drifts between the runs. Undefined
   * where /proc/stat is not there.
   */
  cpuPerStartMs?: { bare: number; deploy: number };
  seconds: number;
}

/** Calls in flight, as `chithi deploy` uses (service/deploy.ts default) and the bare loop too. */
const CONCURRENCY = 50;
const OBLIGATIONS = 30;

/** The national directive's id; the memory part runs a worker over its instances. */
export const NATIONAL = 'bench-national';

export function nationalPlan(instances: number) {
  return syntheticPlan(instances, NATIONAL, Math.ceil(instances / OBLIGATIONS));
}

export async function benchScaleDeploy(
  client: Client,
  pool: pg.Pool,
  opts: { instances: number; bare: number; taskQueue: string; log: (s: string) => void },
): Promise<ScaleDeployBench> {
  const { instances, log } = opts;
  const t0 = performance.now();
  const plan = nationalPlan(instances);
  const units = Math.ceil(instances / OBLIGATIONS);
  const first = plannedInstances(plan)[0]!;
  const searchAttributes = await hasChithiSearchAttributes(client);
  const inputBytes = new DefaultPayloadConverter().toPayload(instanceInput(plan, first.obligation, first.unitId, undefined, { searchAttributes })).data?.length ?? 0;

  const bare = (from: number, n: number) =>
    measured(() =>
      mapLimit(Array.from({ length: n }, (_, i) => from + i), CONCURRENCY, (i) =>
        client.workflow.start('benchEmpty', { workflowId: `bare-${i}`, taskQueue: 'bench-bare' }),
      ),
    );
  // Warm-up: gRPC channel, the server's caches, JIT; not counted.
  await mapLimit(Array.from({ length: 200 }, (_, i) => i), CONCURRENCY, (i) => client.workflow.start('benchEmpty', { workflowId: `warm-${i}`, taskQueue: 'bench-bare' }));

  const half = Math.floor(opts.bare / 2);
  log(`bare: ${half.toLocaleString('en-US')} starts…`);
  const before = await bare(0, half);
  log(`deploy: ${instances.toLocaleString('en-US')} instances (${units} units × ${OBLIGATIONS} obligations)…`);
  const t1 = performance.now();
  let last = t1;
  const deployed = await measured(() =>
    deploy(plan, {
      client,
      pool,
      concurrency: CONCURRENCY,
      taskQueue: opts.taskQueue,
      by: 'bench',
      onProgress: ({ done, total }) => {
        if (performance.now() - last > 30_000) {
          last = performance.now();
          log(`  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}, ${((last - t1) / 1000).toFixed(0)} s`);
        }
      },
    }),
  );
  const deploySeconds = deployed.seconds;
  if (deployed.value.started !== instances) throw new Error(`deploy started ${deployed.value.started} of ${instances}`);
  log(`bare: ${(opts.bare - half).toLocaleString('en-US')} starts…`);
  const after = await bare(half, opts.bare - half);

  const barePerSec = opts.bare / (before.seconds + after.seconds);
  const cpuPerStartMs =
    before.cpu !== undefined && after.cpu !== undefined && deployed.cpu !== undefined
      ? { bare: (1000 * (before.cpu + after.cpu)) / opts.bare, deploy: (1000 * deployed.cpu) / instances }
      : undefined;
  const deployPerSec = instances / deploySeconds;
  return {
    directiveId: plan.directive.id,
    instances,
    units,
    concurrency: CONCURRENCY,
    searchAttributes,
    inputBytes,
    bareStarts: opts.bare,
    barePerSec,
    bareBefore: half / before.seconds,
    bareAfter: (opts.bare - half) / after.seconds,
    deployPerSec,
    deploySeconds,
    ratio: deployPerSec / barePerSec,
    ...(cpuPerStartMs && { cpuPerStartMs }),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** `fn`'s value, its wall seconds, and the machine's busy CPU seconds over it (undefined off Linux). */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpu: number | undefined }> {
  const t = performance.now();
  const cpu0 = busyCpuSeconds();
  const value = await fn();
  const cpu1 = busyCpuSeconds();
  return { value, seconds: (performance.now() - t) / 1000, cpu: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

/**
 * Seconds the machine's CPUs have been busy since boot (/proc/stat: user, system, interrupts), or
 * undefined off Linux. Machine-wide on purpose: a start's cost is spread over the cluster's four
 * processes, their PostgreSQL's backends and the starting process.
 */
function busyCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // cpu  user nice system idle iowait irq softirq steal …: not steal, the time the hypervisor
    // gave to other machines.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = fields;
    // USER_HZ is 100 on every Linux a bench runs on (sysconf(_SC_CLK_TCK)).
    return (user + nice + system + irq + softirq) / 100;
  } catch {
    return undefined;
  }
}
