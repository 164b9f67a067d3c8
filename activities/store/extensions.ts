import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ConflictError, NotFoundError } from '../errors.js';
import { instant } from './rows.js';

export interface ExtensionRequestInput {
  /** The client's id for this request: the same id again is a retry. */
  requestId: string;
  workflowId: string;
  directiveId: string;
  obligationId: string;
  unitId: string;
  /** The run (InstanceInput.generation, default 1) and cycle the request is for: it lapses with them. */
  generation?: number;
  cycle?: number;
  /** Requested new due date (YYYY-MM-DD). */
  until: string;
  reason: string;
  requestedBy: string;
  at: string;
}

/**
 * recordExtensionRequest(pool, input) → { created, request }. Idempotent on requestId: the same
 * request again writes nothing (`created: false`, the stored row, with the cycle it was first
 * asked for); the id with another date, reason, requester or instance is a ConflictError.
 */
export async function recordExtensionRequest(pool: pg.Pool, e: ExtensionRequestInput): Promise<{ created: boolean; request: ExtensionRecord }> {
  const { rowCount } = await pool.query(
    `INSERT INTO extensions (request_id, workflow_id, directive_id, obligation_id, unit_id, generation, cycle, requested_until, reason, requested_by, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (request_id) DO NOTHING`,
    [e.requestId, e.workflowId, e.directiveId, e.obligationId, e.unitId, e.generation ?? 1, e.cycle ?? null, e.until, e.reason, e.requestedBy, e.at],
  );
  const request = (await findExtension(pool, { requestId: e.requestId }))!;
  if (rowCount === 1) return { created: true, request };
  if (request.workflowId !== e.workflowId || request.until !== e.until || request.reason !== e.reason || request.requestedBy !== e.requestedBy) {
    throw new ConflictError({
      vi: `Mã ${e.requestId} đã được dùng cho một đề nghị gia hạn khác (đến ${request.until}, của ${request.requestedBy}). Để đề nghị mới, bỏ --id.`,
      en: `Id ${e.requestId} was already used for another extension request (until ${request.until}, by ${request.requestedBy}). For a new request, leave out --id.`,
    });
  }
  return { created: false, request };
}

export interface ExtensionDecisionInput {
  requestId: string;
  /** The client's id for this decision: the same id again is a retry. Default: a new one. */
  decisionId?: string;
  approve: boolean;
  /** Date granted, if different from the one requested. */
  until?: string;
  comment?: string;
  decidedBy: string;
  at: string;
}

/**
 * recordExtensionDecision(pool, input) → { created, same?, request }. A request is decided once:
 * when it was decided already, `same` says whether by this very decision (a retry, whose signal
 * may be sent again) or by another one, which stands. NotFoundError for an unknown requestId;
 * ConflictError when the decision id was already used for another decision.
 */
export async function recordExtensionDecision(
  pool: pg.Pool,
  d: ExtensionDecisionInput,
): Promise<{ created: boolean; same?: boolean; request: ExtensionRecord }> {
  const decisionId = d.decisionId ?? randomUUID();
  const reused = (cause?: unknown): ConflictError =>
    new ConflictError(
      {
        vi: `Mã ${decisionId} đã được dùng cho một quyết định gia hạn khác. Để quyết định mới, bỏ --id.`,
        en: `Id ${decisionId} was already used for another extension decision. For a new decision, leave out --id.`,
      },
      cause === undefined ? undefined : { cause },
    );
  let rowCount: number | null;
  try {
    ({ rowCount } = await pool.query(
      `UPDATE extensions SET approved = $2,
         granted_until = CASE WHEN $2 THEN COALESCE($3::date, requested_until) END,
         decision_comment = $4, decided_by = $5, decided_at = $6, decision_id = $7
       WHERE request_id = $1 AND approved IS NULL`,
      [d.requestId, d.approve, d.until ?? null, d.comment ?? null, d.decidedBy, d.at, decisionId],
    ));
  } catch (err) {
    // The decision id is unique: given again for another request.
    if ((err as { code?: string }).code === '23505') throw reused(err);
    throw err;
  }
  const request = await findExtension(pool, { requestId: d.requestId });
  if (request === undefined) throw new NotFoundError('extension request', d.requestId);
  if (rowCount === 1) return { created: true, request };
  const same =
    request.approved === d.approve &&
    (!d.approve || request.grantedUntil === (d.until ?? request.until)) &&
    (request.comment ?? null) === (d.comment ?? null) &&
    request.decidedBy === d.decidedBy;
  if (request.decisionId === decisionId && !same) throw reused();
  if (same && request.decisionId === undefined) {
    // Decided before decisions had ids: this retry's id becomes the decision's, so a signal that
    // fails again can be re-sent by it.
    await pool.query('UPDATE extensions SET decision_id = $2 WHERE request_id = $1 AND decision_id IS NULL', [d.requestId, decisionId]);
    return { created: false, same, request: { ...request, decisionId } };
  }
  return { created: false, same, request };
}

