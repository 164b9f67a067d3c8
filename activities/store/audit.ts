import type pg from 'pg';
import type { AuditEvent } from '../../workflows/types.js';
import { instant } from './rows.js';

export { appendAudit } from '../audit.js';

/** listAudit(pool, directiveId, { workflowId?, limit? }) → audit events in order of `at` (default 1000). */
export async function listAudit(
  pool: pg.Pool,
  directiveId: string,
  opts: { workflowId?: string; limit?: number } = {},
): Promise<AuditEvent[]> {
  const { rows } = await pool.query<{
    idempotency_key: string; workflow_id: string; directive_id: string; obligation_id: string | null;
    unit_id: string | null; actor: string; action: string; at: Date; detail: Record<string, unknown>;
  }>(
    `SELECT idempotency_key, workflow_id, directive_id, obligation_id, unit_id, actor, action, at, detail
     FROM audit WHERE directive_id = $1 AND ($2::text IS NULL OR workflow_id = $2)
     ORDER BY at, id LIMIT $3`,
    [directiveId, opts.workflowId ?? null, opts.limit ?? 1000],
  );
  return rows.map((r) => ({
    key: r.idempotency_key,
    workflowId: r.workflow_id,
    directiveId: r.directive_id,
    ...(r.obligation_id !== null && { obligationId: r.obligation_id }),
    ...(r.unit_id !== null && { unitId: r.unit_id }),
    actor: r.actor,
    action: r.action,
    at: instant(r.at)!,
    detail: r.detail,
  }));
}
