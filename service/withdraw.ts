import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type pg from 'pg';
import { SIGNAL, type WithdrawSignal } from '../workflows/types.js';
import { mapLimit } from './concurrency.js';
import { plannedInstances } from './instances.js';
import { UserError } from '../common/errors.js';
import { listInstances, setDeploymentStatus, withDeployLock, type Db } from '../activities/store/index.js';
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
  const rows = await listInstances(db, plan.directive.id);
  // The plan, not only the projection: an instance started a moment ago may not have reported yet.
  const closed = new Set(rows.filter((r) => TERMINAL.has(r.status)).map((r) => r.workflowId));
  const ids = new Set([...plannedInstances(plan).map((p) => p.workflowId), ...rows.map((r) => r.workflowId)]);
  const open = [...ids].filter((id) => !closed.has(id));
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
