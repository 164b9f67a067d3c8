import type pg from 'pg';
import type { AuditEvent } from '../../workflows/types.js';

/**
 * Whether a person's action in the audit came through chithi's server. Every action a person
 * takes through the API (or an operator tool) is stored first, under its id and with the
 * signed-in actor, and only then signalled; a signal sent straight to Temporal by someone with raw
 * access has no such row, or a row with another actor. The audit line says which:
 * `detail.origin` is `recorded` (the stored action matches) or `unrecorded` (it does not: look at
 * who has Temporal access). Lines of the system's own doing (timers, escalations) carry none.
 */
const CHECKS: Record<string, { idKey: string; sql: string }> = {
  'evidence-submitted': { idKey: 'submissionId', sql: 'SELECT 1 FROM submissions WHERE id::text = $1 AND submitted_by = $2' },
  accepted: { idKey: 'reviewId', sql: 'SELECT 1 FROM reviews WHERE review_id = $1 AND reviewer = $2' },
  rejected: { idKey: 'reviewId', sql: 'SELECT 1 FROM reviews WHERE review_id = $1 AND reviewer = $2' },
  'extension-requested': { idKey: 'requestId', sql: 'SELECT 1 FROM extensions WHERE request_id = $1 AND requested_by = $2' },
  'extension-approved': { idKey: 'decisionId', sql: 'SELECT 1 FROM extensions WHERE decision_id = $1 AND decided_by = $2' },
  'extension-refused': { idKey: 'decisionId', sql: 'SELECT 1 FROM extensions WHERE decision_id = $1 AND decided_by = $2' },
};

/** Whether the line's origin is looked up (a person's action): withOrigin then reads the database. */
export function needsOrigin(e: AuditEvent): boolean {
  return CHECKS[e.action] !== undefined;
}

export async function withOrigin(db: pg.Pool | pg.PoolClient, e: AuditEvent): Promise<AuditEvent> {
  const check = CHECKS[e.action];
  if (!check) return e;
  const id = e.detail?.[check.idKey];
  const recorded = typeof id === 'string' && (await db.query(check.sql, [id, e.actor])).rowCount === 1;
  return { ...e, detail: { ...e.detail, origin: recorded ? 'recorded' : 'unrecorded' } };
}
