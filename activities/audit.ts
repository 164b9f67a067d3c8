import type pg from 'pg';
import type { AuditEvent } from '../workflows/types.js';

/** Appends one audit row; a retried activity with the same key appends nothing. */
export async function appendAudit(db: pg.Pool | pg.PoolClient, e: AuditEvent): Promise<void> {
  await db.query(
    `INSERT INTO audit (idempotency_key, workflow_id, directive_id, obligation_id, unit_id, actor, action, at, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [e.key, e.workflowId, e.directiveId, e.obligationId ?? null, e.unitId ?? null, e.actor, e.action, e.at, JSON.stringify(e.detail ?? {})],
  );
}

export function createRecordAudit(pool: pg.Pool): (e: AuditEvent) => Promise<void> {
  return (e) => appendAudit(pool, e);
}
