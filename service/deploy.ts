import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import type pg from 'pg';
import type { Plan } from '../compiler/plan.js';
import { DEFAULT_TASK_QUEUE } from '../common/config.js';
import { SIGNAL, type ReaddSignal, type WithdrawSignal } from '../workflows/types.js';
import { mapLimit } from './concurrency.js';
import { hasChithiSearchAttributes } from './search-attributes.js';
import { amendSignal, instanceInput, plannedInstances, sliceKey, type PlannedInstance } from './instances.js';
import { usesRelations } from '../compiler/relations.js';
import { UserError } from '../common/errors.js';
import { getLatestDeployment, listInstances, recordDeployment, withDeployLock, type Db } from '../activities/store/index.js';

export interface DeployCounts {
  started: number;
  amended: number;
  withdrawn: number;
  unchanged: number;
}

export interface DeployResult extends DeployCounts {
  /** Same plan hash as the recorded deployment: nothing was sent to Temporal. */
  alreadyDeployed: boolean;
  total: number;
}

export interface DeployProgress {
  done: number;
  total: number;
}

export interface DeployOptions {
  client: Client;
  pool: pg.Pool;
  onProgress?: (p: DeployProgress) => void;
  /** Calls in flight; enough to hide round trips without tripping the server's rate limits. */
  concurrency?: number;
  /** Who deployed, for the audit trail. */
  by?: string;
  /** Business time − server time for the instances started (a rehearsal of a past directive); 0 in production. */
  clockOffsetMs?: number;
  /**
   * The queue the instances start on: the worker's (TEMPORAL_TASK_QUEUE, common/config.ts). The CLI,
   * npm start and the benchmarks pass the configured one; the default suits the tests' workers.
   */
  taskQueue?: string;
}

type Op =
  | { kind: 'start'; instance: PlannedInstance; reuseClosed: boolean; generation?: number }
  | { kind: 'amend'; instance: PlannedInstance }
  | { kind: 'withdraw'; workflowId: string; reason: WithdrawSignal['reason'] };

/** Compares the plan with the recorded deployment and lists what Temporal must be told. */
export function diff(plan: Plan, previous: Plan | undefined): { ops: Op[]; unchanged: number } {
  const planned = plannedInstances(plan);
  if (!previous) {
    // Nothing recorded: if a crashed earlier deploy started some of these, starting again
    // must not restart one that has meanwhile completed.
    return { ops: planned.map((instance) => ({ kind: 'start', instance, reuseClosed: false })), unchanged: 0 };
  }
  const before = new Map(plannedInstances(previous).map((p) => [p.workflowId, p]));
  const ops: Op[] = [];
  let unchanged = 0;
  for (const instance of planned) {
    const old = before.get(instance.workflowId);
    before.delete(instance.workflowId);
    if (!old) {
      // New to the recorded plan, so a closed run with this id is one we withdrew earlier
      // (unit dropped, then re-added): it must run again.
      ops.push({ kind: 'start', instance, reuseClosed: true });
    } else if (sliceKey(previous, old.obligation, old.unitId) !== sliceKey(plan, instance.obligation, instance.unitId)) {
      ops.push({ kind: 'amend', instance });
    } else unchanged++;
  }
  const kept = new Map(plan.obligations.map((o) => [o.id, o]));
  for (const gone of before.values()) {
    const o = kept.get(gone.obligation.id);
    const reason = o && o.kind !== 'event' ? 'unit-removed' : 'obligation-removed';
    ops.push({ kind: 'withdraw', workflowId: gone.workflowId, reason });
  }
  return { ops, unchanged };
}

/**
 * Idempotent and amendment-aware: running the same plan twice starts nothing; an amended plan
 * amends, starts and withdraws only what changed. The deployment is recorded after Temporal has
 * accepted every call, so a failed deploy is simply run again. One deploy of a directive at a
 * time, across processes (withDeployLock): a second one waits, then compares its plan with
 * what the first recorded, so an older revision is refused rather than amended over a newer one.
 */
export async function deploy(plan: Plan, options: DeployOptions): Promise<DeployResult> {
  return withDeployLock(options.pool, plan.directive.id, (db) => deployLocked(plan, options, db));
}

/** deploy() under the directive's lock; every query on `db`, the connection that holds it. */
async function deployLocked(plan: Plan, options: DeployOptions, db: Db): Promise<DeployResult> {
  const { client, onProgress } = options;
  const by = options.by ?? 'chithi-cli';
  const recorded = await getLatestDeployment(db, plan.directive.id);
  // Withdrawn or superseded: nothing may be deployed any more.
  if (recorded && recorded.status !== 'active') {
    throw new UserError({
      vi: `Chỉ thị ${plan.directive.id} đã bị thu hồi; không thể triển khai lại. Hãy ban hành với mã mới.`,
      en: `Directive ${plan.directive.id} was withdrawn; it cannot be deployed again. Issue it under a new id.`,
    });
  }
  if (recorded && recorded.plan.directive.revision > plan.directive.revision) {
    throw new UserError({
      vi: `Đã triển khai lần sửa đổi ${recorded.plan.directive.revision}; tệp này là lần sửa đổi ${plan.directive.revision} cũ hơn.`,
      en: `Revision ${recorded.plan.directive.revision} is deployed; this file is the older revision ${plan.directive.revision}.`,
    });
  }
  const total = plannedInstances(plan).length;
  if (recorded?.planHash === plan.hash) {
    onProgress?.({ done: total, total });
    return { started: 0, amended: 0, withdrawn: 0, unchanged: total, alreadyDeployed: true, total };
  }

  const { ops, unchanged } = diff(plan, recorded?.plan);
  const counts: DeployCounts = { started: 0, amended: 0, withdrawn: 0, unchanged };
  const all = [...(await withGenerations(db, plan.directive.id, ops)), ...(recorded ? await eventInstanceOps(db, plan, recorded.plan) : [])];
  const steps = unchanged + all.length;
  let done = unchanged;
  onProgress?.({ done, total: steps });
  await mapLimit(all, options.concurrency ?? 50, async (op) => {
    counts[await apply(client, plan, op, by, options.clockOffsetMs ?? 0, options.taskQueue ?? DEFAULT_TASK_QUEUE)]++;
    onProgress?.({ done: ++done, total: steps });
  });

  await recordDeployment(db, { plan, deployedBy: by });
  return { ...counts, alreadyDeployed: false, total };
}

