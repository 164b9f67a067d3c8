import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ROOT } from '../common/config.js';

/** A `temporal server start-dev` child process (binaries from scripts/setup.mjs). */
export interface LocalTemporal {
  address: string;
  uiUrl?: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function toolPath(name: 'temporal' | 'testServer'): string {
  const file = join(ROOT, '.tools', 'paths.json');
  if (!existsSync(file)) throw new Error('Temporal binaries are not installed: run `npm run setup` (node scripts/setup.mjs).');
  const paths = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const path = paths[name];
  if (!path || !existsSync(path)) throw new Error(`${name} binary missing at ${path ?? '?'}: run \`npm run setup\`.`);
  return path;
}

/**
 * The time-skipping test server (`path`, by default the one in `.tools/`), its client pinging every
 * 6 minutes instead of the SDK's 30 s. The test server permits one ping per 5 minutes (gRPC Java's
 * default) unless it sends data between them, and answers the third early ping with GOAWAY "too many
 * pings". A sleep that advances virtual time over a busy stretch sends nothing back until it ends;
 * in three runs of bench:scale's year at 10,000 instances the client logged that GOAWAY and virtual
 * time then stopped for good (worker, server and database idle).
 */
export function startTimeSkipping(path = toolPath('testServer')): Promise<TestWorkflowEnvironment> {
  // `createTimeSkipping` does not pass connection options on (SDK 1.24); the `create` it calls does.
  const env = TestWorkflowEnvironment as unknown as { create(opts: object): Promise<TestWorkflowEnvironment> };
  return env.create({
    server: { type: 'time-skipping', executable: { type: 'existing-path', path } },
    supportsTimeSkipping: true,
    connectionOptions: { channelArgs: { 'grpc.keepalive_time_ms': 6 * 60_000 } },
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(true));
    srv.listen(port, host, () => srv.close(() => resolve(false)));
  });
}

export interface StartOptions {
  dbFile?: string;
  port: number;
  /** Omit for headless. */
  uiPort?: number;
  /** Extra `KEY=VALUE` dynamic config (benchmarks lift the dev server's rate limits). */
  dynamicConfig?: string[];
  /** `NAME=Type` search attributes the dev server registers (`npm start`: chithi's, service/search-attributes.ts). */
  searchAttributes?: string[];
  /** Where the server's own log lines go (default: dropped, they are noisy at warn). */
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export async function startLocalTemporal(opts: StartOptions): Promise<LocalTemporal> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'error'];
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort), '--ui-disable-news-fetch');
  else args.push('--headless');
  for (const kv of opts.dynamicConfig ?? []) args.push('--dynamic-config-value', kv);
  for (const sa of opts.searchAttributes ?? []) args.push('--search-attribute', sa);
  // Own process group, so Ctrl-C in the terminal reaches us first and we stop the server in order.
  const child = spawn(toolPath('temporal'), args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const tail: string[] = [];
  const onData = (b: Buffer) => {
    for (const line of b.toString().split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      opts.log?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Detached children outlive a crashed parent; never leave a server holding the port.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  void exited.then(() => process.off('exit', orphanGuard));
  const address = `127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let ready = false;
  while (!ready) {
    const early = await Promise.race([exited, new Promise<'wait'>((r) => setTimeout(() => r('wait'), 250))]);
    if (early !== 'wait') throw new Error(`temporal server exited (code ${early}):\n${tail.join('\n')}`);
    try {
      const c = await Connection.connect({ address, connectTimeout: '1s' });
      await c.close();
      ready = true;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`temporal server did not become ready on ${address}:\n${tail.join('\n')}`, { cause: err });
      }
    }
  }
  const server: LocalTemporal = {
    address,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  if (opts.uiPort) server.uiUrl = `http://127.0.0.1:${opts.uiPort}`;
  return server;
}
