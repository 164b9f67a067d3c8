/**
 * Embedded PostgreSQL for machines without a server: PGlite (PostgreSQL compiled to WASM, in this
 * process) served over the wire protocol by pglite-socket, so every other process and library
 * still talks to it with `pg` and a connection URL.
 *
 * What pglite-socket 0.2.17 allows (read its source, then measured with `pg`):
 * - PGlite is a single backend. PGLiteSocketServer serves `maxConnections` sockets (default 1)
 *   by queueing their protocol messages onto that backend. With more than one, concurrent
 *   parameterised queries next to explicit transactions fail ("portal \"\" does not exist",
 *   empty results): messages of different sockets interleave. So it is run with one connection.
 * - A socket beyond `maxConnections` gets the text "Too many connections" and is closed, which
 *   `pg` reports as a broken connection. So that several processes (worker, CLI, tests) can still
 *   share the server, a small proxy in front accepts any number of sockets and connects them to
 *   PGlite one at a time, in arrival order; the others wait (their startup message stays buffered).
 * - Consequently every client uses a pool of ONE connection that it gives back when idle
 *   (`EMBEDDED_POOL_OPTIONS`), never runs a query on a second connection while holding a
 *   transaction open (it would wait for itself), and uses no named prepared statements or
 *   session settings (all sessions are the same backend).
 * - One database: the database name in the URL is ignored; isolate tests with separate servers.
 */
import { mkdir } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** Pool settings every client of this server must use (see the file comment). */
  poolOptions: { max: 1; idleTimeoutMillis: number; maxUses: number };
  /** Sockets waiting for their turn (diagnostics). */
  waiting(): number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder the database persists in; omit for an in-memory database (tests). */
  dataDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}

/** Pool settings for a server started here; exported for processes that only have the URL. */
// maxUses: a busy process (a worker deploying hundreds of instances) is never idle for a second,
// so its connection is also recycled after this many queries to let waiting processes in.
export const EMBEDDED_POOL_OPTIONS = { max: 1, idleTimeoutMillis: 1_000, maxUses: 200 } as const;

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const db = await PGlite.create(opts.dataDir ?? 'memory://');
  const host = opts.host ?? '127.0.0.1';
  const inner = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await inner.start();
  const innerPort = Number(inner.getServerConn().split(':').pop());
  // Waiting for the PGlite server to drop the previous socket avoids its "Too many connections".
  const proxy = oneAtATimeProxy(innerPort, () => inner.getStats().activeConnections === 0);
  await new Promise<void>((resolve, reject) => {
    proxy.server.once('error', reject);
    proxy.server.listen(opts.port ?? 0, host, () => resolve());
  });
  const address = proxy.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let stopped = false;
  return {
    url: `postgresql://postgres@${host}:${port}/postgres`,
    port,
    poolOptions: { ...EMBEDDED_POOL_OPTIONS },
    waiting: () => proxy.waiting(),
    async stop() {
      if (stopped) return;
      stopped = true;
      proxy.closeAll();
      await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
      await inner.stop();
      await db.close();
    },
  };
}

/** Accepts any number of client sockets and pipes one at a time to the PGlite server. */
function oneAtATimeProxy(innerPort: number, innerIdle: () => boolean): { server: Server; waiting(): number; closeAll(): void } {
  const queue: Socket[] = [];
  const open = new Set<Socket>();
  let busy = false;
  const pump = (): void => {
    if (busy) return;
    const client = queue.shift();
    if (!client) return;
    if (client.destroyed) return pump();
    busy = true;
    if (!innerIdle()) {
      queue.unshift(client);
      setTimeout(() => {
        busy = false;
        pump();
      }, 2);
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: innerPort });
    open.add(upstream);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      client.destroy();
      upstream.destroy();
      open.delete(upstream);
      busy = false;
      pump();
    };
    upstream.on('error', finish).on('close', finish);
    client.on('error', finish).on('close', finish);
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => {
      open.delete(client);
      const i = queue.indexOf(client);
      if (i >= 0) queue.splice(i, 1);
    });
    client.on('error', () => undefined);
    queue.push(client);
    pump();
  });
  return {
    server,
    waiting: () => queue.length,
    closeAll: () => {
      for (const s of open) s.destroy();
    },
  };
}

// `tsx scripts/embedded-postgres.ts [dataDir] [port]`: run a server in the foreground.
if (import.meta.url === `file://${process.argv[1]}`) {
  const pg = await startEmbeddedPostgres({ dataDir: process.argv[2] ?? '.data/pglite', port: Number(process.argv[3] ?? 5433) });
  console.log(pg.url);
  const stop = (): void => void pg.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
