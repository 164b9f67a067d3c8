import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../../common/root.js';
import pg from 'pg';
import { MigrationError } from '../errors.js';

const MIGRATIONS_DIR = join(ROOT, 'activities', 'db', 'migrations') + '/';
// Arbitrary constant shared by every chithi process: worker, CLI and tests may all start at
// once against an empty database, and only one of them may create the tables.
const LOCK_KEY = 0x63686974; // "chit"

export interface MigrationResult {
  applied: string[];
}

/**
 * Applies the numbered SQL files in activities/db/migrations that are not yet recorded in
 * `schema_migrations`, in order, each in its own transaction. Safe to call from every process
 * at start-up. Uses a single connection, so it also works with a pool of one (embedded PGlite).
 */
export async function migrate(pool: pg.Pool, dir: string = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      // The application role (chithi_app, migration 007) may not create anything, IF NOT EXISTS
      // included: it only reads which migrations ran, and finds none pending once the owner has run them.
      const table = await client.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
      if (table.rows[0]?.t == null) {
        await client.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
        );
      }
      const done = new Set(
        (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
      );
      for (const file of files) {
        if (done.has(file)) continue;
        const sql = await readFile(`${dir}/${file}`, 'utf8');
        try {
          await client.query('BEGIN');
          // The embedded server is one backend for every connection, so the advisory lock is
          // re-entrant there; re-checking inside the transaction keeps that case safe too.
          const again = await client.query('SELECT 1 FROM schema_migrations WHERE name = $1', [file]);
          if (again.rowCount) {
            await client.query('ROLLBACK');
            continue;
          }
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          // 42501: the role migrating is not the tables' owner (DATABASE_URL is the application's).
          const denied = (err as { code?: string }).code === '42501';
          throw new MigrationError(file, err instanceof Error ? err.message : String(err), {
            cause: err,
            ...(denied && {
              hint: {
                vi: 'migration phải chạy bằng vai trò sở hữu các bảng: đặt DATABASE_OWNER_URL',
                en: "migrations must run as the tables' owner: set DATABASE_OWNER_URL",
              },
            }),
          });
        }
        applied.push(file);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  return { applied };
}

/**
 * Migrations as the tables' owner (DATABASE_OWNER_URL) when it is another login than the
 * application's `pool` (DATABASE_URL): a connection of its own, closed afterwards, so the
 * process keeps no owner connection while it runs. Without it, as before: the application's pool.
 */
export async function migrateAsOwner(pool: pg.Pool, ownerUrl?: string): Promise<MigrationResult> {
  if (ownerUrl === undefined) return migrate(pool);
  const owner = new pg.Pool({ connectionString: ownerUrl, max: 1, application_name: 'chithi-migrate' });
  owner.on('error', () => undefined);
  try {
    return await migrate(owner);
  } finally {
    await owner.end();
  }
}
