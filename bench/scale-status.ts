/**
 * `chithi status` của một chỉ thị toàn quốc (100.000 phiên): p95 của route trạng thái của API,
 * và cả lệnh CLI chạy như người vận hành gõ.
 * `chithi status` of a national directive (100,000 instances, issue 12 item 4): the p95 latency of
 * the API's status route (GET /api/v1/directives/:id/status) over real HTTP, one request at a time,
 * as leadership reads the whole directive, for one unit, and for the overdue ones; and the CLI
 * command itself (a new process, as an operator types it), timed a few times. The instances are
 * written through the status projection's own upsert, as in the portal benchmark (seedNational).
 */
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { migrate } from '../activities/index.js';
import { createAccount } from '../activities/store/accounts.js';
import { loadConfig, ROOT, serverSettings, SETTINGS } from '../common/config.js';
import { issueToken } from '../server/auth/tokens.js';
import { buildServer } from '../server/app.js';
import { seedNational } from './portal.js';
import { startBenchPostgres } from '../service/throwaway-postgres.js';

export interface RouteTiming {
  name: string;
  p50: number;
  p95: number;
  /** Bytes of the response body. */
  bytes: number;
  rows: number;
  requests: number;
}

export interface ScaleStatusBench {
  database: 'postgres' | 'embedded';
  instances: number;
  seedSeconds: number;
  healthz: RouteTiming;
  routes: RouteTiming[];
  /** `chithi status <directive>` as a new process: median and slowest of a few runs, ms. */
  cli: { p50: number; max: number; runs: number; lines: number };
  seconds: number;
}

const REQUESTS = 40;
const WARM_UP = 3;
const CLI_RUNS = 5;

function quantiles(ms: number[]): { p50: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]! };
}

export async function benchScaleStatus(opts: { instances: number; log: (s: string) => void }): Promise<ScaleStatusBench> {
  const { log } = opts;
  const t0 = performance.now();
  const db = await startBenchPostgres();
  const pool = db.pool;
  let app: Awaited<ReturnType<typeof buildServer>> | undefined;
  try {
    await migrate(pool);
    const { plan, instances } = await seedNational(pool, log, opts.instances);
    const seedSeconds = (performance.now() - t0) / 1000;
    await createAccount(pool, { login: 'bench-leadership', unitId: 'leadership', roles: ['leadership'], createdBy: 'bench' });
    const token = (await issueToken(pool, 'bench-leadership', 'bench')).token;
    const headers = { authorization: `Bearer ${token}` };
    // The routes read the store only: a lazy connection that is never dialled.
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    app = await buildServer({ pool, client, config: loadConfig({}), settings: serverSettings({}) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const D = plan.directive.id;
    const unit = plan.obligations[0]!.assignees.at(-1)!;

    const time = async (name: string, path: string): Promise<RouteTiming> => {
      log(`${name}: ${REQUESTS} requests…`);
      const ms: number[] = [];
      let bytes = 0;
      let rows = 0;
      for (let i = 0; i < WARM_UP + REQUESTS; i++) {
        const t = performance.now();
        const r = await fetch(`${base}${path}`, { headers });
        const body = await r.text();
        if (!r.ok) throw new Error(`${path}: ${r.status} ${body.slice(0, 300)}`);
        if (i >= WARM_UP) ms.push(performance.now() - t);
        bytes = Buffer.byteLength(body);
        if (path.includes('/status')) rows = (JSON.parse(body) as { rows: unknown[] }).rows.length;
      }
      return { name, ...quantiles(ms), bytes, rows, requests: REQUESTS };
    };
    const healthz = await time('GET /healthz', '/healthz');
    const status = `/api/v1/directives/${encodeURIComponent(D)}/status`;
    const routes = [
      await time(`the whole directive`, status),
      await time(`one unit (--unit)`, `${status}?unit=${encodeURIComponent(unit)}`),
      await time(`the overdue (--overdue)`, `${status}?overdue=true`),
    ];

    // The CLI as an operator runs it: a new process, the request, the table or the summary.
    log(`chithi status ${D}: ${CLI_RUNS} runs…`);
    const cliMs: number[] = [];
    let lines = 0;
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in SETTINGS)));
    for (let i = 0; i < CLI_RUNS; i++) {
      const t = performance.now();
      const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin', 'chithi.js'), 'status', D], {
        env: { ...inherited, CHITHI_API_URL: base, CHITHI_TOKEN: token, CHITHI_LANG: 'en' },
        maxBuffer: 1 << 30,
      });
      cliMs.push(performance.now() - t);
      lines = stdout.split('\n').length;
    }
    const cli = { p50: quantiles(cliMs).p50, max: Math.max(...cliMs), runs: CLI_RUNS, lines };
    return { database: db.kind, instances, seedSeconds, healthz, routes, cli, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await app?.close();
    await db.stop();
  }
}
