/**
 * Triển khai một chỉ thị toàn quốc (100.000 phiên: 3.334 đơn vị × 30 nghĩa vụ) lên cụm Temporal,
 * so với tốc độ khởi động workflow rỗng trên cùng máy chủ, đo trong cùng lần chạy.
 * Deploying a national directive (100,000 instances: 3,334 units × 30 obligations) onto the
 * Temporal cluster, against the rate of bare empty-workflow starts on the same server in the same
 * run (issue 12, item 4). No worker runs meanwhile: this is what `chithi deploy` adds to Temporal's
 * own cost of a start. The bare starts are split, half before the deploy and half after, so a
 * machine whose load drifts during the run (it is shared) weighs on both sides alike.
 */
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

  const bare = async (from: number, n: number): Promise<number> => {
    const t = performance.now();
    await mapLimit(Array.from({ length: n }, (_, i) => from + i), CONCURRENCY, (i) =>
      client.workflow.start('benchEmpty', { workflowId: `bare-${i}`, taskQueue: 'bench-bare' }),
    );
    return (performance.now() - t) / 1000;
  };
  // Warm-up: gRPC channel, the server's caches, JIT; not counted.
  await mapLimit(Array.from({ length: 200 }, (_, i) => i), CONCURRENCY, (i) => client.workflow.start('benchEmpty', { workflowId: `warm-${i}`, taskQueue: 'bench-bare' }));

  const half = Math.floor(opts.bare / 2);
  log(`bare: ${half.toLocaleString('en-US')} starts…`);
  const beforeSec = await bare(0, half);
  log(`deploy: ${instances.toLocaleString('en-US')} instances (${units} units × ${OBLIGATIONS} obligations)…`);
  const t1 = performance.now();
  let last = t1;
  const result = await deploy(plan, {
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
  });
  const deploySeconds = (performance.now() - t1) / 1000;
  if (result.started !== instances) throw new Error(`deploy started ${result.started} of ${instances}`);
  log(`bare: ${(opts.bare - half).toLocaleString('en-US')} starts…`);
  const afterSec = await bare(half, opts.bare - half);

  const barePerSec = opts.bare / (beforeSec + afterSec);
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
    bareBefore: half / beforeSec,
    bareAfter: (opts.bare - half) / afterSec,
    deployPerSec,
    deploySeconds,
    ratio: deployPerSec / barePerSec,
    seconds: (performance.now() - t0) / 1000,
  };
}
