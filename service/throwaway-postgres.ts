/**
 * A throwaway PostgreSQL for rehearsals (service/rehearse.ts) and benchmarks: a real server from
 * the machine's binaries when there are any (initdb into a temp dir, trust auth on 127.0.0.1, no
 * fsync: nothing in it outlives the run), else the embedded PGlite server, which takes one
 * connection at a time and makes activity-heavy runs several times slower.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { setting } from '../common/config.js';
import { freePort } from './local-temporal.js';
import { EMBEDDED_POOL_OPTIONS, startEmbeddedPostgres } from '../scripts/embedded-postgres.js';

export interface BenchPostgres {
  pool: pg.Pool;
  /** Its address, for another process (a worker) or server (a Temporal cluster's databases); a superuser. */
  url: string;
  kind: 'postgres' | 'embedded';
  stop(): Promise<void>;
}

function binDir(): string | undefined {
  for (const dir of [setting(process.env, 'PG_BINDIR'), '/usr/local/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin']) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
  }
  return undefined;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const bin = setting(process.env, 'BENCH_EMBEDDED_PG') ? undefined : binDir();
  if (bin) {
    try {
      return await startReal(bin);
    } catch {
      // fall through to the embedded server
    }
  }
  const db = await startEmbeddedPostgres();
  const pool = new pg.Pool({ connectionString: db.url, ...EMBEDDED_POOL_OPTIONS });
  pool.on('error', () => undefined);
  return { pool, url: db.url, kind: 'embedded', stop: async () => void (await pool.end().catch(() => undefined), await db.stop()) };
}

async function startReal(bin: string): Promise<BenchPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'chithi-bench-pg-'));
  // PostgreSQL refuses to run as root: run it as the `postgres` system user then.
  const asRoot = userInfo().uid === 0;
  const wrap = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  else chownSync(dir, userInfo().uid, userInfo().gid);
  const data = join(dir, 'data');
  const [c, a] = wrap(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  execFileSync(c, a, { stdio: 'ignore' });
  const port = await freePort();
  const [pc, pa] = wrap(join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
  ]);
  const child = spawn(pc, pa, { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  pool.on('error', () => undefined);
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await pool.query('SELECT 1');
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        await pool.end().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    pool,
    url,
    kind: 'postgres',
    async stop() {
      await pool.end().catch(() => undefined);
      // As root the child is `runuser`, which does not pass SIGINT on: the server waited the 10 s
      // below for its SIGKILL, which then left PostgreSQL running without its folder (seen in every
      // rehearsal: 10 s of its 35). Signal the server itself, by the pid it writes.
      const server = postmasterPid(data);
      const kill = (signal: NodeJS.Signals) => {
        child.kill(signal);
        if (server !== undefined) {
          try {
            process.kill(server, signal);
          } catch {
            // gone already
          }
        }
      };
      kill('SIGINT');
      const t = setTimeout(() => kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The server's pid, the first line of postmaster.pid in its data folder. */
function postmasterPid(data: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
