import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestDeployment, withDeployLock } from '../../activities/store/index.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

/** The deploy lock (issue 8, item 7), on PostgreSQL or the embedded PGlite server (a pool of one). */
describe('withDeployLock', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('runs one holder of a directive at a time; the holder queries on its own connection', async () => {
    const order: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const first = withDeployLock(db.pool, 'd-1', async (c) => {
      order.push('first');
      // On the held connection: with a pool of one, a query on the pool would wait for itself.
      expect(await getLatestDeployment(c, 'd-1')).toBeUndefined();
      await gate;
      order.push('first done');
    });
    while (order.length === 0) await tick(10);
    const second = withDeployLock(db.pool, 'd-1', async () => {
      order.push('second');
    });
    await tick(300);
    expect(order).toEqual(['first']);
    open();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'first done', 'second']);
  });

  it('is released when the holder fails', async () => {
    await expect(withDeployLock(db.pool, 'd-2', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(withDeployLock(db.pool, 'd-2', async (c) => (await c.query<{ n: number }>('SELECT 1 AS n')).rows[0]!.n)).resolves.toBe(1);
  });

  it('does not hold back another directive (PostgreSQL; the embedded server has one connection for all)', async (ctx) => {
    if (db.embedded) ctx.skip();
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const held = withDeployLock(db.pool, 'd-3', () => gate);
    await expect(withDeployLock(db.pool, 'd-4', async () => 'other')).resolves.toBe('other');
    open();
    await held;
  });
});
