/**
 * Xu hướng của bảng tổng quan từ nhật ký (activities/store/trend.ts) trên PostgreSQL thật: dòng nhật
 * ký ghi bằng chính appendAudit, như các workflow ghi; số đếm cuối mỗi ngày là số người đọc thấy.
 * The dashboard's trend from the audit trail on a real PostgreSQL: lines appended with the store's
 * own appendAudit, as the workflows write them (the actions and details of workflows/); the counts
 * at the end of each day are the numbers a reader sees in the chart's table.
 */
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, firstAuditDay, statusTrend, type InstanceScope, type TrendCounts } from '../../activities/store/index.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

const D = 'trend-directive';
const TZ = 'Asia/Ho_Chi_Minh';
// Ten days from Monday 02/03/2026, one period a day.
const PERIODS = { from: '2026-03-02', days: 1, count: 10, timeZone: TZ };
const ALL: InstanceScope = { unit: 'ubnd', all: ['o1', 'o2'], others: [], own: [] };

let db: TestDatabase;
let n = 0;

/**
 * One line of a workflow of (obligation, unit), at `day` (0 = 02/03/2026) and `hour`:`minute` on
 * the directive's clock (+07:00); a millisecond per line keeps the order of lines at the same time.
 */
async function line(wf: string, action: string, day: number, detail: Record<string, unknown> = {}, [hour, minute] = [9, 0], directiveId = D): Promise<void> {
  const [obligationId, unitId] = wf.split('/') as [string, string];
  n += 1;
  const date = new Date(Date.UTC(2026, 2, 2 + day, hour - 7, minute, 0, n));
  await appendAudit(db.pool, {
    key: `${directiveId}/${wf}:${action}:${n}`,
    workflowId: `chithi/${directiveId}/${wf}`,
    directiveId,
    obligationId,
    unitId,
    actor: 'system',
    action,
    at: date.toISOString(),
    detail,
  });
}

const day = (d: number) => `2026-03-${String(2 + d).padStart(2, '0')}`;
const series = (points: TrendCounts[], key: keyof TrendCounts) => points.map((p) => p[key]);

beforeAll(async () => {
  db = await freshDatabase();
  // o1/u1: overdue on day 2, accepted late on day 5 (an escalation and a reminder beside, which change nothing).
  await line('o1/u1', 'cycle-scheduled', 0, { due: day(1) });
  await line('o1/u1', 'opened', 0, { due: day(1) });
  await line('o1/u1', 'reminded', 0, { before: 'P1D' });
  await line('o1/u1', 'overdue', 2, { due: day(1) });
  await line('o1/u1', 'escalated', 2, { after: 'P0D' });
  await line('o1/u1', 'evidence-submitted', 4, { submissionId: 's1' });
  await line('o1/u1', 'accepted', 5, { submissionId: 's1', onTime: false });
  // o1/u2: cycle 1 accepted on time on day 1; cycle 2 overdue on day 6; evidence on day 7 still
  // overdue (awaiting review past due); rejected on day 8, marked overdue again: no change.
  await line('o1/u2', 'cycle-scheduled', 0, { due: day(3) });
  await line('o1/u2', 'opened', 0, { due: day(3) });
  await line('o1/u2', 'evidence-submitted', 1, { submissionId: 's2' });
  await line('o1/u2', 'accepted', 1, { submissionId: 's2', onTime: true });
  await line('o1/u2', 'cycle-scheduled', 1, { due: day(5) });
  await line('o1/u2', 'opened', 3, { due: day(5) });
  await line('o1/u2', 'overdue', 6, { due: day(5) });
  await line('o1/u2', 'evidence-submitted', 7, { submissionId: 's3' });
  await line('o1/u2', 'rejected', 8, { submissionId: 's3' });
  await line('o1/u2', 'overdue', 8, { due: day(5) });
  // o2/u1: overdue on day 3, an extension to day 9 granted on day 4 takes it out.
  await line('o2/u1', 'cycle-scheduled', 0, { due: day(2) });
  await line('o2/u1', 'overdue', 3, { due: day(2) });
  await line('o2/u1', 'extension-approved', 4, { requestId: 'r1', until: day(9) });
  // o2/u2: overdue on day 2; an extension to a date already past (a history from before the check)
  // leaves it overdue; an amendment with a due date still past too; withdrawn on day 6.
  await line('o2/u2', 'overdue', 2, { due: day(1) });
  await line('o2/u2', 'extension-approved', 3, { requestId: 'r2', until: day(2) });
  await line('o2/u2', 'amended', 4, { revision: 2, due: day(3) });
  await line('o2/u2', 'withdrawn', 6, { reason: 'removed' });
  // o2/u3: a window handed over: overdue on day 1 late in the evening (23:30, still day 1 on the
  // directive's clock though day 1 16:30 UTC), the next cycle scheduled on day 4 just after
  // midnight (00:30 local, still day 3 in UTC); then an amendment moving its due date ahead on
  // day 7 after it went overdue again on day 6.
  await line('o2/u3', 'overdue', 1, { due: day(0) }, [23, 30]);
  await line('o2/u3', 'cycle-scheduled', 4, { due: day(5) }, [0, 30]);
  await line('o2/u3', 'overdue', 6, { due: day(5) });
  await line('o2/u3', 'amended', 7, { revision: 2, due: day(9) });
  // Another directive's lines count nowhere here; nor does a line after the last period.
  await line('o1/u1', 'overdue', 1, { due: day(0) }, [9, 0], 'other-directive');
  await line('o1/u1', 'accepted', 12, { submissionId: 's9', onTime: true });
}, 60_000);

