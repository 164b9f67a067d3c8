import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompletedObligations } from '../../activities/dependencies.js';
import { createRecordStatus } from '../../activities/status.js';
import { getInstance, listInstances } from '../../activities/store/index.js';
import type { RuntimeActivities, StatusUpdate } from '../../workflows/types.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

describe('status projection', () => {
  let db: TestDatabase;
  let a: Pick<RuntimeActivities, 'recordStatus' | 'completedObligations'>;
  beforeAll(async () => {
    db = await freshDatabase();
    a = { recordStatus: createRecordStatus(db.pool), completedObligations: createCompletedObligations(db.pool) };
  });
  afterAll(() => db.drop());

  const wf = 'chithi/hanoi-3968-2022/vulnerability-scan/so-y-te';
  const base: StatusUpdate = {
    workflowId: wf,
    directiveId: 'hanoi-3968-2022',
    obligationId: 'vulnerability-scan',
    unitId: 'so-y-te',
    cycle: 1,
    status: 'in-progress',
    due: '2023-05-29',
    at: '2022-11-28T00:00:00.000+07:00',
  };

  it('upserts one row per workflow and keeps dates as calendar dates', async () => {
    await a.recordStatus(base);
    await a.recordStatus({ ...base, status: 'awaiting-review', at: '2023-05-20T10:00:00.000+07:00' });
    const row = await getInstance(db.pool, wf);
    expect(row).toMatchObject({ status: 'awaiting-review', cycle: 1, due: '2023-05-29', originalDue: '2023-05-29', everCompleted: false });
  });

  it('never goes backwards: an older cycle or older update is ignored', async () => {
    await a.recordStatus({ ...base, status: 'completed-on-time', completedAt: '2023-05-25T09:00:00.000+07:00', at: '2023-05-25T09:00:00.000+07:00' });
    await a.recordStatus({ ...base, cycle: 2, status: 'in-progress', due: '2023-11-27', at: '2023-05-25T09:00:01.000+07:00' });
    await a.recordStatus({ ...base, status: 'overdue', at: '2023-05-30T00:00:00.000+07:00' }); // late retry of cycle 1
    await a.recordStatus({ ...base, cycle: 2, status: 'not-yet-due', due: '2023-11-27', at: '2023-05-25T09:00:00.500+07:00' }); // older, same cycle
    const row = await getInstance(db.pool, wf);
    expect(row).toMatchObject({ cycle: 2, status: 'in-progress', due: '2023-11-27', everCompleted: true });
  });

  it("a later generation (a unit re-added) replaces the row whatever its cycle; an earlier one's late write does not", async () => {
    const id = `${wf}-regen`;
    await a.recordStatus({ ...base, directiveId: 'regen', workflowId: id, cycle: 3, status: 'completed-on-time', completedAt: '2023-05-25T09:00:00.000+07:00' });
    await a.recordStatus({ ...base, directiveId: 'regen', workflowId: id, cycle: 4, status: 'withdrawn', at: '2023-06-01T00:00:00.000+07:00' });
    await a.recordStatus({ ...base, directiveId: 'regen', workflowId: id, generation: 2, cycle: 1, status: 'not-yet-due', at: '2023-06-02T00:00:00.000+07:00' });
    expect(await getInstance(db.pool, id)).toMatchObject({ generation: 2, cycle: 1, status: 'not-yet-due', everCompleted: false });
    await a.recordStatus({ ...base, directiveId: 'regen', workflowId: id, cycle: 4, status: 'withdrawn', at: '2023-06-03T00:00:00.000+07:00' }); // the old run, retried late
    expect(await getInstance(db.pool, id)).toMatchObject({ generation: 2, cycle: 1, status: 'not-yet-due' });
    await a.recordStatus({ ...base, directiveId: 'regen', workflowId: id, generation: 2, cycle: 1, status: 'completed-late', at: '2023-06-04T00:00:00.000+07:00' });
    await a.recordStatus({ ...base, directiveId: 'regen', workflowId: id, generation: 2, cycle: 2, status: 'in-progress', at: '2023-06-04T00:00:01.000+07:00' });
    expect(await getInstance(db.pool, id)).toMatchObject({ generation: 2, cycle: 2, status: 'in-progress', everCompleted: true });
  });

  it('completedObligations reports a completion from an earlier cycle', async () => {
    await a.recordStatus({ ...base, workflowId: `${wf}-x`, obligationId: 'assign-officer', status: 'in-progress' });
    const done = await a.completedObligations({ directiveId: 'hanoi-3968-2022', unitId: 'so-y-te', obligationIds: ['vulnerability-scan', 'assign-officer', 'nope'] });
    expect(done).toEqual(['vulnerability-scan']);
    expect(await a.completedObligations({ directiveId: 'hanoi-3968-2022', unitId: 'so-y-te', obligationIds: [] })).toEqual([]);
  });

  it('lists instances with unit, status and overdue filters', async () => {
    await a.recordStatus({ ...base, workflowId: 'w-late', obligationId: 'contact-point', unitId: 'so-tttt', status: 'overdue', due: '2022-11-30', at: '2022-12-01T00:00:00.000+07:00' });
    await a.recordStatus({ ...base, workflowId: 'w-open', obligationId: 'contact-point', unitId: 'so-cong-thuong', status: 'in-progress', due: '2022-11-30', at: '2022-11-28T00:00:00.000+07:00' });
    const all = await listInstances(db.pool, 'hanoi-3968-2022');
    expect(all.map((i) => i.workflowId)).toHaveLength(4);
    expect((await listInstances(db.pool, 'hanoi-3968-2022', { unitId: 'so-tttt' })).map((i) => i.workflowId)).toEqual(['w-late']);
    expect((await listInstances(db.pool, 'hanoi-3968-2022', { overdue: true })).map((i) => i.workflowId)).toEqual(['w-late']);
    expect((await listInstances(db.pool, 'hanoi-3968-2022', { overdue: true, asOf: '2022-12-05' })).map((i) => i.workflowId).sort()).toEqual(['w-late', 'w-open']);
    expect((await listInstances(db.pool, 'hanoi-3968-2022', { status: ['in-progress'] })).map((i) => i.workflowId).sort()).toEqual([wf, `${wf}-x`, 'w-open'].sort());
  });
});
