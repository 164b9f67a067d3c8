/**
 * A workflow step written in one statement (store/steps.ts writeStepAtOnce, the path most of
 * recordStep's steps take): the same rows and chained audit lines as the step's transaction, the
 * hashes computed in SQL verifying as the ones computed in JS do; nothing written when it must go
 * the long way (no chain head yet, a key taken), and a chain kept whole by steps racing for it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditContent } from '../../activities/audit-chain.js';
import { migrate } from '../../activities/db/migrate.js';
import { appendAudit, getInstance, readInbox, writeStepAtOnce, type Db, type StepWrites } from '../../activities/store/index.js';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.js';
import { verifyAudit } from '../../service/audit.js';
import type { AuditEvent } from '../../workflows/types.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

const D = 'lao-cai-3-2025';

function line(unit: string, n: number, over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    key: `chithi/${D}/scan/${unit}:1:step:${n}`,
    workflowId: `chithi/${D}/scan/${unit}`,
    directiveId: D,
    obligationId: 'scan',
    unitId: unit,
    actor: 'system',
    action: n % 2 ? 'reminded' : 'overdue',
    at: `2025-11-${String(10 + (n % 15)).padStart(2, '0')}T09:00:00.000+07:00`,
    // Vietnamese text and keys out of order: the bytes SQL hashes must be the ones JS encodes.
    detail: { z: n, ghiChú: 'Nhắc lần thứ hai — quá hạn', a: { y: [1, 2.5, null], x: true } },
    ...over,
  };
}

function step(unit: string, n: number, lines = 2): StepWrites {
  const workflowId = `chithi/${D}/scan/${unit}`;
  const at = `2025-11-${String(10 + (n % 15)).padStart(2, '0')}T09:00:00.000+07:00`;
  return {
    status: { workflowId, directiveId: D, obligationId: 'scan', unitId: unit, cycle: 1, status: n % 2 ? 'in-progress' : 'overdue', due: '2025-11-20', at },
    inbox: [{ key: `${workflowId}:${n}:inbox:${unit}`, unitId: unit, kind: 'reminder', directiveId: D, obligationId: 'scan', cycle: 1, due: '2025-11-20', subject: `Nhắc việc ${n}`, body: 'Còn 3 ngày', at }],
    outbox: [{ key: `${workflowId}:${n}:email:${unit}`, requestKey: `${workflowId}:${n}`, channel: 'email', recipient: unit, subject: `Nhắc việc ${n}`, body: 'Còn 3 ngày', payload: { address: `${unit}@example.vn`, at }, owner: { workflowId, directiveId: D, obligationId: 'scan', unitId: unit }, held: { until: '2025-11-11T08:00:00.000+07:00', notice: { n } } }],
    audits: Array.from({ length: lines }, (_, i) => auditContent(line(unit, n * 10 + i))),
  };
}

const count = async (db: Db, table: 'audit' | 'inbox' | 'outbox') => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE directive_id = $1`, [D])).rows[0]!.n;

async function behavesAsTheTransaction(pool: pg.Pool): Promise<void> {
  // A directive's first line has no head to lock: nothing is written, the caller goes the long way.
  expect(await writeStepAtOnce(pool, step('so-y-te', 1))).toBe(false);
  expect(await count(pool, 'audit')).toBe(0);
  expect(await count(pool, 'inbox')).toBe(0);
  expect(await getInstance(pool, `chithi/${D}/scan/so-y-te`)).toBeUndefined();

  await appendAudit(pool, line('so-y-te', 0));
  expect(await writeStepAtOnce(pool, step('so-y-te', 1))).toBe(true);
  expect(await writeStepAtOnce(pool, step('so-y-te', 2, 1))).toBe(true);
  expect(await getInstance(pool, `chithi/${D}/scan/so-y-te`)).toMatchObject({ status: 'overdue', cycle: 1, due: '2025-11-20' });
  expect((await readInbox(pool, 'so-y-te')).map((n) => n.subject).sort()).toEqual(['Nhắc việc 1', 'Nhắc việc 2']);
  const held = await pool.query<{ hold_until: Date; next_attempt_at: Date | null }>('SELECT hold_until, next_attempt_at FROM outbox WHERE directive_id = $1', [D]);
  expect(held.rows.every((r) => r.hold_until !== null && r.next_attempt_at === null)).toBe(true);
  const rows = await pool.query<{ seq: string; prev_hash: string; hash: string }>('SELECT seq, prev_hash, hash FROM audit WHERE directive_id = $1 ORDER BY seq', [D]);
  expect(rows.rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4]);
  for (let i = 1; i < rows.rows.length; i++) expect(rows.rows[i]!.prev_hash).toBe(rows.rows[i - 1]!.hash);
  // verify recomputes every hash in JS (chainHash) and checks the head.
  expect(await verifyAudit(pool, { directiveId: D })).toMatchObject({ ok: true, rows: 4 });

  // Retried after its commit: a key is taken, nothing is written (not even the rows that would be no-ops).
  expect(await writeStepAtOnce(pool, step('so-y-te', 1))).toBe(false);
  expect(await count(pool, 'audit')).toBe(4);
  expect(await verifyAudit(pool, { directiveId: D })).toMatchObject({ ok: true, rows: 4 });

  // Steps of many instances racing for the directive's chain: every line once, in one unbroken chain.
  const units = Array.from({ length: 12 }, (_, i) => `ubnd-xa-${i}`);
  await Promise.all(units.flatMap((u) => [3, 4, 5].map(async (n) => expect(await writeStepAtOnce(pool, step(u, n))).toBe(true))));
  expect(await count(pool, 'audit')).toBe(4 + units.length * 3 * 2);
  expect(await count(pool, 'outbox')).toBe(2 + units.length * 3);
  expect(await verifyAudit(pool, { directiveId: D })).toMatchObject({ ok: true, rows: 4 + units.length * 3 * 2 });
}

describe('a step in one statement', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  it('writes what the transaction writes, or nothing; racing steps keep one chain that verifies', async () => {
    await behavesAsTheTransaction(db.pool);
  });
});

describe('on the embedded PGlite', () => {
  it('the same', async () => {
    const server = await startEmbeddedPostgres();
    const pool = new pg.Pool({ connectionString: server.url, ...server.poolOptions });
    pool.on('error', () => undefined);
    try {
      await migrate(pool);
      await behavesAsTheTransaction(pool);
    } finally {
      await pool.end();
      await server.stop();
    }
  });
});
