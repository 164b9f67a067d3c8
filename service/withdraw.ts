import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type pg from 'pg';
import type { Plan } from '../compiler/plan.js';
import { SIGNAL, type InstanceStatus, type WithdrawSignal } from '../workflows/types.js';
import { mapLimit } from './concurrency.js';
import { plannedInstances } from './instances.js';
import { UserError } from '../common/errors.js';
import { listInstances, setDeploymentStatus, withDeployLock, type Db, type InstanceRow } from '../activities/store/index.js';
import { deployedPlan, TERMINAL } from './target.js';

/**
 * Withdraws every open instance of a directive (deployed and event-started) and marks the
 * deployment. Under the directive's deploy lock: a deploy running meanwhile would start instances
 * after the withdrawal and record the directive active again.
 */
export async function withdrawDirective(
  directiveId: string,
  opts: { client: Client; pool: pg.Pool; supersededBy?: string; by?: string },
): Promise<{ withdrawn: number; alreadyClosed: number }> {
  return withDeployLock(opts.pool, directiveId, (db) => withdrawLocked(directiveId, opts, db));
}

async function withdrawLocked(
  directiveId: string,
  opts: { client: Client; supersededBy?: string; by?: string },
  db: Db,
): Promise<{ withdrawn: number; alreadyClosed: number }> {
  const plan = await deployedPlan(db, directiveId);
  if (opts.supersededBy === directiveId) {
    throw new UserError({ vi: 'Một chỉ thị không thể thay thế chính nó.', en: 'A directive cannot supersede itself.' }, 2);
  }
  const signal: WithdrawSignal = opts.supersededBy
    ? { reason: 'directive-superseded', supersededBy: opts.supersededBy, by: opts.by ?? 'chithi-cli' }
    : { reason: 'directive-withdrawn', by: opts.by ?? 'chithi-cli' };
  const open = (await openInstances(db, plan)).map((i) => i.workflowId);
  let withdrawn = 0;
  let alreadyClosed = 0;
  await mapLimit(open, 50, async (workflowId) => {
    try {
      await opts.client.workflow.getHandle(workflowId).signal(SIGNAL.withdraw, signal);
      withdrawn++;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      alreadyClosed++;
    }
  });
  await setDeploymentStatus(db, plan.directive.id, opts.supersededBy ? 'superseded' : 'withdrawn', opts.supersededBy);
  return { withdrawn, alreadyClosed };
}

/** An instance a withdrawal stops; `status` absent: started a moment ago, not yet reported. */
export interface OpenInstance {
  workflowId: string;
  unitId: string;
  obligationId: string;
  status?: InstanceStatus;
}

/**
 * The instances a withdrawal would stop: the plan's and the event-started ones, less those already
 * closed. The plan, not only the projection: an instance started a moment ago may not have reported yet.
 */
async function openInstances(db: Db, plan: Plan): Promise<OpenInstance[]> {
  return openOf(plan, await listInstances(db, plan.directive.id));
}

function openOf(plan: Plan, rows: InstanceRow[]): OpenInstance[] {
  const closed = new Set(rows.filter((r) => TERMINAL.has(r.status)).map((r) => r.workflowId));
  const open = new Map<string, OpenInstance>();
  for (const p of plannedInstances(plan)) if (!closed.has(p.workflowId)) open.set(p.workflowId, { workflowId: p.workflowId, unitId: p.unitId, obligationId: p.obligation.id });
  for (const r of rows) if (!closed.has(r.workflowId)) open.set(r.workflowId, { workflowId: r.workflowId, unitId: r.unitId, obligationId: r.obligationId, status: r.status });
  return [...open.values()];
}

/**
 * What withdrawing the directive would do, said before it is done (the portal's confirmation): the
 * deployed plan and the instances that would stop, each of whose units is told (a `withdrawn`
 * notice, workflows/lifecycle.ts onWithdraw). Read without the deploy lock: the withdrawal itself
 * counts again under it, and reports what it did.
 */
export async function withdrawalPreview(pool: pg.Pool, directiveId: string): Promise<{ plan: Plan; open: OpenInstance[]; closed: number }> {
  const plan = await deployedPlan(pool, directiveId);
  const rows = await listInstances(pool, plan.directive.id);
  // Completed (or withdrawn with their obligation or unit before): kept as they are.
  return { plan, open: openOf(plan, rows), closed: rows.filter((r) => TERMINAL.has(r.status)).length };
}
