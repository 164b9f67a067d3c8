import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../activities/db/migrate.js';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.js';

describe('embedded PostgreSQL (PGlite over pglite-socket)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chithi-pglite-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves several pools ("processes") at once: transactions and parameterised queries do not interleave', async () => {
    const server = await startEmbeddedPostgres();
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: server.url, ...server.poolOptions, idleTimeoutMillis: 20 }));
    try {
      await pools[0]!.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
      const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
      const results = await Promise.allSettled([
        ...Array.from({ length: 12 }, async (_, i) => {
          const c = await pools[i % 3]!.connect();
          try {
            await c.query('BEGIN');
            await c.query('INSERT INTO t VALUES ($1, $2)', [i, 'tạm']);
            await sleep(3);
            if (i % 4 === 0) {
              await c.query('SELECT 1/0').catch(() => undefined);
              await c.query('ROLLBACK');
              return;
            }
            await c.query('UPDATE t SET v = $2 WHERE id = $1', [i, 'xong']);
            await c.query('COMMIT');
          } finally {
            c.release();
          }
        }),
        ...Array.from({ length: 90 }, async (_, i) => {
          const { rows } = await pools[i % 3]!.query<{ a: number; b: string }>('SELECT $1::int AS a, $2::text AS b', [i, `giá trị ${i}`]);
          expect(rows[0]).toEqual({ a: i, b: `giá trị ${i}` });
        }),
      ]);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const { rows } = await pools[1]!.query<{ v: string; n: number }>('SELECT v, count(*)::int AS n FROM t GROUP BY v');
      expect(rows).toEqual([{ v: 'xong', n: 9 }]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await server.stop();
    }
  });

  it('persists under dataDir across restarts', async () => {
    const dataDir = join(dir, 'pg');
    const first = await startEmbeddedPostgres({ dataDir });
    const p1 = new pg.Pool({ connectionString: first.url, ...first.poolOptions });
    await migrate(p1);
    await p1.query(`INSERT INTO events (id, directive_id, type, reported_by, occurred_at) VALUES ('ev', 'd', 't', 'u', now())`);
    await p1.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir });
    const p2 = new pg.Pool({ connectionString: second.url, ...second.poolOptions });
    try {
      expect((await migrate(p2)).applied).toEqual([]);
      expect((await p2.query('SELECT id FROM events')).rows).toEqual([{ id: 'ev' }]);
    } finally {
      await p2.end();
      await second.stop();
    }
  });
});
