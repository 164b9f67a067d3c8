/**
 * The client's view of the PostgreSQL store (activities/store): the only door to SQL from here,
 * narrowed to what the commands need so a store refactor touches one file.
 */
import type pg from 'pg';
import type { Plan } from '../compiler/plan.js';
import { getLatestDeployment, recordDeployment as storeDeployment, setDeploymentStatus } from '../activities/store/deployments.js';
import { getInstance as storeGetInstance, listInstances as storeListInstances, type InstanceRow } from '../activities/store/instances.js';
import type { InstanceStatus } from '../workflows/types.js';

export type { InstanceRow };

export interface RecordedDeployment {
  plan: Plan;
  hash: string;
  revision: number;
  /** Withdrawn or superseded: nothing may be deployed or submitted any more. */
  withdrawn: boolean;
  supersededBy?: string;
}

export async function getDeployment(pool: pg.Pool, directiveId: string): Promise<RecordedDeployment | undefined> {
  const d = await getLatestDeployment(pool, directiveId);
  if (!d) return undefined;
  const out: RecordedDeployment = { plan: d.plan, hash: d.planHash, revision: d.revision, withdrawn: d.status !== 'active' };
  if (d.supersededBy) out.supersededBy = d.supersededBy;
  return out;
}

export async function recordDeployment(pool: pg.Pool, input: { plan: Plan; by: string }): Promise<void> {
  await storeDeployment(pool, { plan: input.plan, deployedBy: input.by });
}

export async function recordWithdrawal(pool: pg.Pool, directiveId: string, input: { supersededBy?: string; by: string }): Promise<void> {
  await setDeploymentStatus(pool, directiveId, input.supersededBy ? 'superseded' : 'withdrawn', input.supersededBy);
}

export function listInstances(
  pool: pg.Pool,
  filter: { directiveId: string; unitId?: string | undefined; obligationId?: string; status?: InstanceStatus | undefined; overdue?: boolean; asOf?: string },
): Promise<InstanceRow[]> {
  const { directiveId, ...rest } = filter;
  return storeListInstances(pool, directiveId, {
    ...(rest.unitId ? { unitId: rest.unitId } : {}),
    ...(rest.obligationId ? { obligationId: rest.obligationId } : {}),
    ...(rest.status ? { status: rest.status } : {}),
    ...(rest.overdue ? { overdue: true, ...(rest.asOf ? { asOf: rest.asOf } : {}) } : {}),
  });
}

export function getInstance(pool: pg.Pool, workflowId: string): Promise<InstanceRow | undefined> {
  return storeGetInstance(pool, workflowId);
}

/** Event instances of an obligation that are still open (amended or withdrawn with it). */
export async function openEventInstances(pool: pg.Pool, directiveId: string, obligationId: string): Promise<{ workflowId: string; unitId: string }[]> {
  const rows = await storeListInstances(pool, directiveId, {
    obligationId,
    status: ['not-yet-due', 'in-progress', 'awaiting-review', 'overdue'],
  });
  return rows.filter((r) => r.eventId !== undefined).map((r) => ({ workflowId: r.workflowId, unitId: r.unitId }));
}
