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
  plan: Plan | null;
  deployed_at: Date;
  deployed_by: string | null;
  status: DeploymentStatus;
  superseded_by: string | null;
}

/**
 * Các kế hoạch đã đọc, theo mã băm: nội dung kế hoạch là hàm của mã băm, nên mỗi tiến trình chỉ
 * đọc và phân tích một kế hoạch một lần.
 * Plans already read, by hash. A plan is a function of its hash (sha256 of its content), so a
 * process fetches and parses each once: a national directive's plan is ~2 MB of JSON, ~40 ms to
 * fetch and parse on every page that lists the directives (bench/portal.ts). Frozen, so a caller
 * that would change a shared plan fails at once instead of changing it for every other caller.
 * Bounded: the least recently used plan goes when a 33rd comes.
 */
const PLANS = new Map<string, Plan>();
const PLANS_KEPT = 32;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Fills in the plans a query left out as cached, before any new one is cached (a new one could push
 * out one still to be read); one that another request pushed out meanwhile is fetched again.
 */
async function withPlans(pool: Db, rows: Row[]): Promise<Row[]> {
  const missing: string[] = [];
  for (const r of rows) {
    if (r.plan !== null) continue;
    const known = PLANS.get(r.plan_hash);
    if (known) {
      PLANS.delete(r.plan_hash); // re-inserted: the Map's order is the recency order
      PLANS.set(r.plan_hash, known);
      r.plan = known;
    } else missing.push(r.id);
  }
  if (missing.length > 0) {
    const again = await pool.query<{ id: string; plan: Plan }>('SELECT id, plan FROM deployments WHERE id = ANY($1::bigint[])', [missing]);
    const byId = new Map(again.rows.map((x) => [String(x.id), x.plan]));
    for (const r of rows) if (r.plan === null) r.plan = byId.get(String(r.id)) ?? null;
  }
  for (const r of rows) {
    if (r.plan === null || PLANS.get(r.plan_hash) === r.plan) continue;
    PLANS.set(r.plan_hash, deepFreeze(r.plan));
    if (PLANS.size > PLANS_KEPT) PLANS.delete(PLANS.keys().next().value!);
  }
  return rows;
}

/** The plan column, or NULL when this process has the plan already (`$n`: the hashes it has). */
const planColumn = (n: number) => `CASE WHEN plan_hash = ANY($${n}::text[]) THEN NULL ELSE plan END AS plan`;
const HEAD_COLUMNS = 'id, directive_id, revision, plan_hash, deployed_at, deployed_by, status, superseded_by';

function toDeployment(r: Row): Deployment {
  return {
    id: r.id,
    directiveId: r.directive_id,
    revision: r.revision,
    planHash: r.plan_hash,
    plan: r.plan!,
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
    `SELECT ${HEAD_COLUMNS}, ${planColumn(2)} FROM deployments WHERE directive_id = $1 ORDER BY deployed_at DESC, id DESC LIMIT 1`,
    [directiveId, [...PLANS.keys()]],
  );
  return rows[0] && toDeployment((await withPlans(pool, rows))[0]!);
}

/** listLatestDeployments(pool) → the latest deployment of every directive, by directive id. */
export async function listLatestDeployments(pool: pg.Pool): Promise<Deployment[]> {
  const { rows } = await pool.query<Row>(
    `SELECT DISTINCT ON (directive_id) ${HEAD_COLUMNS}, ${planColumn(1)} FROM deployments
     ORDER BY directive_id, deployed_at DESC, id DESC`,
    [[...PLANS.keys()]],
  );
  return (await withPlans(pool, rows)).map(toDeployment);
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
