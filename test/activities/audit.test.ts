import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordAudit, listAudit } from '../../activities/store/index.js';
import type { AuditEvent } from '../../workflows/types.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

describe('audit', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  const ev: AuditEvent = {
    key: 'chithi/hanoi-3968-2022/contact-point/so-y-te:1:submitted:s1',
    workflowId: 'chithi/hanoi-3968-2022/contact-point/so-y-te',
    directiveId: 'hanoi-3968-2022',
    obligationId: 'contact-point',
    unitId: 'so-y-te',
    actor: 'nguyen.van.a@soyte',
    action: 'evidence-submitted',
    at: '2022-11-29T10:00:00.000+07:00',
    detail: { submissionId: 's1', ghiChú: 'Đã gửi' },
  };

  it('appends once per key, however often the activity is retried', async () => {
    const recordAudit = createRecordAudit(db.pool);
    await recordAudit(ev);
    await recordAudit(ev);
    const rows = await listAudit(db.pool, 'hanoi-3968-2022');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: ev.key, action: 'evidence-submitted', detail: { ghiChú: 'Đã gửi' } });
    expect(new Date(rows[0]!.at).getTime()).toBe(new Date(ev.at).getTime());
  });

  it('rejects UPDATE, DELETE and TRUNCATE at the database', async () => {
    await expect(db.pool.query("UPDATE audit SET action = 'forged'")).rejects.toThrow(/append-only/);
    await expect(db.pool.query('DELETE FROM audit')).rejects.toThrow(/append-only/);
    await expect(db.pool.query('TRUNCATE audit')).rejects.toThrow(/append-only/);
    expect((await listAudit(db.pool, 'hanoi-3968-2022'))[0]!.action).toBe('evidence-submitted');
  });
});
