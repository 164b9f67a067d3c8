import pg from 'pg';
import { databaseSettings } from '../../common/config.js';

export interface PoolSettings {
  /** Connections in this process's pool; 1 for the embedded PGlite server (it serves one at a time). */
  max?: number;
  idleTimeoutMillis?: number;
}

/**
 * A pg pool for `url`. `DATABASE_POOL_MAX` overrides the size, so a process pointed at the
 * embedded server (scripts/embedded-postgres.ts) can be told `DATABASE_POOL_MAX=1` from outside.
 */
export function createPool(url: string, settings: PoolSettings = {}): pg.Pool {
  const max = settings.max ?? databaseSettings(process.env).poolMax ?? 10;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // A single-connection server must get the connection back soon for the next process.
    idleTimeoutMillis: settings.idleTimeoutMillis ?? (max === 1 ? 1_000 : 10_000),
    // With one connection (the embedded server) a constantly busy process would never give it
    // back; recycling it now and then lets other processes waiting at the server take a turn.
    ...(max === 1 && { maxUses: 200 }),
    application_name: 'chithi',
  });
  // An idle client's socket error (server restart) must not crash the process; the next
  // checkout reconnects.
  pool.on('error', () => undefined);
  return pool;
}