/**
 * A unit re-added after its withdrawal starts a new run under the old workflow id: the next
 * generation after the one the projection holds, so the new run's notices, audit lines and
 * projection row are its own (InstanceInput.generation). An id the projection does not know runs
 * for the first time.
 */
async function withGenerations(db: Db, directiveId: string, ops: Op[]): Promise<Op[]> {
  if (!ops.some((op) => op.kind === 'start' && op.reuseClosed)) return ops;
  const generations = new Map((await listInstances(db, directiveId)).map((r) => [r.workflowId, r.generation]));
  return ops.map((op) => {
    const previous = op.kind === 'start' && op.reuseClosed ? generations.get(op.instance.workflowId) : undefined;
    return previous === undefined ? op : { ...op, generation: previous + 1 };
  });
}

/** Running event instances follow their obligation too: amended with it, withdrawn when it goes. */
async function eventInstanceOps(db: Db, plan: Plan, previous: Plan): Promise<Op[]> {
  const ops: Op[] = [];
  for (const old of previous.obligations) {
    if (old.kind !== 'event') continue;
    const found = plan.obligations.find((o) => o.id === old.id);
    const now = found?.kind === 'event' ? found : undefined;
    // The shortcut compares no unit's slice: with relations (1.1) each unit's differs by its parent, so look at each.
    if (now && !usesRelations(now) && sliceKey(previous, old, '') === sliceKey(plan, now, '') && old.assignees.every((u) => now.assignees.includes(u))) continue;
    for (const row of await openEventInstances(db, plan.directive.id, old.id)) {
      if (!now) ops.push({ kind: 'withdraw', workflowId: row.workflowId, reason: 'obligation-removed' });
      else if (!now.assignees.includes(row.unitId)) ops.push({ kind: 'withdraw', workflowId: row.workflowId, reason: 'unit-removed' });
      else if (sliceKey(previous, old, row.unitId) !== sliceKey(plan, now, row.unitId)) {
        ops.push({ kind: 'amend', instance: { workflowId: row.workflowId, obligation: now, unitId: row.unitId } });
      }
    }
  }
  return ops;
}

/** Event instances of an obligation that are still open (amended or withdrawn with it). */
async function openEventInstances(db: Db, directiveId: string, obligationId: string): Promise<{ workflowId: string; unitId: string }[]> {
  const rows = await listInstances(db, directiveId, { obligationId, status: ['not-yet-due', 'in-progress', 'awaiting-review', 'overdue'] });
  return rows.filter((r) => r.eventId !== undefined).map((r) => ({ workflowId: r.workflowId, unitId: r.unitId }));
}

async function apply(client: Client, plan: Plan, op: Op, by: string, offset: number, taskQueue: string): Promise<keyof DeployCounts> {
  switch (op.kind) {
    case 'start': {
      const { instance } = op;
      const input = instanceInput(plan, instance.obligation, instance.unitId, undefined, {
        clockOffsetMs: offset,
        searchAttributes: await hasChithiSearchAttributes(client),
        ...(op.generation !== undefined ? { generation: op.generation } : {}),
      });
      try {
        await client.workflow.start('obligationInstance', {
          workflowId: instance.workflowId,
          taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: op.reuseClosed ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
        });
        return 'started';
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        if (!op.reuseClosed) return 'unchanged';
      }
      // Re-added, but a run of this id still runs: one that has not yet processed the withdrawal
      // an earlier deploy sent (no worker in between), or, when a deploy is run again after a crash,
      // the new generation itself. Told to continue as the next generation once withdrawn, it ends
      // the same as with a worker running between the deploys; a run not asked to withdraw ignores
      // it (readd-after-withdrawal-v1). With start, so a run that closed meanwhile is started anew.
      const readd: ReaddSignal = { input, by };
      await client.workflow.signalWithStart('obligationInstance', {
        workflowId: instance.workflowId,
        taskQueue,
        args: [input],
        signal: SIGNAL.readd,
        signalArgs: [readd],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      return 'started';
    }
    case 'amend':
      try {
        await client.workflow.getHandle(op.instance.workflowId).signal(SIGNAL.amend, amendSignal(plan, op.instance.obligation, op.instance.unitId));
        return 'amended';
      } catch (err) {
        // Already completed or withdrawn: there is nothing left to amend.
        if (err instanceof WorkflowNotFoundError) return 'unchanged';
        throw err;
      }
    case 'withdraw':
      try {
        const signal: WithdrawSignal = { reason: op.reason, by };
        await client.workflow.getHandle(op.workflowId).signal(SIGNAL.withdraw, signal);
        return 'withdrawn';
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return 'unchanged';
        throw err;
      }
  }
}
