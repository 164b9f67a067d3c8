/**
 * Trang của cổng thông tin ở quy mô quốc gia: 100.000 phiên của một chỉ thị (3.334 đơn vị × 30
 * nghĩa vụ), đo p95 thời gian dựng trang danh sách nhiệm vụ của cán bộ và bảng tổng quan.
 * The portal's pages at national scale (issue 10, item 7): one directive with 100,000 instances
 * (3,334 units × 30 obligations, the shape of a national directive after the 2025 merger), and
 * the p95 time to render the officer's task list and the leadership dashboard over real HTTP, one
 * request at a time (a page's own latency, not throughput under load). Target: under 300 ms p95,
 * as the issue asks; GET /healthz's p95 in the same run is printed beside it as the baseline.
 *
 * The instances are written through the status projection's own upsert (activities/status.ts),
 * as the workflows write them, with a spread of statuses and due dates around today so that the
 * counts, the overdue ranking and the grid all have work to do. No Temporal server: the pages only
 * read the store (the client is a lazy connection that is never dialled).
 */
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { migrate } from '../activities/index.js';
import { createAccount } from '../activities/store/accounts.js';
import { recordDeployment } from '../activities/store/deployments.js';
import { upsertStatus } from '../activities/store/instances.js';
import { loadConfig, serverSettings } from '../common/config.js';
import { issueToken } from '../server/auth/tokens.js';
import { buildServer } from '../server/app.js';
import type { Plan } from '../compiler/plan.js';
import type { InstanceStatus, StatusUpdate } from '../workflows/types.js';
import { startBenchPostgres } from '../service/throwaway-postgres.js';
import { syntheticPlan } from './synthetic-plan.js';

export interface PageTiming {
  name: string;
  p50: number;
  p95: number;
  requests: number;
  /** p95 under this many ms. */
  target: number;
  pass: boolean;
}

export interface PortalBench {
  database: 'postgres' | 'embedded';
  instances: number;
  units: number;
  /** Seconds to write the instances (not a target). */
  seedSeconds: number;
  healthz: PageTiming;
  pages: PageTiming[];
}

const UNITS = 3_334;
const OBLIGATIONS = 30;
/** Requests per page after the warm-up: enough for a p95 that one slow request does not decide. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const WARM_UP = 5;
const TARGET_MS = 300;

/** The spread of statuses (out of 20) and how many days from today each is due. */
const SPREAD: { status: InstanceStatus; share: number; dueInDays: number }[] = [
  { status: 'not-yet-due', share: 2, dueInDays: 60 },
  { status: 'in-progress', share: 7, dueInDays: 10 },
  { status: 'awaiting-review', share: 2, dueInDays: 5 },
  { status: 'completed-on-time', share: 4, dueInDays: -20 },
  { status: 'completed-late', share: 2, dueInDays: -40 },
  { status: 'overdue', share: 3, dueInDays: -15 },
];

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function time(n: number, one: () => Promise<Response>): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await one();
    const body = await r.text();
    if (!r.ok) throw new Error(`${r.status} ${body.slice(0, 300)}`);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)]!, p95: ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)]! };
}

/**
 * A national directive's deployment and its 100,000 instances, written through the status
 * projection's own upsert (activities/status.ts) as the workflows write them: a spread of statuses
 * and due dates around today, so that counts, the overdue ranking and the grid all have work.
 */
