/**
 * Những truy vấn chỉ cổng thông tin cần: lịch sử nộp của một phiên, lần nộp đang chờ duyệt.
 * Queries only the portal needs: an instance's submissions, and the one awaiting a decision.
 */
import type pg from 'pg';

/** submissionIdsOf(pool, workflowId) → the instance's submissions, oldest first. */
export async function submissionIdsOf(pool: pg.Pool, workflowId: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>('SELECT id::text AS id FROM submissions WHERE workflow_id = $1 ORDER BY at, id', [workflowId]);
  return rows.map((r) => r.id);
}

/**
 * undecidedSubmissionOf(pool, workflowId, generation) → the latest submission of the instance's
 * run that has reached it (no approval needed, or approved) and has no decision yet: what the
 * reviewer is asked to decide.
 */
export async function undecidedSubmissionOf(pool: pg.Pool, workflowId: string, generation: number): Promise<string | undefined> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT s.id::text AS id FROM submissions s
     WHERE s.workflow_id = $1 AND s.generation = $2 AND (s.approval IS NULL OR s.approval = 'approved')
       AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = s.id)
     ORDER BY s.at DESC, s.id DESC LIMIT 1`,
    [workflowId, generation],
  );
  return rows[0]?.id;
}