afterAll(() => db?.drop());

describe('statusTrend', () => {
  it('counts, at the end of each day, the cycles completed on time and late so far and those overdue then', async () => {
    const t = await statusTrend(db.pool, D, ALL, PERIODS);
    expect(t).toHaveLength(10);
    expect(series(t, 'onTime')).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(series(t, 'late')).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    // Day by day: 1 +o2/u3 · 2 +o1/u1 +o2/u2 · 3 +o2/u1 · 4 −o2/u1 −o2/u3 · 5 −o1/u1 · 6 +o1/u2 −o2/u2 +o2/u3 · 7 −o2/u3.
    expect(series(t, 'overdue')).toEqual([0, 1, 3, 4, 2, 1, 2, 1, 1, 1]);
  });

  it('counts only what the scope admits: an officer its own unit, a reviewer the others', async () => {
    const officer = await statusTrend(db.pool, D, { unit: 'u1', all: [], others: [], own: ['o1', 'o2'] }, PERIODS);
    expect(series(officer, 'overdue')).toEqual([0, 0, 1, 2, 1, 0, 0, 0, 0, 0]);
    expect(series(officer, 'late')).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(series(officer, 'onTime')).toEqual(Array(10).fill(0));
    // Reviewing o1, of unit u1: o1 of every unit but u1.
    const reviewer = await statusTrend(db.pool, D, { unit: 'u1', all: [], others: ['o1'], own: [] }, PERIODS);
    expect(series(reviewer, 'onTime')).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(series(reviewer, 'overdue')).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(series(reviewer, 'late')).toEqual(Array(10).fill(0));
  });

  it('sums days into longer periods, the first period taking what came before it', async () => {
    // Weeks from Monday 23/02: the first week has nothing, the second is days 0–6, the third days 7–13.
    const t = await statusTrend(db.pool, D, ALL, { from: '2026-02-23', days: 7, count: 3, timeZone: TZ });
    expect(t).toEqual([
      { onTime: 0, late: 0, overdue: 0 },
      { onTime: 1, late: 1, overdue: 2 },
      { onTime: 2, late: 1, overdue: 1 },
    ]);
  });

  it('says when tracking began, on the directive clock', async () => {
    expect(await firstAuditDay(db.pool, D, TZ)).toBe('2026-03-02');
    expect(await firstAuditDay(db.pool, 'no-such-directive', TZ)).toBeUndefined();
  });

  it("reads the lines off the partial indexes of migration 010: their conditions are implied by the query's, word for word", async () => {
    const client = await db.pool.connect();
    try {
      // The tables are tiny here, so the planner would rather scan them: forbid that, and the
      // indexes are the only way left, if the query's conditions imply theirs. The query is
      // statusTrend's own, run under EXPLAIN.
      await client.query('SET enable_seqscan = off');
      await client.query('SET enable_bitmapscan = off');
      let plan = '';
      const explain = {
        async query(text: string, values: unknown[]) {
          const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values);
          plan = rows.map((r) => r['QUERY PLAN']).join('\n');
          return { rows: [] };
        },
      } as unknown as PoolClient;
      await statusTrend(explain, D, ALL, PERIODS);
      expect(plan).toMatch(/Index (Only )?Scan using audit_status_changes on audit/);
      expect(plan).toMatch(/Index (Only )?Scan using audit_completed_late on audit/);
      // Read in workflow order: the window needs no sort of its own (the one left is of the periods).
      expect(plan.split('\n').filter((l) => /Sort/.test(l)).join('\n')).not.toMatch(/workflow_id/);
    } finally {
      await client.query('RESET ALL');
      client.release();
    }
  });
});
