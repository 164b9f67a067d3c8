import { createHash } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../compiler/plan.js';
import { EvidenceTooLargeError, NotFoundError } from '../../activities/errors.js';
import * as store from '../../activities/store/index.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('store', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    [db, dir] = await Promise.all([freshDatabase(), mkdtemp(join(tmpdir(), 'chithi-evidence-'))]);
  });
  afterAll(async () => {
    await Promise.all([db.drop(), rm(dir, { recursive: true, force: true })]);
  });

  const submission = {
    workflowId: 'chithi/hanoi-3968-2022/contact-point/so-y-te',
    directiveId: 'hanoi-3968-2022',
    obligationId: 'contact-point',
    unitId: 'so-y-te',
    cycle: 1,
    submittedBy: 'Nguyễn Văn A',
    note: 'Gửi kèm báo cáo',
    at: '2022-11-29T10:00:00.000+07:00',
  };

  it('stores evidence with sha256 and the document content as bytes', async () => {
    const file = join(dir, 'báo-cáo.pdf');
    const bytes = Buffer.from('%PDF-1.4 Báo cáo kết quả \u0000\u00ff', 'utf8');
    await writeFile(file, bytes);
    const inline = Buffer.from([0, 1, 2, 255]);
    const stored = await store.storeSubmission(db.pool, {
      ...submission,
      items: [
        { name: 'officer', kind: 'field', value: 'Trần Thị Bình' },
        { name: 'report', kind: 'document', path: file },
        { name: 'annex', kind: 'document', content: inline, value: 'phu-luc.bin' },
      ],
    });
    expect(stored.items).toEqual([
      { name: 'officer', kind: 'field', value: 'Trần Thị Bình' },
      { name: 'report', kind: 'document', value: 'báo-cáo.pdf', sha256: sha(bytes) },
      { name: 'annex', kind: 'document', value: 'phu-luc.bin', sha256: sha(inline) },
    ]);
    const back = await store.getEvidenceContent(db.pool, stored.submissionId, 'report');
    expect(back!.content.equals(bytes)).toBe(true);
    expect(sha(back!.content)).toBe(back!.sha256);
    const rec = await store.getSubmission(db.pool, stored.submissionId);
    expect(rec).toMatchObject({ submittedBy: 'Nguyễn Văn A', note: 'Gửi kèm báo cáo', cycle: 1 });
    expect(rec.evidence.map((e) => [e.name, e.size])).toEqual([['officer', undefined], ['report', bytes.length], ['annex', 4]]);

    await store.recordReview(db.pool, { submissionId: stored.submissionId, decision: 'reject', comment: 'Thiếu chữ ký', reviewer: 'so-tttt', at: '2022-11-30T09:00:00.000+07:00' });
    expect((await store.getSubmission(db.pool, stored.submissionId)).reviews).toEqual([
      { decision: 'reject', comment: 'Thiếu chữ ký', reviewer: 'so-tttt', at: new Date('2022-11-30T09:00:00.000+07:00').toISOString() },
    ]);
  });

  it('rejects documents over 20 MB, storing nothing', async () => {
    const big = join(dir, 'big.bin');
    await writeFile(big, '');
    await truncate(big, store.MAX_EVIDENCE_BYTES + 1);
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM submissions')).rows[0] as { n: number };
    await expect(store.storeSubmission(db.pool, { ...submission, items: [{ name: 'report', kind: 'document', path: big }] })).rejects.toBeInstanceOf(EvidenceTooLargeError);
    await expect(
      store.storeSubmission(db.pool, { ...submission, items: [{ name: 'report', kind: 'document', content: new Uint8Array(store.MAX_EVIDENCE_BYTES + 1) }] }),
    ).rejects.toBeInstanceOf(EvidenceTooLargeError);
    const after = (await db.pool.query('SELECT count(*)::int AS n FROM submissions')).rows[0] as { n: number };
    expect(after.n).toBe(before.n);
  });

  it('unknown submission or extension request: NotFoundError', async () => {
    await expect(store.getSubmission(db.pool, 'no-such-id')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.recordReview(db.pool, { submissionId: '00000000-0000-0000-0000-000000000000', decision: 'accept', reviewer: 'x', at: submission.at })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.recordExtensionDecision(db.pool, { requestId: 'nope', approve: true, decidedBy: 'x', at: submission.at })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('records deployments idempotently and finds the latest', async () => {
    const plan = { planVersion: 1, directive: { id: 'hanoi-3968-2022', revision: 1 }, hash: 'h1', obligations: [], roles: {}, units: {} } as unknown as Plan;
    const a = await store.recordDeployment(db.pool, { plan, deployedBy: 'admin', at: '2022-11-28T08:00:00.000+07:00' });
    const again = await store.recordDeployment(db.pool, { plan });
    expect(a.created).toBe(true);
    expect(again).toMatchObject({ created: false, deployment: { id: a.deployment.id } });
    const plan2 = { ...plan, directive: { ...plan.directive, revision: 2 }, hash: 'h2' } as Plan;
    await store.recordDeployment(db.pool, { plan: plan2, at: '2022-12-01T08:00:00.000+07:00' });
    expect(await store.getLatestDeployment(db.pool, 'hanoi-3968-2022')).toMatchObject({ revision: 2, planHash: 'h2', status: 'active' });
    await store.setDeploymentStatus(db.pool, 'hanoi-3968-2022', 'superseded', 'hanoi-100-2024');
    expect(await store.getLatestDeployment(db.pool, 'hanoi-3968-2022')).toMatchObject({ status: 'superseded', supersededBy: 'hanoi-100-2024' });
    expect(await store.getLatestDeployment(db.pool, 'nothing')).toBeUndefined();
    expect((await store.listLatestDeployments(db.pool)).map((d) => d.planHash)).toEqual(['h2']);
  });

  it('records extensions, events and reads the inbox', async () => {
    const ext = { requestId: 'r1', workflowId: submission.workflowId, directiveId: 'hanoi-3968-2022', obligationId: 'contact-point', unitId: 'so-y-te', until: '2022-12-15', reason: 'Chờ phê duyệt', requestedBy: 'so-y-te', at: submission.at };
    await store.recordExtensionRequest(db.pool, ext);
    await store.recordExtensionRequest(db.pool, ext);
    expect(await store.listExtensions(db.pool, 'hanoi-3968-2022', { pending: true })).toHaveLength(1);
    await store.recordExtensionDecision(db.pool, { requestId: 'r1', approve: true, until: '2022-12-10', decidedBy: 'so-tttt', at: '2022-12-01T08:00:00.000+07:00' });
    expect(await store.listExtensions(db.pool, 'hanoi-3968-2022')).toMatchObject([{ approved: true, until: '2022-12-15', grantedUntil: '2022-12-10' }]);

    const e = { id: 'ev-1', type: 'attack-detected', reportedBy: 'so-y-te', occurredAt: '2022-12-03T22:30:00.000+07:00', description: 'Mã độc' };
    expect((await store.recordEvent(db.pool, 'hanoi-3968-2022', e)).created).toBe(true);
    const twice = await store.recordEvent(db.pool, 'hanoi-3968-2022', e);
    expect(twice.created).toBe(false);
    expect(twice.event).toMatchObject({ id: 'ev-1', description: 'Mã độc' });

    await db.pool.query(
      `INSERT INTO inbox (idempotency_key, unit_id, kind, directive_id, subject, body, at) VALUES
       ('k1', 'so-y-te', 'opened', 'hanoi-3968-2022', 'Một', 'b', '2022-11-28T00:00:00Z'),
       ('k2', 'so-y-te', 'reminder', 'hanoi-3968-2022', 'Hai', 'b', '2022-11-29T00:00:00Z')`,
    );
    expect((await store.readInbox(db.pool, 'so-y-te')).map((m) => m.subject)).toEqual(['Hai', 'Một']);
    const [newest] = await store.readInbox(db.pool, 'so-y-te');
    expect(await store.markInboxRead(db.pool, 'so-y-te', [newest!.id])).toBe(1);
    expect((await store.readInbox(db.pool, 'so-y-te', { unreadOnly: true })).map((m) => m.subject)).toEqual(['Một']);
    expect(await store.markInboxRead(db.pool, 'so-y-te')).toBe(1);
  });
});
