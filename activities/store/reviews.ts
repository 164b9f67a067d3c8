import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ConflictError, NotFoundError } from '../errors.js';
import { instant } from './rows.js';

export interface ReviewInput {
  /** The client's id for this decision: the same id again is a retry. Default: a new one. */
  reviewId?: string;
  submissionId: string;
  decision: 'accept' | 'reject';
  comment?: string;
  reviewer: string;
  at: string;
}

export interface RecordedReview {
  reviewId: string;
  submissionId: string;
  /** The instance the submission was made to. */
  workflowId: string;
  decision: 'accept' | 'reject';
  comment?: string;
  reviewer: string;
  at: string;
}

/**
 * What recording a decision did. A submission has one decision: when it was decided already,
 * `same` says whether by this very decision (a retry, or a second reviewer agreeing word for
 * word, whose signal may be sent again) or by another one, which stands.
 */
export type ReviewOutcome = { created: true; review: RecordedReview } | { created: false; same: boolean; review: RecordedReview };

/**
 * recordReview(pool, input) → ReviewOutcome. One row per submission (unique in the schema, so two
 * reviewers racing cannot both write); NotFoundError if the submission does not exist;
 * ConflictError if the review id was already used for another decision.
 */
export async function recordReview(pool: pg.Pool, r: ReviewInput): Promise<ReviewOutcome> {
  const reviewId = r.reviewId ?? randomUUID();
  const { rowCount } = await pool.query(
    `INSERT INTO reviews (review_id, submission_id, decision, comment, reviewer, at)
     SELECT $1, id, $3, $4, $5, $6 FROM submissions WHERE id::text = $2
     ON CONFLICT DO NOTHING`,
    [reviewId, r.submissionId, r.decision, r.comment ?? null, r.reviewer, r.at],
  );
  if (rowCount === 1) return { created: true, review: (await getReview(pool, reviewId))! };
  const byId = await getReview(pool, reviewId);
  if (byId !== undefined) {
    if (byId.submissionId === r.submissionId && sameDecision(byId, r)) return { created: false, same: true, review: byId };
    throw new ConflictError({
      vi: `Mã ${reviewId} đã được dùng cho một quyết định khác (${byId.decision} của ${byId.reviewer} về minh chứng ${byId.submissionId}). Để quyết định mới, bỏ --id.`,
      en: `Id ${reviewId} was already used for another decision (${byId.decision} by ${byId.reviewer} on submission ${byId.submissionId}). For a new decision, leave out --id.`,
    });
  }
  const decided = await reviewOf(pool, r.submissionId);
  if (decided === undefined) throw new NotFoundError('submission', r.submissionId);
  return { created: false, same: sameDecision(decided, r), review: decided };
}

function sameDecision(a: RecordedReview, b: ReviewInput): boolean {
  return a.decision === b.decision && a.reviewer === b.reviewer && (a.comment ?? null) === (b.comment ?? null);
}

const SELECT = `SELECT r.review_id, r.submission_id::text AS submission_id, s.workflow_id, r.decision, r.comment, r.reviewer, r.at
  FROM reviews r JOIN submissions s ON s.id = r.submission_id`;

interface Row {
  review_id: string;
  submission_id: string;
  workflow_id: string;
  decision: 'accept' | 'reject';
  comment: string | null;
  reviewer: string;
  at: Date;
}

function fromRow(r: Row): RecordedReview {
  return {
    reviewId: r.review_id,
    submissionId: r.submission_id,
    workflowId: r.workflow_id,
    decision: r.decision,
    ...(r.comment !== null && { comment: r.comment }),
    reviewer: r.reviewer,
    at: instant(r.at)!,
  };
}

/** getReview(pool, reviewId) → the decision recorded under that id, or undefined. */
export async function getReview(pool: pg.Pool, reviewId: string): Promise<RecordedReview | undefined> {
  const { rows } = await pool.query<Row>(`${SELECT} WHERE r.review_id = $1`, [reviewId]);
  return rows[0] && fromRow(rows[0]);
}

/** reviewOf(pool, submissionId) → the submission's decision, or undefined while it has none. */
export async function reviewOf(pool: pg.Pool, submissionId: string): Promise<RecordedReview | undefined> {
  const { rows } = await pool.query<Row>(`${SELECT} WHERE r.submission_id::text = $1`, [submissionId]);
  return rows[0] && fromRow(rows[0]);
}
