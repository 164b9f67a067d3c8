/**
 * Một cụm Temporal giống môi trường sản xuất trên máy này, dựng từ chính mô-đun Go của Temporal:
 * máy chủ và temporal-sql-tool cài vào `.tools/`, lược đồ trong PostgreSQL của máy, bốn dịch vụ
 * (frontend, history, matching, worker) là bốn tiến trình riêng, visibility bằng SQL.
 * A production-shaped Temporal cluster on this machine, built from Temporal's own Go module: the
 * server and temporal-sql-tool installed into the git-ignored `.tools/` (like the wheels of
 * scripts/setup.mjs), the schemas in the machine's PostgreSQL, the four services (frontend,
 * history, matching, worker) as four processes, SQL visibility, chithi's search attributes
 * registered. Used by `npm run cluster` (scripts/cluster.ts), the fault tests (test/cluster/) and
 * any benchmark that wants the real server rather than the dev server: startCluster() is the one
 * entry, stopService()/startService() restart one service.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import pg from 'pg';
import { parse, stringify } from 'yaml';
import { clientConnectionOptions, ROOT, type ClusterSettings } from '../common/config.js';
import { registerChithiSearchAttributes } from '../service/search-attributes.js';
import { instanceAttributes } from '../workflows/search-attributes.js';

export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
/** The server's go.mod asks for a newer Go than the machine's; the module proxy serves this one. */
export const GO_TOOLCHAIN = 'go1.27.3';
const MODULE = 'go.temporal.io/server';

export const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ClusterBinaries {
  server: string;
  sqlTool: string;
  /** The module's folder in the Go module cache: schemas and config templates. */
  moduleDir: string;
}

type Log = (line: string) => void;

/**
 * `go install` the server and the SQL tool once (about 2.5 minutes, 160 MB); later calls find them
 * and return at once, as `npm run setup` does for the wheels.
 */
