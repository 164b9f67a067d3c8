/**
 * Issue 9, shown through the CLI against a running server (the harness runs what npm start runs:
 * the API server, a worker, PostgreSQL): the actor comes from the credential, an officer cannot
 * act for another unit, an unauthenticated call is refused, and `chithi audit verify` passes, then
 * names the row a superuser altered directly in PostgreSQL.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, startClientHarness, type ClientHarness } from './harness.js';

const D = 'test-directive';
let h: ClientHarness;

beforeAll(async () => {
  h = await startClientHarness();
  writeFileSync(join(h.dir, 'drill.pdf'), '%PDF-1.4 báo cáo diễn tập');
  const r = await h.cli(['deploy', h.writeDirective(), '--as-of', AS_OF]);
  expect(r.code, r.stderr).toBe(0);
  await h.until('instances recorded', () => h.db.pool.query('SELECT 1 FROM instances WHERE directive_id = $1', [D]), (q) => (q.rowCount ?? 0) >= 6);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

describe('signed in through the CLI', () => {
  it('an officer of one unit cannot submit for another: exit 1, the reason, nothing stored', async () => {
    await h.account('officer.so-y-te', 'so-y-te', ['officer']);
    const r = await h.cli(['submit', '--directive', D, '--obligation', 'drill', '--unit', 'so-gd', '--file', 'report=drill.pdf', '--lang', 'en'], 'officer.so-y-te');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^chithi: Account so-y-te\/officer\.so-y-te \(roles: unit officer\) may not submit evidence for unit so-gd\./);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await h.db.pool.query('SELECT 1 FROM submissions')).rowCount).toBe(0);
    // Its own unit: allowed, and recorded as the signed-in account.
    const own = await h.cli(['submit', '--directive', D, '--obligation', 'drill', '--unit', 'so-y-te', '--file', 'report=drill.pdf'], 'officer.so-y-te');
    expect(own.code, own.stderr).toBe(0);
    expect((await h.db.pool.query<{ submitted_by: string }>('SELECT submitted_by FROM submissions')).rows.map((r) => r.submitted_by)).toEqual(['so-y-te/officer.so-y-te']);
  });

  it('an unauthenticated call is refused and says how to sign in', async () => {
    const r = await h.cli(['status', D, '--lang', 'en'], 'nobody');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Not signed in: run `chithi login` or set CHITHI_TOKEN/);
  });

  it('chithi audit verify exits 0, then non-zero naming the row a superuser altered', async () => {
    await h.until('audit lines', () => h.db.pool.query('SELECT 1 FROM audit WHERE hash IS NOT NULL'), (q) => (q.rowCount ?? 0) >= 6);
    const ok = await h.cli(['audit', 'verify', '--lang', 'en']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/verified/);
    const victim = (await h.db.pool.query<{ id: string; seq: string; idempotency_key: string }>('SELECT id, seq, idempotency_key FROM audit WHERE hash IS NOT NULL ORDER BY id LIMIT 1 OFFSET 3')).rows[0]!;
    // As the tables' owner, the append-only trigger set aside: what only an owner or superuser can do.
    const c = await h.db.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('ALTER TABLE audit DISABLE TRIGGER USER');
      await c.query(`UPDATE audit SET actor = 'someone-else' WHERE id = $1`, [victim.id]);
      await c.query('ALTER TABLE audit ENABLE TRIGGER USER');
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    const bad = await h.cli(['audit', 'verify', '--lang', 'en']);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toContain(victim.idempotency_key);
  });
});
