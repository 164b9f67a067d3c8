/**
 * Issue 8, item 2, in the store: each action row is written once per client-generated id (the
 * same content again is a retry, other content under the same id an error), a submission gets
 * one decision, an extension request one decision, and requests keep their cycle. The migration
 * keeps the first of the contradictory reviews a database may already hold.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../activities/errors.js';
import { migrate } from '../../activities/db/migrate.js';
import * as store from '../../activities/store/index.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

const MIGRATIONS = fileURLToPath(new URL('../../activities/db/migrations/', import.meta.url));

const target = {
  workflowId: 'chithi/hanoi-3968-2022/contact-point/so-y-te',
  directiveId: 'hanoi-3968-2022',
  obligationId: 'contact-point',
  unitId: 'so-y-te',
};

describe('idempotent actions in the store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const submission = (submissionId: string, officer = 'Nguyễn Văn A') => ({
    ...target,
    submissionId,
    cycle: 1,
    submittedBy: 'so-y-te',
    at: '2022-11-29T10:00:00.000+07:00',
    items: [{ name: 'officer', kind: 'field' as const, value: officer }],
  });

  it('a submission id stores once; the same evidence again is a retry, other evidence an error', async () => {
    const id = randomUUID();
    const first = await store.storeSubmission(db.pool, submission(id));
    expect(first).toMatchObject({ submissionId: id, created: true, cycle: 1 });
    // A retry later (another client clock): the row and its evidence as first written.
    const again = await store.storeSubmission(db.pool, { ...submission(id), at: '2022-12-05T10:00:00.000+07:00' });
    expect(again).toMatchObject({ submissionId: id, created: false, cycle: 1, items: first.items });
    await expect(store.storeSubmission(db.pool, submission(id, 'Trần Thị B'))).rejects.toBeInstanceOf(ConflictError);
    expect((await store.getSubmission(db.pool, id)).evidence.map((e) => e.value)).toEqual(['Nguyễn Văn A']);
  });

  it('one decision per submission: the same decision again is a repeat, another is refused with who decided', async () => {
    const sub = randomUUID();
    await store.storeSubmission(db.pool, submission(sub));
    const reviewId = randomUUID();
    const review = { reviewId, submissionId: sub, decision: 'accept' as const, reviewer: 'so-tttt', at: '2022-11-30T09:00:00.000+07:00' };
    expect(await store.recordReview(db.pool, review)).toMatchObject({ created: true, review: { reviewId, decision: 'accept' } });
    expect(await store.recordReview(db.pool, review)).toMatchObject({ created: false, same: true, review: { reviewId } });
    // Another reviewer's identical decision is the same decision: nothing new is written.
    expect(await store.recordReview(db.pool, { ...review, reviewId: randomUUID() })).toMatchObject({ created: false, same: true, review: { reviewId } });
    const contra = await store.recordReview(db.pool, { ...review, reviewId: randomUUID(), decision: 'reject', comment: 'Thiếu chữ ký' });
    expect(contra).toMatchObject({ created: false, same: false, review: { reviewId, decision: 'accept', reviewer: 'so-tttt', at: new Date(review.at).toISOString() } });
    // The same review id for another decision is an error, not a silent no-op.
    await expect(store.recordReview(db.pool, { ...review, decision: 'reject' })).rejects.toBeInstanceOf(ConflictError);
    expect((await store.getSubmission(db.pool, sub)).reviews).toHaveLength(1);
    expect(await store.getReview(db.pool, reviewId)).toMatchObject({ reviewId, submissionId: sub, workflowId: target.workflowId });
  });

  it('racing reviews of one submission record one decision', async () => {
    const sub = randomUUID();
    await store.storeSubmission(db.pool, submission(sub));
    const at = '2022-11-30T09:00:00.000+07:00';
    const results = await Promise.all(
      (['accept', 'reject', 'accept', 'reject'] as const).map((decision, i) =>
        store.recordReview(db.pool, { reviewId: randomUUID(), submissionId: sub, decision, reviewer: `reviewer-${i}`, at }),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await store.getSubmission(db.pool, sub)).reviews).toHaveLength(1);
  });

  it('extension requests keep their cycle; one decision per request, sent again by its id', async () => {
    const requestId = randomUUID();
    const request = { ...target, requestId, cycle: 2, until: '2022-12-15', reason: 'Chờ kiện toàn nhân sự', requestedBy: 'so-y-te', at: '2022-11-29T10:00:00.000+07:00' };
    expect(await store.recordExtensionRequest(db.pool, request)).toMatchObject({ created: true });
    expect(await store.recordExtensionRequest(db.pool, { ...request, at: '2022-11-30T10:00:00.000+07:00' })).toMatchObject({ created: false, request: { requestId, cycle: 2 } });
    await expect(store.recordExtensionRequest(db.pool, { ...request, until: '2022-12-31' })).rejects.toBeInstanceOf(ConflictError);

    const decisionId = randomUUID();
    const decision = { requestId, decisionId, approve: true, until: '2022-12-10', decidedBy: 'so-tttt', at: '2022-12-01T08:00:00.000+07:00' };
    expect(await store.recordExtensionDecision(db.pool, decision)).toMatchObject({ created: true });
    expect(await store.recordExtensionDecision(db.pool, decision)).toMatchObject({ created: false, same: true });
    expect(await store.recordExtensionDecision(db.pool, { ...decision, decisionId: randomUUID() })).toMatchObject({ created: false, same: true });
    const contra = await store.recordExtensionDecision(db.pool, { ...decision, decisionId: randomUUID(), approve: false, until: undefined });
    expect(contra).toMatchObject({ created: false, same: false, request: { approved: true, grantedUntil: '2022-12-10', decidedBy: 'so-tttt', decisionId } });
    await expect(store.recordExtensionDecision(db.pool, { ...decision, until: '2022-12-12' })).rejects.toBeInstanceOf(ConflictError);
    expect(await store.findExtension(db.pool, { decisionId })).toMatchObject({ requestId, cycle: 2, approved: true, grantedUntil: '2022-12-10' });
  });
});

describe('migration to one decision per submission', () => {
  let db: TestDatabase;
  let dir: string;
  afterAll(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the first of contradictory reviews already stored and sets the others aside', async () => {
    db = await freshDatabase({ migrate: false });
    dir = await mkdtemp(join(tmpdir(), 'chithi-migrations-'));
    const files = (await readdir(MIGRATIONS)).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
    const before = files.filter((f) => f < '006_idempotent_actions.sql');
    for (const f of before) await copyFile(join(MIGRATIONS, f), join(dir, f));
    await migrate(db.pool, dir);

    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO submissions (workflow_id, directive_id, obligation_id, unit_id, submitted_by, at)
       VALUES ($1, $2, $3, $4, 'so-y-te', now()) RETURNING id`,
      [target.workflowId, target.directiveId, target.obligationId, target.unitId],
    );
    const sub = rows[0]!.id;
    for (const [decision, reviewer] of [['accept', 'so-tttt'], ['reject', 'van-phong'], ['accept', 'so-tttt']]) {
      await db.pool.query(`INSERT INTO reviews (submission_id, decision, reviewer, at) VALUES ($1, $2, $3, now())`, [sub, decision, reviewer]);
    }
    await db.pool.query(
      `INSERT INTO extensions (request_id, workflow_id, directive_id, obligation_id, unit_id, requested_until, reason, requested_by, requested_at)
       VALUES ('old-request', $1, $2, $3, $4, '2022-12-15', 'x', 'so-y-te', now())`,
      [target.workflowId, target.directiveId, target.obligationId, target.unitId],
    );

    // An instance still in its first cycle: its requests were asked for that cycle.
    await db.pool.query(
      `INSERT INTO instances (workflow_id, directive_id, obligation_id, unit_id, cycle, status, updated_at)
       VALUES ('w-first-cycle', $1, $2, 'so-gd', 1, 'overdue', now())`,
      [target.directiveId, target.obligationId],
    );
    await db.pool.query(
      `INSERT INTO extensions (request_id, workflow_id, directive_id, obligation_id, unit_id, requested_until, reason, requested_by, requested_at)
       VALUES ('first-cycle-request', 'w-first-cycle', $1, $2, 'so-gd', '2022-12-15', 'x', 'so-gd', now())`,
      [target.directiveId, target.obligationId],
    );

    await migrate(db.pool);
    const rec = await store.getSubmission(db.pool, sub);
    expect(rec.reviews).toMatchObject([{ decision: 'accept', reviewer: 'so-tttt' }]);
    const aside = await db.pool.query<{ decision: string; reviewer: string }>('SELECT decision, reviewer FROM reviews_set_aside WHERE submission_id = $1 ORDER BY id', [sub]);
    expect(aside.rows).toEqual([
      { decision: 'reject', reviewer: 'van-phong' },
      { decision: 'accept', reviewer: 'so-tttt' },
    ]);
    // A request from before the change has no cycle unless its instance never left the first: unknown, not guessed.
    expect(await store.findExtension(db.pool, { requestId: 'first-cycle-request' })).toMatchObject({ cycle: 1 });
    expect(await store.findExtension(db.pool, { requestId: 'old-request' })).toMatchObject({ requestId: 'old-request' });
    expect((await store.findExtension(db.pool, { requestId: 'old-request' }))?.cycle).toBeUndefined();
  });
});