export function ensureClusterBinaries(log: Log = (l) => console.error(l)): ClusterBinaries {
  const dir = join(ROOT, '.tools', 'temporal-server', TEMPORAL_SERVER_VERSION);
  const bin = join(dir, 'bin');
  const stamp = join(dir, 'installed.json');
  const server = join(bin, 'server');
  const sqlTool = join(bin, 'sql');
  if (existsSync(stamp) && existsSync(server) && existsSync(sqlTool)) {
    const saved = JSON.parse(readFileSync(stamp, 'utf8')) as ClusterBinaries;
    if (existsSync(saved.moduleDir)) return saved;
  }
  mkdirSync(bin, { recursive: true });
  const env = { ...process.env, GOTOOLCHAIN: GO_TOOLCHAIN, GOBIN: bin, GOFLAGS: '-mod=mod' };
  log(`chithi cluster: go install ${MODULE}/cmd/server and cmd/tools/sql@${TEMPORAL_SERVER_VERSION} into .tools/ (a few minutes, once) …`);
  try {
    execFileSync('go', ['install', `${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch (err) {
    throw new Error(`go install of the Temporal server failed (needs Go and the Go module proxy; GOTOOLCHAIN=${GO_TOOLCHAIN}): ${(err as Error).message}`, { cause: err });
  }
  const cache = execFileSync('go', ['env', 'GOMODCACHE'], { env, encoding: 'utf8' }).trim();
  const moduleDir = join(cache, `${MODULE}@${TEMPORAL_SERVER_VERSION}`);
  if (!existsSync(join(moduleDir, 'schema', 'postgresql', 'v12'))) throw new Error(`the module's schemas are not at ${moduleDir}`);
  const out: ClusterBinaries = { server, sqlTool, moduleDir };
  writeFileSync(stamp, JSON.stringify(out, null, 2) + '\n');
  return out;
}

/** Every port a cluster on `base` takes (CHITHI_CLUSTER_PORT's description says the same). */
export interface ClusterPorts {
  grpc: Record<ServiceName, number>;
  membership: Record<ServiceName, number>;
  metrics: Record<ServiceName, number>;
  http: number;
}

export function clusterPorts(base: number): ClusterPorts {
  const each = (offset: number) => Object.fromEntries(SERVICES.map((s, i) => [s, base + offset + i])) as Record<ServiceName, number>;
  return { grpc: each(0), membership: each(-300), metrics: each(20), http: base + 10 };
}

interface PgTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

function pgTarget(url: string): PgTarget {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || 5432), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * Creates the two databases if missing, then brings their schemas to the module's version:
 * `setup-schema -v 0.0` (the version tables, once) and `update-schema -d …/versioned`, which applies
 * only what is newer, so running it again, or after an upgrade of the server, is safe.
 */
export async function prepareDatabases(bin: ClusterBinaries, db: ClusterSettings, log: Log = () => undefined): Promise<void> {
  const admin = new pg.Client({ connectionString: db.dbUrl });
  await admin.connect();
  try {
    for (const name of [db.dbName, db.visibilityDbName]) {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      // Identifiers cannot be parameters; clusterSettings() allows [a-z0-9_] only.
      if (!rowCount) {
        await admin.query(`CREATE DATABASE ${name}`);
        log(`chithi cluster: created database ${name}`);
      }
    }
  } finally {
    await admin.end();
  }
  const t = pgTarget(db.dbUrl);
  for (const [name, kind] of [
    [db.dbName, 'temporal'],
    [db.visibilityDbName, 'visibility'],
  ] as const) {
    const c = new pg.Client({ connectionString: withDatabase(db.dbUrl, name) });
    await c.connect();
    let fresh: boolean;
    try {
      fresh = !(await c.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version'")).rowCount;
    } finally {
      await c.end();
    }
    // The password goes through the environment, not the command line (`ps` shows that).
    const base = ['--plugin', 'postgres12', '--ep', t.host, '--port', String(t.port), '--user', t.user, '--db', name];
    const env = { ...process.env, SQL_PASSWORD: t.password };
    if (fresh) execFileSync(bin.sqlTool, [...base, 'setup-schema', '-v', '0.0'], { env, stdio: 'pipe' });
    execFileSync(bin.sqlTool, [...base, 'update-schema', '-d', join(bin.moduleDir, 'schema', 'postgresql', 'v12', kind, 'versioned')], { env, stdio: 'pipe' });
    log(`chithi cluster: schema of ${name} up to date`);
  }
}

export interface ClusterFiles {
  dir: string;
  /** One config file per service: they differ in the Prometheus port only. */
  configs: Record<ServiceName, string>;
  logs: Record<ServiceName, string>;
  pidFile: string;
}

/**
 * The module's config/development-postgres12.yaml, adjusted: this machine's PostgreSQL and
 * databases, the ports of `base`, a Prometheus port per service (one per process, so they cannot
 * share the template's), no pprof (the same port in four processes), archival off, warnings only
 * in the logs, and a dynamic config of our own.
 */
export function writeClusterConfig(bin: ClusterBinaries, db: ClusterSettings, dir: string): ClusterFiles {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const ports = clusterPorts(db.port);
  const template = parse(readFileSync(join(bin.moduleDir, 'config', 'development-postgres12.yaml'), 'utf8')) as Record<string, unknown>;
  const t = pgTarget(db.dbUrl);
  const store = (database: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${t.host}:${t.port}`,
      connectProtocol: 'tcp',
      user: t.user,
      password: t.password,
      // Four processes share the machine's max_connections (100 by default) with chithi and the tests.
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const dynamicConfig = join(dir, 'dynamicconfig.yaml');
  writeFileSync(
    dynamicConfig,
    stringify({
      'limit.maxIDLength': [{ value: 255, constraints: {} }],
      // A search attribute registered a moment ago is usable at once (the cache would take a minute).
      'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true, constraints: {} }],
    }),
  );
  const configs = {} as Record<ServiceName, string>;
  const logs = {} as Record<ServiceName, string>;
  for (const service of SERVICES) {
    const config = {
      ...template,
      log: { stdout: true, level: 'warn' },
      persistence: {
        defaultStore: 'postgres-default',
        visibilityStore: 'postgres-visibility',
        // Fixed for the life of the cluster: a production cluster chooses more (docs/operations.md).
        numHistoryShards: 4,
        datastores: { 'postgres-default': store(db.dbName, 10), 'postgres-visibility': store(db.visibilityDbName, 2) },
      },
      global: {
        membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
        metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports.metrics[service]}` } },
      },
      services: Object.fromEntries(
        SERVICES.map((s) => [
          s,
          { rpc: { grpcPort: ports.grpc[s], membershipPort: ports.membership[s], bindOnLocalHost: true, ...(s === 'frontend' ? { httpPort: ports.http } : {}) } },
        ]),
      ),
      clusterMetadata: {
        ...(template.clusterMetadata as Record<string, unknown>),
        clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.grpc.frontend}` } },
      },
      archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
      namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
      dynamicConfigClient: { filepath: dynamicConfig, pollInterval: '10s' },
    };
    configs[service] = join(dir, `${service}.yaml`);
    logs[service] = join(dir, 'logs', `${service}.log`);
    writeFileSync(configs[service], stringify(config), { mode: 0o600 });
  }
  return { dir, configs, logs, pidFile: join(dir, 'pids.json') };
}

/** A service process: its own process group, its output appended to its log file. */
export function spawnService(bin: ClusterBinaries, files: ClusterFiles, service: ServiceName, opts: { detach?: boolean } = {}): ChildProcess {
  const fd = openSync(files.logs[service], 'a');
  try {
    const child = spawn(bin.server, ['--config-file', files.configs[service], '--allow-no-auth', 'start', '--service', service], {
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    if (opts.detach) child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

/** Whether a process (group leader) still runs. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals a service's process group and waits for it to go; SIGKILL after `graceMs`. */
export async function stopPid(pid: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
  const send = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // already gone
    }
  };
  send(signal);
  const until = Date.now() + graceMs;
  while (alive(pid)) {
    if (Date.now() > until) send('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until the frontend answers and, through it, history and matching: a probe workflow with
 * chithi's search attributes is started and terminated (nothing polls its queue), which needs every
 * service but the worker and the attributes registered.
 */
export async function waitUntilServing(address: string, namespace: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect(clientConnectionOptions({ address, namespace, taskQueue: 'chithi-cluster-probe' }, '2s'));
      const client = new Client({ connection, namespace });
      const handle = await client.workflow.start('chithiClusterProbe', {
        taskQueue: 'chithi-cluster-probe',
        workflowId: `chithi-cluster-probe-${Date.now()}`,
        typedSearchAttributes: instanceAttributes('probe', 'probe', 'probe'),
      });
      await handle.terminate('probe');
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
  throw new Error(`the Temporal cluster at ${address} did not serve namespace ${namespace} within ${timeoutMs / 1000} s: ${last instanceof Error ? last.message : String(last)}`);
}

/** Registers the namespace (retention 7 days) unless it exists; returns whether it was created. */
export async function ensureNamespace(address: string, namespace: string, timeoutMs = 90_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect(clientConnectionOptions({ address, namespace, taskQueue: 'chithi-cluster-probe' }, '2s'));
      try {
        await connection.workflowService.describeNamespace({ namespace });
        await registerChithiSearchAttributes(connection, namespace);
        return false;
      } catch (err) {
        if ((err as { code?: number }).code !== 5) throw err; // 5: NOT_FOUND
      }
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('7 days') });
      await registerChithiSearchAttributes(connection, namespace);
      return true;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
}

export interface ClusterOptions {
  settings: ClusterSettings;
  /** Config, logs and the pid file. */
  dir: string;
  namespace?: string;
  /** Children outlive this process (`npm run cluster`); otherwise they are this process's. */
  detach?: boolean;
  log?: Log;
}

export interface TemporalCluster {
  address: string;
  namespace: string;
  files: ClusterFiles;
  pids(): Record<ServiceName, number>;
  /** SIGTERM (or the given signal) to one service, waiting for it to exit. */
  stopService(service: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  startService(service: ServiceName): void;
  /** All four, worker first and frontend last. */
  stop(): Promise<void>;
}

/** Binaries, databases, config, the four services, the namespace and search attributes, ready. */
export async function startCluster(opts: ClusterOptions): Promise<TemporalCluster> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const namespace = opts.namespace ?? 'default';
  const bin = ensureClusterBinaries(log);
  await prepareDatabases(bin, opts.settings, log);
  const files = writeClusterConfig(bin, opts.settings, opts.dir);
  const children = new Map<ServiceName, ChildProcess>();
  const savePids = () => writeFileSync(files.pidFile, JSON.stringify(Object.fromEntries([...children].map(([s, c]) => [s, c.pid])), null, 2) + '\n');
  const start = (service: ServiceName) => {
    children.set(service, spawnService(bin, files, service, { detach: opts.detach ?? false }));
    savePids();
  };
  const orphanGuard = () => {
    for (const c of children.values()) if (c.pid && alive(c.pid)) process.kill(-c.pid, 'SIGKILL');
  };
  if (!opts.detach) process.once('exit', orphanGuard);
  const ports = clusterPorts(opts.settings.port);
  const address = `127.0.0.1:${ports.grpc.frontend}`;
  const cluster: TemporalCluster = {
    address,
    namespace,
    files,
    pids: () => Object.fromEntries([...children].map(([s, c]) => [s, c.pid ?? 0])) as Record<ServiceName, number>,
    async stopService(service, signal = 'SIGTERM') {
      const pid = children.get(service)?.pid;
      if (pid) await stopPid(pid, signal);
    },
    startService: start,
    async stop() {
      for (const s of ['worker', 'matching', 'history', 'frontend'] as const) await cluster.stopService(s);
      process.off('exit', orphanGuard);
    },
  };
  try {
    // One at a time, each once its gRPC port listens: started together on a fresh database they
    // race to write the cluster's metadata and the losers exit. History first (the others find it
    // through the membership ring), the worker service last (it is a client of the frontend).
    for (const s of ['history', 'matching', 'frontend', 'worker'] as const) {
      start(s);
      await waitForPort(ports.grpc[s], children.get(s)!, s);
    }
    await ensureNamespace(address, namespace);
    await waitUntilServing(address, namespace);
  } catch (err) {
    const tails = SERVICES.map((s) => `--- ${s}:\n${tail(files.logs[s])}`).join('\n');
    await cluster.stop();
    throw new Error(`${(err as Error).message}\n${tails}`, { cause: err });
  }
  return cluster;
}

/** Resolves once `port` accepts connections; rejects if the process exits first or after `timeoutMs`. */
async function waitForPort(port: number, child: ChildProcess, service: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the ${service} service exited (${child.exitCode ?? child.signalCode}) before listening on ${port}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the ${service} service did not listen on ${port} within ${timeoutMs / 1000} s`);
}

/** The last lines of a service's log, each as its message and error (the JSON lines carry stacks). */
function tail(file: string, lines = 6): string {
  try {
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((l) => {
        try {
          const j = JSON.parse(l) as { level?: string; msg?: string; error?: string };
          return `${j.level ?? ''} ${j.msg ?? ''}${j.error ? `: ${j.error.slice(0, 300)}` : ''}`;
        } catch {
          return l.slice(0, 300);
        }
      })
      .join('\n');
  } catch {
    return '';
  }
}
