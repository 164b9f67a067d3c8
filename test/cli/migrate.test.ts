/** `chithi migrate`: the operator's command that brings a database to the current schema, once. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../client/cli.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase({ migrate: false });
});
afterAll(async () => {
  await db?.drop();
});

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const env = { DATABASE_URL: db.url, ...(db.embedded ? { DATABASE_POOL_MAX: '1' } : {}) };
  const code = await main(argv, { env, lang: 'en', stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

it('applies every pending migration, then finds nothing to do', async () => {
  const first = await run(['migrate']);
  expect(first.err).toBe('');
  expect(first.code).toBe(0);
  expect(first.out).toMatch(/^Applied \d+ migration\(s\):\n {2}001_init\.sql\n/);
  expect((await db.pool.query("SELECT to_regclass('accounts')::text AS t")).rows[0].t).toBe('accounts');
  const again = await run(['migrate']);
  expect(again).toMatchObject({ code: 0, out: 'The database is up to date: no migration to apply.\n' });
});

it('says in --help that it is an operator command on the database', async () => {
  const r = await run(['migrate', '--help']);
  expect(r.out).toContain('Operator command: writes the database directly');
});