export interface ExtensionRecord {
  requestId: string;
  workflowId: string;
  unitId: string;
  /** The run of the workflow id it was asked in (InstanceInput.generation; 1 for the first). */
  generation: number;
  /** The cycle it was asked for; absent for requests stored before cycles were recorded. */
  cycle?: number;
  until: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  approved?: boolean;
  grantedUntil?: string;
  comment?: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionId?: string;
}

const SELECT = `SELECT request_id, workflow_id, unit_id, generation, cycle, requested_until::text AS requested_until, reason, requested_by,
         requested_at, approved, granted_until::text AS granted_until, decision_comment, decided_by, decided_at, decision_id
  FROM extensions`;

interface Row {
  request_id: string; workflow_id: string; unit_id: string; generation: number; cycle: number | null; requested_until: string; reason: string;
  requested_by: string; requested_at: Date; approved: boolean | null; granted_until: string | null;
  decision_comment: string | null; decided_by: string | null; decided_at: Date | null; decision_id: string | null;
}

function fromRow(r: Row): ExtensionRecord {
  return {
    requestId: r.request_id,
    workflowId: r.workflow_id,
    unitId: r.unit_id,
    generation: r.generation,
    ...(r.cycle !== null && { cycle: r.cycle }),
    until: r.requested_until,
    reason: r.reason,
    requestedBy: r.requested_by,
    requestedAt: instant(r.requested_at)!,
    ...(r.approved !== null && { approved: r.approved }),
    ...(r.granted_until !== null && { grantedUntil: r.granted_until }),
    ...(r.decision_comment !== null && { comment: r.decision_comment }),
    ...(r.decided_by !== null && { decidedBy: r.decided_by }),
    ...(r.decided_at !== null && { decidedAt: instant(r.decided_at) }),
    ...(r.decision_id !== null && { decisionId: r.decision_id }),
  };
}

/** findExtension(pool, { requestId } | { decisionId }) → the request, or undefined. */
export async function findExtension(pool: pg.Pool, by: { requestId: string } | { decisionId: string }): Promise<ExtensionRecord | undefined> {
  const [column, value] = 'requestId' in by ? ['request_id', by.requestId] : ['decision_id', by.decisionId];
  const { rows } = await pool.query<Row>(`${SELECT} WHERE ${column} = $1`, [value]);
  return rows[0] && fromRow(rows[0]);
}

/** listExtensions(pool, directiveId, { unitId?, workflowId?, pending? }) → extension requests, oldest first. */
export async function listExtensions(
  pool: pg.Pool,
  directiveId: string,
  f: { unitId?: string; workflowId?: string; pending?: boolean } = {},
): Promise<ExtensionRecord[]> {
  const { rows } = await pool.query<Row>(
    `${SELECT}
     WHERE directive_id = $1 AND ($2::text IS NULL OR unit_id = $2) AND ($3::text IS NULL OR workflow_id = $3)
       AND (NOT $4::boolean OR approved IS NULL)
     ORDER BY requested_at, request_id`,
    [directiveId, f.unitId ?? null, f.workflowId ?? null, f.pending ?? false],
  );
  return rows.map(fromRow);
}
