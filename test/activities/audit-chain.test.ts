/**
 * The audit trail's hash chain (migration 007, activities/audit-chain.ts, service/audit.ts): built
 * per directive across appends, verified; a row altered or removed behind the application's back
 * is named by verify; the application role may append and read, nothing else.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH } from '../../activities/audit-chain.js';
import { migrate } from '../../activities/db/migrate.js';
import { AuditConflictError } from '../../activities/errors.js';
import { inTransaction } from '../../activities/db/tx.js';
import { appendAudit, appendAudits, listAudit } from '../../activities/store/index.js';
import { main } from '../../client/cli.js';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.js';
import { formatHeads, verifyAudit } from '../../service/audit.js';
import type { AuditEvent } from '../../workflows/types.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

const A = 'hanoi-3968-2022';
const B = 'haiphong-12-2023';
/** The application role's own chain, clean whatever the other tests did to A and B. */
const C = 'quang-ninh-7-2024';

function event(directiveId: string, n: number, over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    key: `chithi/${directiveId}/contact-point/so-y-te:1:step:${n}`,
    workflowId: `chithi/${directiveId}/contact-point/so-y-te`,
    directiveId,
    obligationId: 'contact-point',
    unitId: 'so-y-te',
    actor: n % 2 ? 'system' : 'nguyen.van.a@soyte',
    action: n % 2 ? 'reminded' : 'evidence-submitted',
    at: `2022-11-${String(10 + n).padStart(2, '0')}T10:00:00.000+07:00`,
    // Keys out of order, nesting, Vietnamese text, numbers: what jsonb normalises its own way.
    detail: { z: n, ghiChú: 'Đã gửi báo cáo', a: { y: [1, 2.5, null], x: true }, ...(n === 2 ? { skipped: undefined } : {}) },
    ...over,
  };
}

/** As the owner (not through the application), the trigger set aside for the duration. */
async function tamper(db: TestDatabase, sql: string, params: unknown[]): Promise<void> {
  const c = await db.pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('ALTER TABLE audit DISABLE TRIGGER USER');
    await c.query(sql, params);
    await c.query('ALTER TABLE audit ENABLE TRIGGER USER');
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  } finally {
    c.release();
  }
}

async function row(db: TestDatabase, directiveId: string, seq: number): Promise<{ id: string; idempotency_key: string }> {
  return (await db.pool.query<{ id: string; idempotency_key: string }>('SELECT id::text, idempotency_key FROM audit WHERE directive_id = $1 AND seq = $2', [directiveId, seq])).rows[0]!;
}

async function cli(db: TestDatabase, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const env = { DATABASE_URL: db.url, TEMPORAL_ADDRESS: '127.0.0.1:1', ...(db.embedded ? { DATABASE_POOL_MAX: '1' } : {}) };
  const code = await main(args, { env, cwd: tmpdir(), stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined, keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"e":2,"f":1}]},"b":1}');
  });
});

