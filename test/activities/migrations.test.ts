import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../activities/db/migrate.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  it('apply once, record themselves, and are idempotent', async () => {
    const first = await migrate(db.pool);
    expect(first.applied).toContain('001_init.sql');
    const second = await migrate(db.pool);
    expect(second.applied).toEqual([]);
    const { rows } = await db.pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(first.applied);
  });

  it('concurrent starters do not race', async () => {
    const results = await Promise.all([migrate(db.pool), migrate(db.pool), migrate(db.pool)]);
    expect(results.flatMap((r) => r.applied)).toEqual([]);
  });

  it('creates the tables the runtime needs', async () => {
    const { rows } = await db.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['audit', 'deployments', 'events', 'evidence', 'extensions', 'inbox', 'instances', 'outbox', 'reviews', 'schema_migrations', 'submissions']),
    );
  });
});