export async function seedNational(pool: pg.Pool, log: (s: string) => void = () => undefined, size = UNITS * OBLIGATIONS): Promise<{ plan: Plan; instances: number }> {
  // Another size (npm run bench:scale's BENCH_SCALE_INSTANCES) keeps the shape: 30 obligations.
  const plan = syntheticPlan(size, 'bench-national', Math.ceil(size / OBLIGATIONS));
  await recordDeployment(pool, { plan, deployedBy: 'bench' });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: plan.directive.timezone }).format(new Date());
  const weights = SPREAD.flatMap((s) => Array.from({ length: s.share }, () => s));
  const updates: StatusUpdate[] = [];
  let k = 0;
  for (const o of plan.obligations) {
    for (const unitId of o.assignees) {
      const s = weights[(k * 7 + unitId.length) % weights.length]!;
      const due = addDays(today, s.dueInDays + (k % 9));
      k += 1;
      updates.push({
        workflowId: `${plan.directive.id}/${o.id}/${unitId}`,
        directiveId: plan.directive.id,
        obligationId: o.id,
        unitId,
        cycle: 1,
        status: s.status,
        due,
        ...(s.status.startsWith('completed') && { completedAt: `${addDays(due, s.status === 'completed-late' ? 3 : -2)}T03:00:00.000Z` }),
        at: new Date().toISOString(),
        generation: 1,
      });
    }
  }
  log(`writing ${updates.length} instances…`);
  const PARALLEL = 8;
  await Promise.all(
    Array.from({ length: PARALLEL }, async (_, w) => {
      for (let i = w; i < updates.length; i += PARALLEL) await upsertStatus(pool, updates[i]!);
    }),
  );
  await pool.query('ANALYZE instances');

  return { plan, instances: updates.length };
}

export async function benchPortal(log: (s: string) => void = () => undefined): Promise<PortalBench> {
  const db = await startBenchPostgres();
  const pool = db.pool;
  log(`PostgreSQL: ${db.kind}`);
  let app: Awaited<ReturnType<typeof buildServer>> | undefined;
  try {
    await migrate(pool);
    const t0 = performance.now();
    const { plan, instances } = await seedNational(pool, log);
    const seedSeconds = (performance.now() - t0) / 1000;

    // An officer of a commune (the longest task list: every obligation), and leadership.
    const officerUnit = plan.obligations[0]!.assignees[UNITS - 1]!;
    await createAccount(pool, { login: 'bench-officer', unitId: officerUnit, roles: ['officer'], createdBy: 'bench' });
    await createAccount(pool, { login: 'bench-leadership', unitId: 'leadership', roles: ['leadership'], createdBy: 'bench' });
    const officer = { authorization: `Bearer ${(await issueToken(pool, 'bench-officer', 'bench')).token}` };
    const leadership = { authorization: `Bearer ${(await issueToken(pool, 'bench-leadership', 'bench')).token}` };

    const config = loadConfig(process.env);
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    app = await buildServer({ pool, client, config, settings: serverSettings({}) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const D = plan.directive.id;

    const pages: { name: string; one: () => Promise<Response> }[] = [
      { name: `officer's task list (/nhiem-vu, ${OBLIGATIONS} tasks)`, one: () => fetch(`${base}/nhiem-vu`, { headers: officer }) },
      { name: `officer's task list, due within 7 days`, one: () => fetch(`${base}/nhiem-vu?trong=7`, { headers: officer }) },
      { name: 'dashboard: the directives (/tong-quan)', one: () => fetch(`${base}/tong-quan`, { headers: leadership }) },
      { name: `dashboard: the directive (${UNITS} units, grid page 1)`, one: () => fetch(`${base}/tong-quan/${D}`, { headers: leadership }) },
      { name: 'dashboard: a unit', one: () => fetch(`${base}/tong-quan/${D}/don-vi/${officerUnit}`, { headers: leadership }) },
    ];
    const measure = async (one: () => Promise<Response>) => {
      await time(WARM_UP, one);
      return time(REQUESTS, one);
    };
    const h = await measure(() => fetch(`${base}/healthz`));
    const healthz: PageTiming = { name: 'GET /healthz', ...h, requests: REQUESTS, target: Infinity, pass: true };
    const timings: PageTiming[] = [];
    for (const p of pages) {
      log(`${p.name}: ${REQUESTS} requests…`);
      const m = await measure(p.one);
      timings.push({ name: p.name, ...m, requests: REQUESTS, target: TARGET_MS, pass: m.p95 < TARGET_MS });
    }
    return { database: db.kind, instances, units: UNITS, seedSeconds, healthz, pages: timings };
  } finally {
    await app?.close();
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchPortal((s) => process.stderr.write(`  … ${s}\n`));
  console.log(JSON.stringify(r, null, 2));
}