describe('audit hash chain', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await freshDatabase();
    dir = await mkdtemp(join(tmpdir(), 'chithi-audit-'));
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('chains each directive separately across appends, and verifies', async () => {
    // Interleaved, some in one transaction, some on the bare pool, and five concurrently.
    for (let n = 1; n <= 3; n++) {
      await appendAudit(db.pool, event(A, n));
      await appendAudit(db.pool, event(B, n));
    }
    const c = await db.pool.connect();
    try {
      await c.query('BEGIN');
      await appendAudit(c, event(A, 4));
      await appendAudit(c, event(A, 5));
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    await Promise.all([6, 7, 8, 9, 10].map((n) => appendAudit(db.pool, event(A, n))));

    const { rows } = await db.pool.query<{ directive_id: string; seq: string; prev_hash: string; hash: string }>(
      'SELECT directive_id, seq, prev_hash, hash FROM audit ORDER BY directive_id, seq',
    );
    const chainA = rows.filter((r) => r.directive_id === A);
    expect(chainA.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(chainA[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < chainA.length; i++) expect(chainA[i]!.prev_hash).toBe(chainA[i - 1]!.hash);
    expect(rows.filter((r) => r.directive_id === B).map((r) => Number(r.seq))).toEqual([1, 2, 3]);

    const result = await verifyAudit(db.pool);
    expect(result).toMatchObject({ ok: true, rows: 13, chains: 2, unchained: 0 });
    expect(result.heads.map((h) => [h.directiveId, h.seq])).toEqual([[B, 3], [A, 10]]);
    expect((await verifyAudit(db.pool, { directiveId: B })).rows).toBe(3);
  });

  it('a retried append with the same key is a no-op (the same step run again keeps its first line); another actor, action or workflow is an AuditConflictError', async () => {
    await appendAudit(db.pool, event(A, 3));
    // The same event as another process would send it again: keys in another order, at in UTC.
    const again = event(A, 3);
    await appendAudit(db.pool, { ...again, at: new Date(again.at).toISOString(), detail: Object.fromEntries(Object.entries(again.detail!).reverse()) });
    expect((await db.pool.query('SELECT count(*)::int AS n FROM audit')).rows[0].n).toBe(13);

    // Another actor, action or workflow under the key: two events claim one key.
    const other = appendAudit(db.pool, event(A, 3, { actor: 'someone-else' }));
    await expect(other).rejects.toBeInstanceOf(AuditConflictError);
    await expect(other).rejects.toMatchObject({ code: 'audit-conflict', permanent: true });
    await expect(appendAudit(db.pool, event(A, 3, { action: 'escalated' }))).rejects.toBeInstanceOf(AuditConflictError);
    await expect(appendAudit(db.pool, event(A, 3, { workflowId: 'chithi/other/x/y' }))).rejects.toBeInstanceOf(AuditConflictError);
    // The same step run again in a later workflow task (a local activity replayed after the cache
    // evicted the run): its time and the times in its detail differ; the line first written stands.
    await appendAudit(db.pool, event(A, 3, { at: '2022-11-13T10:00:00.001+07:00', detail: { z: 99 } }));
    expect((await listAudit(db.pool, A)).find((e) => e.key === event(A, 3).key)?.detail).toMatchObject({ z: 3 });
    expect((await verifyAudit(db.pool)).ok).toBe(true);
    expect(await listAudit(db.pool, A)).toHaveLength(10);
  });

  it('chithi audit verify: exit 0 with the count, heads for --heads', async () => {
    const vi = await cli(db, ['audit', 'verify']);
    expect(vi).toMatchObject({ code: 0, err: '' });
    expect(vi.out).toContain('audit: 13 dòng trong 2 chuỗi đã kiểm tra, khớp');
    const en = await cli(db, ['audit', 'verify', '--directive', A, '--lang', 'en']);
    expect(en.out).toContain('audit: 10 rows in 1 chains verified');
    const heads = await cli(db, ['audit', 'heads']);
    expect(heads.code).toBe(0);
    expect(heads.out).toBe(formatHeads((await verifyAudit(db.pool)).heads));
    await writeFile(join(dir, 'heads.txt'), heads.out);
    const anchored = await cli(db, ['audit', 'verify', '--heads', join(dir, 'heads.txt'), '--lang', 'en']);
    expect(anchored.code).toBe(0);
    expect(anchored.out).toContain('the saved heads (--heads) are still in their chains');
    expect((await cli(db, ['audit', 'verify', '--help', '--lang', 'en'])).out).toContain('Operator command: reads the database directly');
    expect((await cli(db, ['audit', 'check'])).code).toBe(2);
  });

  it('a row altered behind the application: verify names exactly that row (its content hash)', async () => {
    const target = await row(db, A, 4);
    await tamper(db, `UPDATE audit SET detail = detail || '{"ghiChú": "sửa"}' WHERE id = $1`, [target.id]);
    const result = await verifyAudit(db.pool);
    expect(result.ok).toBe(false);
    expect(result.broken).toMatchObject({ kind: 'content', directiveId: A, seq: 4, id: target.id, key: target.idempotency_key });
    // B's chain alone still verifies.
    expect((await verifyAudit(db.pool, { directiveId: B })).ok).toBe(true);

    const r = await cli(db, ['audit', 'verify', '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`directive ${A} does not match at row #4 (id ${target.id}, key ${target.idempotency_key}): its content hash does not match`);
    expect(r.err).toContain('Hint:');
    const vi = await cli(db, ['audit', 'verify']);
    expect(vi.code).toBe(1);
    expect(vi.err).toContain('mã băm nội dung không khớp');
  });

  it('a middle row deleted: verify names the next row (broken link)', async () => {
    const deleted = await row(db, B, 2);
    const next = await row(db, B, 3);
    await tamper(db, 'DELETE FROM audit WHERE id = $1', [deleted.id]);
    const result = await verifyAudit(db.pool, { directiveId: B });
    expect(result.broken).toMatchObject({ kind: 'link', directiveId: B, seq: 3, id: next.id, key: next.idempotency_key });
    const r = await cli(db, ['audit', 'verify', '--directive', B, '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`at row #3 (id ${next.id}, key ${next.idempotency_key}): its link to the previous row does not match`);
  });

  it('a chain rewritten consistently (as a superuser could) is caught only by heads saved earlier', async () => {
    // B's chain: its last row removed and audit_heads moved back, so the chain itself is consistent…
    const last = await row(db, B, 3);
    await tamper(db, 'DELETE FROM audit WHERE id = $1', [last.id]);
    const one = (await db.pool.query<{ hash: string }>('SELECT hash FROM audit WHERE directive_id = $1 AND seq = 1', [B])).rows[0]!;
    await db.pool.query('UPDATE audit_heads SET seq = 1, hash = $2 WHERE directive_id = $1', [B, one.hash]);
    expect((await verifyAudit(db.pool, { directiveId: B })).ok).toBe(true);
    // …but not with the heads written down before.
    const r = await cli(db, ['audit', 'verify', '--directive', B, '--heads', join(dir, 'heads.txt'), '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is no longer in the chain');
    // Cut off the end, audit_heads left alone: the head says so.
    await db.pool.query('UPDATE audit_heads SET seq = 3 WHERE directive_id = $1', [B]);
    expect((await verifyAudit(db.pool, { directiveId: B })).broken).toMatchObject({ kind: 'head', directiveId: B });
  });

  it('rows from before migration 007 stay outside the chain, counted', async () => {
    const fresh = await freshDatabase({ migrate: false });
    try {
      const before = await mkdtemp(join(tmpdir(), 'chithi-migrations-'));
      try {
        // Migrations up to 006 only, then a row as the old code wrote it.
        const { readdir, copyFile } = await import('node:fs/promises');
        const src = join(import.meta.dirname, '../../activities/db/migrations');
        for (const f of await readdir(src)) if (f < '007') await copyFile(join(src, f), join(before, f));
        await migrate(fresh.pool, before);
      } finally {
        await rm(before, { recursive: true, force: true });
      }
      await fresh.pool.query(
        `INSERT INTO audit (idempotency_key, workflow_id, directive_id, actor, action, at) VALUES ('old:1', 'w', $1, 'system', 'opened', now())`,
        [A],
      );
      await migrate(fresh.pool);
      await appendAudit(fresh.pool, event(A, 1));
      expect(await verifyAudit(fresh.pool)).toMatchObject({ ok: true, rows: 1, chains: 1, unchained: 1 });
      // A new row outside the chain is refused by the database itself.
      await expect(
        fresh.pool.query(`INSERT INTO audit (idempotency_key, workflow_id, directive_id, actor, action, at) VALUES ('new:1', 'w', $1, 'system', 'opened', now())`, [A]),
      ).rejects.toThrow(/audit_chained/);
    } finally {
      await fresh.drop();
    }
  });
});

/**
 * The application role, where the cluster has it (CI creates it and makes the test role a member;
 * the embedded PGlite runs as a superuser, so the migration creates it there).
 */
async function appRoleUsable(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chithi_app') AND pg_has_role(current_user, (SELECT oid FROM pg_roles WHERE rolname = 'chithi_app'), 'MEMBER') AS ok`,
  );
  return rows[0]!.ok;
}

async function checkApplicationRole(db: TestDatabase): Promise<void> {
  // As the application would be: a pool whose every connection is chithi_app.
  // PostgreSQL: every connection starts as chithi_app (a pool drops a connection whose query
  // failed, so a SET ROLE would not last). The embedded server ignores startup options, but it is
  // one session for every connection, so there one SET ROLE lasts until RESET.
  const app = new pg.Pool({ connectionString: db.url, max: 1, options: '-c role=chithi_app' });
  app.on('error', () => undefined);
  await app.query('SET ROLE chithi_app');
  try {
    expect((await app.query<{ r: string }>('SELECT current_user AS r')).rows[0]!.r).toBe('chithi_app');
    await appendAudit(app, event(C, 1));
    await appendAudit(app, event(C, 1));
    expect(await verifyAudit(app, { directiveId: C })).toMatchObject({ ok: true, rows: 1 });
    // Reading which migrations ran, finding none pending, is all migrate does here.
    expect((await migrate(app)).applied).toEqual([]);
    await expect(app.query("UPDATE audit SET action = 'forged'")).rejects.toThrow(/permission denied for table audit/);
    await expect(app.query('DELETE FROM audit')).rejects.toThrow(/permission denied for table audit/);
    await expect(app.query('TRUNCATE audit')).rejects.toThrow(/permission denied for table audit/);
    await expect(app.query('ALTER TABLE audit DISABLE TRIGGER USER')).rejects.toThrow(/must be owner/);
    await expect(app.query('DROP TRIGGER audit_no_update_delete ON audit')).rejects.toThrow(/must be owner/);
    await expect(app.query("INSERT INTO schema_migrations (name) VALUES ('999_forged.sql')")).rejects.toThrow(/permission denied/);
    expect((await app.query<{ r: string }>('SELECT current_user AS r')).rows[0]!.r).toBe('chithi_app');
  } finally {
    // The embedded server is one session for every connection: give it back as it was.
    await app.query('RESET ROLE').catch(() => undefined);
    await app.end();
  }
}

describe("a workflow step's lines at once (appendAudits, recordStep)", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());
  const D = 'lao-cai-3-2025';
  const count = async () => (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit WHERE directive_id = $1', [D])).rows[0]!.n;

  it('chains them after what is there, in order, as appends one by one would; the chain verifies', async () => {
    // The directive's first lines: its head does not exist yet.
    await inTransaction(db.pool, (c) => appendAudits(c, [event(D, 1), event(D, 2)]));
    await appendAudit(db.pool, event(D, 3));
    await inTransaction(db.pool, (c) => appendAudits(c, [event(D, 4), event(D, 5), event(D, 6)]));
    const { rows } = await db.pool.query<{ idempotency_key: string; seq: string; prev_hash: string; hash: string }>(
      'SELECT idempotency_key, seq, prev_hash, hash FROM audit WHERE directive_id = $1 ORDER BY seq',
      [D],
    );
    expect(rows.map((r) => [r.idempotency_key, Number(r.seq)])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [event(D, n).key, n]));
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect((await listAudit(db.pool, D)).find((e) => e.key === event(D, 5).key)).toMatchObject({ actor: 'system', action: 'reminded', detail: { ghiChú: 'Đã gửi báo cáo' } });
    expect(await verifyAudit(db.pool, { directiveId: D })).toMatchObject({ ok: true, rows: 6 });
  });

  it('the same step again (retried after its commit) writes nothing; a line whose key another event holds refuses the whole step', async () => {
    await inTransaction(db.pool, (c) => appendAudits(c, [event(D, 4), event(D, 5), event(D, 6)]));
    expect(await count()).toBe(6);
    const step = inTransaction(db.pool, (c) => appendAudits(c, [event(D, 7), event(D, 5, { actor: 'someone-else' })]));
    await expect(step).rejects.toBeInstanceOf(AuditConflictError);
    expect(await count()).toBe(6);
    await inTransaction(db.pool, (c) => appendAudits(c, [event(D, 7), event(D, 8)]));
    expect(await count()).toBe(8);
    expect(await verifyAudit(db.pool, { directiveId: D })).toMatchObject({ ok: true, rows: 8 });
  });
});

describe('the application role', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  it('may append and read the audit trail, not rewrite it nor drop its trigger', async (ctx) => {
    if (!(await appRoleUsable(db.pool))) ctx.skip();
    await checkApplicationRole(db);
  });
});

describe('on the embedded PGlite (one superuser: roles exist but are not separated)', () => {
  it('chains, verifies, and the migration creates the application role', async () => {
    const server = await startEmbeddedPostgres();
    const pool = new pg.Pool({ connectionString: server.url, ...server.poolOptions });
    pool.on('error', () => undefined);
    const db: TestDatabase = { pool, url: server.url, embedded: true, drop: async () => undefined };
    try {
      await migrate(pool);
      await appendAudit(pool, event(A, 1));
      await inTransaction(pool, (c) => appendAudits(c, [event(A, 2), event(A, 3)]));
      await expect(appendAudit(pool, event(A, 2, { actor: 'someone-else' }))).rejects.toBeInstanceOf(AuditConflictError);
      expect(await verifyAudit(pool)).toMatchObject({ ok: true, rows: 3, chains: 1 });
      expect((await cli(db, ['audit', 'verify', '--lang', 'en'])).out).toContain('audit: 3 rows in 1 chains verified');
      await tamper(db, `UPDATE audit SET actor = 'forged' WHERE directive_id = $1 AND seq = 2`, [A]);
      expect((await verifyAudit(pool)).broken).toMatchObject({ kind: 'content', seq: 2 });
      expect(await appRoleUsable(pool)).toBe(true);
      // Reads and appends again as chithi_app on a clean chain of another directive.
      await checkApplicationRole(db);
    } finally {
      await pool.end();
      await server.stop();
    }
  });
});
