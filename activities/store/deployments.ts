import type pg from 'pg';
import type { Plan } from '../../compiler/plan.js';
import { instant, type Db } from './rows.js';

// The space of the deploy locks: pg_advisory_lock(int, int) keys never meet the one-key locks of
// migrate.ts and letters.ts. "dply".
const DEPLOY_LOCK_SPACE = 0x64706c79;

/**
 * withDeployLock(pool, directiveId, fn) → fn's result, run while no other deploy (or withdrawal)
 * of the directive runs in any process: two deploys of different revisions must not interleave
 * their amendments, nor record their deployments in the wrong order. A session advisory lock on a
 * connection held for the whole of `fn`, and `fn` must run its queries on that connection: with a
 * pool of one (the embedded PGlite server) a query on the pool would wait for itself. PGlite is a
 * single backend, so there the lock is re-entrant and the held connection is what serialises: the
 * server's proxy lets no other connection in meanwhile, and another deploy in this process waits
 * for the pool's one connection. The lock is released however `fn` ends; if unlocking fails, the
 * connection is closed, which releases it too.
 */
export async function withDeployLock<T>(pool: pg.Pool, directiveId: string, fn: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [DEPLOY_LOCK_SPACE, directiveId]);
    try {
      return await fn(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [DEPLOY_LOCK_SPACE, directiveId]).catch((err: unknown) => {
        broken = err instanceof Error ? err : new Error(String(err));
      });
    }
  } finally {
    client.release(broken);
  }
}

export type DeploymentStatus = 'active' | 'withdrawn' | 'superseded';

export interface Deployment {
  id: string;
  directiveId: string;
  revision: number;
  planHash: string;
  plan: Plan;
  deployedAt: string;
  deployedBy?: string;
  status: DeploymentStatus;
  supersededBy?: string;
}

interface Row {
  id: string;
  directive_id: string;
  revision: number;
  plan_hash: string;
  plan: Plan;
  deployed_at: Date;
  deployed_by: string | null;
  status: DeploymentStatus;
  superseded_by: string | null;
}

function toDeployment(r: Row): Deployment {
  return {
    id: r.id,
    directiveId: r.directive_id,
    revision: r.revision,
    planHash: r.plan_hash,
    plan: r.plan,
    deployedAt: instant(r.deployed_at)!,
    ...(r.deployed_by !== null && { deployedBy: r.deployed_by }),
    status: r.status,
    ...(r.superseded_by !== null && { supersededBy: r.superseded_by }),
  };
}

/**
 * recordDeployment(pool, { plan, deployedBy?, at? }) → { deployment, created }.
 * Idempotent on (directive id, revision, plan hash): deploying the same plan again returns the
 * existing row with `created: false`. A new row becomes the directive's latest deployment.
 */
export async function recordDeployment(
  pool: Db,
  input: { plan: Plan; deployedBy?: string; at?: string },
): Promise<{ deployment: Deployment; created: boolean }> {
  const p = input.plan;
  const inserted = await pool.query<Row>(
    `INSERT INTO deployments (directive_id, revision, plan_hash, plan, deployed_at, deployed_by)
     VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now()), $6)
     ON CONFLICT (directive_id, revision, plan_hash) DO NOTHING
     RETURNING *`,
    [p.directive.id, p.directive.revision, p.hash, JSON.stringify(p), input.at ?? null, input.deployedBy ?? null],
  );
  if (inserted.rows[0]) return { deployment: toDeployment(inserted.rows[0]), created: true };
  const existing = await pool.query<Row>(
    'SELECT * FROM deployments WHERE directive_id = $1 AND revision = $2 AND plan_hash = $3',
    [p.directive.id, p.directive.revision, p.hash],
  );
  return { deployment: toDeployment(existing.rows[0]!), created: false };
}

/** getLatestDeployment(pool, directiveId) → the most recent deployment of any status, or undefined. */
export async function getLatestDeployment(pool: Db, directiveId: string): Promise<Deployment | undefined> {
  const { rows } = await pool.query<Row>(
    'SELECT * FROM deployments WHERE directive_id = $1 ORDER BY deployed_at DESC, id DESC LIMIT 1',
    [directiveId],
  );
  return rows[0] && toDeployment(rows[0]);
}

/** listLatestDeployments(pool) → the latest deployment of every directive, by directive id. */
export async function listLatestDeployments(pool: pg.Pool): Promise<Deployment[]> {
  const { rows } = await pool.query<Row>(
    `SELECT DISTINCT ON (directive_id) * FROM deployments
     ORDER BY directive_id, deployed_at DESC, id DESC`,
  );
  return rows.map(toDeployment);
}

/**
 * setDeploymentStatus(pool, directiveId, status, supersededBy?) → the updated latest deployment.
 * Marks the directive's latest deployment withdrawn or superseded (by another directive id).
 */
export async function setDeploymentStatus(
  pool: Db,
  directiveId: string,
  status: DeploymentStatus,
  supersededBy?: string,
): Promise<Deployment | undefined> {
  const { rows } = await pool.query<Row>(
    `UPDATE deployments SET status = $2, superseded_by = $3
     WHERE id = (SELECT id FROM deployments WHERE directive_id = $1 ORDER BY deployed_at DESC, id DESC LIMIT 1)
     RETURNING *`,
    [directiveId, status, supersededBy ?? null],
  );
  return rows[0] && toDeployment(rows[0]);
}
