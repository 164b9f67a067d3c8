import type pg from 'pg';
import { NotFoundError } from '../errors.js';

export interface ReviewInput {
  submissionId: string;
  decision: 'accept' | 'reject';
  comment?: string;
  reviewer: string;
  at: string;
}

/** recordReview(pool, input) → void; NotFoundError if the submission does not exist. */
export async function recordReview(pool: pg.Pool, r: ReviewInput): Promise<void> {
  const { rowCount } = await pool.query(
    `INSERT INTO reviews (submission_id, decision, comment, reviewer, at)
     SELECT id, $2, $3, $4, $5 FROM submissions WHERE id::text = $1`,
    [r.submissionId, r.decision, r.comment ?? null, r.reviewer, r.at],
  );
  if (rowCount === 0) throw new NotFoundError('submission', r.submissionId);
}
