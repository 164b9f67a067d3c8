import type pg from 'pg';
import { NotFoundError } from '../errors.js';
import { instant } from './rows.js';

export interface ExtensionRequestInput {
  requestId: string;
  workflowId: string;
  directiveId: string;
  obligationId: string;
  unitId: string;
  /** Requested new due date (YYYY-MM-DD). */
  until: string;
  reason: string;
  requestedBy: string;
  at: string;
}

/** recordExtensionRequest(pool, input) → void. Idempotent on requestId (a re-sent request is ignored). */
export async function recordExtensionRequest(pool: pg.Pool, e: ExtensionRequestInput): Promise<void> {
  await pool.query(
    `INSERT INTO extensions (request_id, workflow_id, directive_id, obligation_id, unit_id, requested_until, reason, requested_by, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (request_id) DO NOTHING`,
    [e.requestId, e.workflowId, e.directiveId, e.obligationId, e.unitId, e.until, e.reason, e.requestedBy, e.at],
  );
}

export interface ExtensionDecisionInput {
  requestId: string;
  approve: boolean;
  /** Date granted, if different from the one requested. */
  until?: string;
  comment?: string;
  decidedBy: string;
  at: string;
}

/** recordExtensionDecision(pool, input) → void; NotFoundError for an unknown requestId. */
export async function recordExtensionDecision(pool: pg.Pool, d: ExtensionDecisionInput): Promise<void> {
  const { rowCount } = await pool.query(
    `UPDATE extensions SET approved = $2,
       granted_until = CASE WHEN $2 THEN COALESCE($3::date, requested_until) END,
       decision_comment = $4, decided_by = $5, decided_at = $6
     WHERE request_id = $1`,
    [d.requestId, d.approve, d.until ?? null, d.comment ?? null, d.decidedBy, d.at],
  );
  if (rowCount === 0) throw new NotFoundError('extension request', d.requestId);
}

export interface ExtensionRecord {
  requestId: string;
  workflowId: string;
  unitId: string;
  until: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  approved?: boolean;
  grantedUntil?: string;
  comment?: string;
  decidedBy?: string;
  decidedAt?: string;
}

/** listExtensions(pool, directiveId, { unitId?, pending? }) → extension requests, oldest first. */
export async function listExtensions(
  pool: pg.Pool,
  directiveId: string,
  f: { unitId?: string; pending?: boolean } = {},
): Promise<ExtensionRecord[]> {
  const { rows } = await pool.query<{
    request_id: string; workflow_id: string; unit_id: string; requested_until: string; reason: string;
    requested_by: string; requested_at: Date; approved: boolean | null; granted_until: string | null;
    decision_comment: string | null; decided_by: string | null; decided_at: Date | null;
  }>(
    `SELECT request_id, workflow_id, unit_id, requested_until::text AS requested_until, reason, requested_by,
            requested_at, approved, granted_until::text AS granted_until, decision_comment, decided_by, decided_at
     FROM extensions
     WHERE directive_id = $1 AND ($2::text IS NULL OR unit_id = $2) AND (NOT $3::boolean OR approved IS NULL)
     ORDER BY requested_at, request_id`,
    [directiveId, f.unitId ?? null, f.pending ?? false],
  );
  return rows.map((r) => ({
    requestId: r.request_id,
    workflowId: r.workflow_id,
    unitId: r.unit_id,
    until: r.requested_until,
    reason: r.reason,
    requestedBy: r.requested_by,
    requestedAt: instant(r.requested_at)!,
    ...(r.approved !== null && { approved: r.approved }),
    ...(r.granted_until !== null && { grantedUntil: r.granted_until }),
    ...(r.decision_comment !== null && { comment: r.decision_comment }),
    ...(r.decided_by !== null && { decidedBy: r.decided_by }),
    ...(r.decided_at !== null && { decidedAt: instant(r.decided_at) }),
  }));
}
