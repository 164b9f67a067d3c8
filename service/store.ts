/**
 * The client's view of the PostgreSQL store (activities/store): the only door to SQL from here,
 * narrowed to what the commands need so a store refactor touches one file.
 */
import type pg from 'pg';
import type { Plan } from '../compiler/plan.js';
import { ChithiError } from '../activities/errors.js';
import * as s from '../activities/store/index.js';
import type {
  ExtensionDecisionInput,
  ExtensionRecord,
  ExtensionRequestInput,
  InboxNotice,
  InstanceRow,
  NoticeDelivery,
  RecordedReview,
  ReviewInput,
  ReviewOutcome,
  StoredSubmission,
  SubmissionInput,
} from '../activities/store/index.js';
import type { InstanceStatus, ReportedEvent } from '../workflows/types.js';
import { UserError } from '../common/errors.js';

export type { NoticeDelivery } from '../activities/store/index.js';

export type { ExtensionRecord, InboxNotice, InstanceRow, RecordedReview };

/** A pool, or the one connection a deploy holds its lock on (withDeployLock). */
export type Db = pg.Pool | pg.PoolClient;

/**
 * Runs `fn` while no other deploy or withdrawal of the directive runs; `fn` gets the connection
 * holding the lock and must run its queries there (a pool of one would wait for itself).
 */
export function withDeployLock<T>(pool: pg.Pool, directiveId: string, fn: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  return s.withDeployLock(pool, directiveId, fn);
}

export interface RecordedDeployment {
  plan: Plan;
  hash: string;
  revision: number;
  /** Withdrawn or superseded: nothing may be deployed or submitted any more. */
  withdrawn: boolean;
  supersededBy?: string;
}

export async function getDeployment(pool: Db, directiveId: string): Promise<RecordedDeployment | undefined> {
  const d = await s.getLatestDeployment(pool, directiveId);
  if (!d) return undefined;
  const out: RecordedDeployment = { plan: d.plan, hash: d.planHash, revision: d.revision, withdrawn: d.status !== 'active' };
  if (d.supersededBy) out.supersededBy = d.supersededBy;
  return out;
}

export async function recordDeployment(pool: Db, input: { plan: Plan; by: string }): Promise<void> {
  await s.recordDeployment(pool, { plan: input.plan, deployedBy: input.by });
}

export async function recordWithdrawal(pool: Db, directiveId: string, input: { supersededBy?: string; by: string }): Promise<void> {
  await s.setDeploymentStatus(pool, directiveId, input.supersededBy ? 'superseded' : 'withdrawn', input.supersededBy);
}

export function listInstances(
  pool: Db,
  filter: { directiveId: string; unitId?: string | undefined; obligationId?: string; status?: InstanceStatus | undefined; overdue?: boolean; asOf?: string },
): Promise<InstanceRow[]> {
  const { directiveId, ...rest } = filter;
  return s.listInstances(pool, directiveId, {
    ...(rest.unitId ? { unitId: rest.unitId } : {}),
    ...(rest.obligationId ? { obligationId: rest.obligationId } : {}),
    ...(rest.status ? { status: rest.status } : {}),
    ...(rest.overdue ? { overdue: true, ...(rest.asOf ? { asOf: rest.asOf } : {}) } : {}),
  });
}

export function getInstance(pool: pg.Pool, workflowId: string): Promise<InstanceRow | undefined> {
  return s.getInstance(pool, workflowId);
}

/**
 * The generation (InstanceInput.generation) of every instance of the directive the projection
 * knows, by workflow id: a unit re-added after its withdrawal runs as the next one.
 */
export async function instanceGenerations(db: Db, directiveId: string): Promise<Map<string, number>> {
  return new Map((await s.listInstances(db, directiveId)).map((r) => [r.workflowId, r.generation]));
}

/** Event instances of an obligation that are still open (amended or withdrawn with it). */
export async function openEventInstances(pool: Db, directiveId: string, obligationId: string): Promise<{ workflowId: string; unitId: string }[]> {
  const rows = await s.listInstances(pool, directiveId, {
    obligationId,
    status: ['not-yet-due', 'in-progress', 'awaiting-review', 'overdue'],
  });
  return rows.filter((r) => r.eventId !== undefined).map((r) => ({ workflowId: r.workflowId, unitId: r.unitId }));
}

/** The store's typed errors carry bilingual text: shown as a user message, not a stack. */
async function asUserError<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ChithiError) throw new UserError(err.text);
    throw err;
  }
}

export function storeSubmission(pool: pg.Pool, input: SubmissionInput): Promise<StoredSubmission> {
  return asUserError(s.storeSubmission(pool, input));
}

export function recordReview(pool: pg.Pool, input: ReviewInput): Promise<ReviewOutcome> {
  return asUserError(s.recordReview(pool, input));
}

export function getReview(pool: pg.Pool, reviewId: string): Promise<RecordedReview | undefined> {
  return s.getReview(pool, reviewId);
}

export function recordExtensionRequest(pool: pg.Pool, input: ExtensionRequestInput): Promise<{ created: boolean; request: ExtensionRecord }> {
  return asUserError(s.recordExtensionRequest(pool, input));
}

export function recordExtensionDecision(pool: pg.Pool, input: ExtensionDecisionInput): Promise<{ created: boolean; same?: boolean; request: ExtensionRecord }> {
  return asUserError(s.recordExtensionDecision(pool, input));
}

export function findExtension(pool: pg.Pool, by: { requestId: string } | { decisionId: string }): Promise<ExtensionRecord | undefined> {
  return s.findExtension(pool, by);
}

/** Every extension request of one instance, decided or not, oldest first. */
export function extensionsOf(pool: pg.Pool, directiveId: string, workflowId: string): Promise<ExtensionRecord[]> {
  return s.listExtensions(pool, directiveId, { workflowId });
}

export function recordEvent(pool: pg.Pool, directiveId: string, event: ReportedEvent): Promise<{ created: boolean }> {
  return asUserError(s.recordEvent(pool, directiveId, event));
}

export function inbox(pool: pg.Pool, unitId: string, opts: { unreadOnly?: boolean; limit?: number }): Promise<InboxNotice[]> {
  return s.readInbox(pool, unitId, opts);
}

export function noticeDelivery(pool: pg.Pool, directiveId: string, unitId?: string): Promise<NoticeDelivery> {
  return s.noticeDelivery(pool, directiveId, unitId === undefined ? {} : { unitId });
}
