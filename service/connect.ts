import { Client, Connection } from '@temporalio/client';
import type { ConnectionOptions } from '@temporalio/client';
import pg from 'pg';
import { clientConnectionOptions } from '../common/config.js';
import { explainCallFailure, explainConnectFailure } from '../common/temporal-errors.js';
import { UserError } from '../common/errors.js';
import { ENV_FILE, loadConfig, type ChithiConfig as RuntimeConfig } from '../common/config.js';

/** An open session with the runtime; `close()` releases sockets so the CLI process can exit. */
export interface Runtime {
  client: Client;
  pool: pg.Pool;
  config: RuntimeConfig;
  /** Where workflows are started: the queue the worker of the same environment polls. */
  taskQueue: string;
  close(): Promise<void>;
}

/** The client's options: built by common/config.ts from the same values as the worker's. */
export function connectionOptions(config: RuntimeConfig): ConnectionOptions {
  return clientConnectionOptions(config.temporal);
}

export async function connectTemporal(config: RuntimeConfig): Promise<Client> {
  // A certificate file that cannot be read is named here, before any network call.
  const options = connectionOptions(config);
  let connection: Connection;
  try {
    connection = await Connection.connect(options);
  } catch (err) {
    // The SDK says little more than "failed to connect": find out whether nothing listens, a
    // certificate was refused or the API key was, and keep the SDK's error as the cause.
    throw await explainConnectFailure(config.temporal, err);
  }
  return new Client({ connection, namespace: config.temporal.namespace });
}

export async function connectDatabase(config: RuntimeConfig): Promise<pg.Pool> {
  const url = config.database.url;
  if (!url) {
    throw new UserError({
      vi: 'Chưa có DATABASE_URL. Hãy khởi động hệ thống bằng npm start (nó tự tạo PostgreSQL nhúng) hoặc đặt DATABASE_URL.',
      en: 'DATABASE_URL is not set. Start the system with npm start (it runs an embedded PostgreSQL) or set DATABASE_URL.',
    });
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: config.database.poolMax ?? 10,
    connectionTimeoutMillis: 5000,
    // A CLI command lives seconds: keep its connection for the whole command rather than
    // reconnecting, which the single-connection embedded server may refuse in between.
    idleTimeoutMillis: 30_000,
  });
  // Without a listener an idle-client error (server restarted) would crash the process.
  pool.on('error', () => undefined);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const c = await pool.connect();
      c.release();
      break;
    } catch (err) {
      // The embedded server hangs up on a second connection while the worker holds its only
      // one; the worker's pool lets go between bursts, so polling briefly gets in.
      const busy = /too many connections|connection terminated|ECONNRESET/i.test(err instanceof Error ? err.message : String(err));
      if (busy && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10 + Math.random() * 30));
        continue;
      }
      await pool.end().catch(() => undefined);
      const why = err instanceof Error ? err.message : String(err);
      // Only a server that is not there is fixed by npm start; a refused password is not.
      const down = (err as { code?: string }).code === 'ECONNREFUSED';
      throw new UserError(
        {
          vi: `Không kết nối được PostgreSQL (${redact(url)}): ${why}.${down ? ' Hãy khởi động hệ thống bằng: npm start' : ''}`,
          en: `Cannot reach PostgreSQL (${redact(url)}): ${why}.${down ? ' Start the system with: npm start' : ''}`,
        },
        1,
        { cause: err },
      );
    }
  }
  return pool;
}

/** Passwords never reach the terminal. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

export async function connect(env: Record<string, string | undefined> = process.env): Promise<Runtime> {
  const config = loadConfig(env, { envFile: ENV_FILE });
  const pool = await connectDatabase(config);
  let client: Client;
  try {
    client = await connectTemporal(config);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return {
    client,
    pool,
    config,
    taskQueue: config.temporal.taskQueue,
    async close() {
      await Promise.allSettled([client.connection.close(), pool.end()]);
    },
  };
}

/** Runs `fn` with a runtime and always closes it: a CLI command that forgot would hang the shell. */
export async function withRuntime<T>(env: Record<string, string | undefined>, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await connect(env);
  try {
    return await fn(rt);
  } catch (err) {
    // A call refused for its credentials (a key that connects but is not allowed) or a server
    // that went away says so, rather than surfacing as an internal error with a gRPC stack.
    throw explainCallFailure(rt.config.temporal, err) ?? err;
  } finally {
    await rt.close();
  }
}

/** Reads need only PostgreSQL: `chithi status` works even while Temporal is down. */
export async function withDatabase<T>(env: Record<string, string | undefined>, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = await connectDatabase(loadConfig(env, { envFile: ENV_FILE }));
  try {
    return await fn(pool);
  } finally {
    await pool.end().catch(() => undefined);
  }
}
