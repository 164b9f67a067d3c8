import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../activities/db/migrate.js';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.js';

export interface TestDatabase {
  pool: pg.Pool;
  /** Connection URL of the fresh database (for code that builds its own pool or a subprocess). */
  url: string;
  /** True on the embedded PGlite fallback: pools must have `max: 1` (see scripts/embedded-postgres.ts). */
  embedded: boolean;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file. With `TEST_DATABASE_URL` (an admin URL of a real
 * PostgreSQL, as .ci/run sets) it creates `chithi_test_<random>` and drops it afterwards;
 * without it, an in-memory embedded PGlite server, so a newcomer needs no PostgreSQL at all.
 *
 *   const db = await freshDatabase();  afterAll(() => db.drop());
 */
export async function freshDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const admin = process.env.TEST_DATABASE_URL;
  const db = admin ? await onServer(admin) : await embedded();
  if (opts.migrate ?? true) await migrate(db.pool);
  return db;
}

async function onServer(adminUrl: string): Promise<TestDatabase> {
  const name = `chithi_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Identifiers cannot be parameters; `name` is generated above from hex digits only.
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  pool.on('error', () => undefined);
  let dropped = false;
  return {
    pool,
    url,
    embedded: false,
    async drop() {
      if (dropped) return;
      dropped = true;
      await pool.end();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await dropDatabase(c, name);
      } finally {
        await c.end();
      }
    },
  };
}

async function embedded(): Promise<TestDatabase> {
  const server = await startEmbeddedPostgres();
  const pool = new pg.Pool({ connectionString: server.url, ...server.poolOptions });
  pool.on('error', () => undefined);
  let dropped = false;
  return {
    pool,
    url: server.url,
    embedded: true,
    async drop() {
      if (dropped) return;
      dropped = true;
      await pool.end();
      await server.stop();
    },
  };
}

/**
 * Drops a test database. Plain DROP DATABASE first: it stops an autovacuum worker busy in the
 * database by itself, where WITH (FORCE) refuses to ("must be a member of the role whose process is
 * being terminated": an autovacuum worker belongs to no role we are a member of; seen in CI once
 * the schema grew). FORCE only when a session of ours is still connected (a pool not yet closed);
 * the refusal about a worker is retried, as the worker finishes within moments.
 */
async function dropDatabase(c: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '55006') {
        // "is being accessed by other users": a connection of the test's own left open.
        try {
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          return;
        } catch (forced) {
          if ((forced as { code?: string }).code !== '42501' || attempt >= 20) throw forced;
        }
      } else if (code !== '42501' || attempt >= 20) {
        throw err;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
