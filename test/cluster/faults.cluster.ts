/**
 * Issue 12: chithi on a production-shaped Temporal (four services as four processes on
 * PostgreSQL, scripts/temporal-cluster.ts), two worker processes on one task queue, the API
 * server, and faults: a worker killed with -9 mid-run, the history service stopped and restarted,
 * chithi's PostgreSQL crashed and restarted, a mail relay that refuses for an hour. After each,
 * every instance's status is what the actions made it (in chithi's projection, in the workflow's
 * own state and in the ChithiStatus search attribute), every e-mail the outbox holds reached the
 * loopback SMTP server and none twice, and `chithi audit verify` passes.
 *
 * `npm run test:cluster` (not part of `npm test`); needs TEST_DATABASE_URL (the machine's
 * PostgreSQL, for Temporal's own databases), Go and the Go module proxy the first time (the server
 * is built into .tools/), and the machine's PostgreSQL binaries for chithi's throwaway database.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../activities/db/migrate.js';
import { listInstances } from '../../activities/store/instances.js';
import { IDEMPOTENCY_HEADER } from '../../activities/notify/webhook.js';
import { clientConnectionOptions, ROOT } from '../../common/config.js';
import { freePort } from '../../service/local-temporal.js';
import { startCluster, type TemporalCluster } from '../../scripts/temporal-cluster.js';
import { spawnWorkerProcess, type WorkerProcess } from '../../worker/spawn.js';
import { QUERY, type InstanceState, type InstanceStatus } from '../../workflows/types.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { directiveYaml, DISTRICTS, freeClusterBase, registryYaml, startScratchPostgres, type ScratchPostgres } from './support.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const elapsed = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const note = (line: string) => console.log(`[cluster] ${line}`);

// The relay's hour of refusal in scaled time: one minute stands for an hour, and the dispatcher's
// backoff is scaled to match (its ceiling of 30 minutes becomes 30 s; the first retry 1 s, the
// setting's smallest, for 5 s). The give-up window (72 h) is not scaled: nothing may be given up.
const HOUR_MS = 60_000;
const SCALED = { CHITHI_NOTICE_RETRY_FIRST_S: '1', CHITHI_NOTICE_RETRY_MAX_S: '30' };
// A notice a killed worker was sending is taken over after its lease (default 5 minutes): 20 s
// here, still far above a loopback send.
const LEASE_S = '20';

const A = { id: 'cum-a-2026', number: '1/CT-CUM' };
const B = { id: 'cum-b-2026', number: '2/CT-CUM' };

interface Topology {
  cluster: TemporalCluster;
  db: ScratchPostgres;
  pool: pg.Pool;
  smtp: TestSmtpServer;
  client: Client;
  connection: Connection;
  api: TestApi;
  workers: WorkerProcess[];
  workerEnv: (i: number) => NodeJS.ProcessEnv;
  metrics: string;
  dir: string;
  dbNames: string[];
  adminUrl: string;
}

let t: Topology | undefined;
const topo = () => t ?? (() => { throw new Error('no topology'); })();
/** What each instance's status must be: `${directive}|${obligation}|${unit}` → status. */
const expected = new Map<string, InstanceStatus>();
const key = (d: string, o: string, u: string) => `${d}|${o}|${u}`;
/**
 * Notices a killed worker was sending at the instant it died: SMTP cannot tell "accepted, then the
 * sender died before it wrote that down", so such a notice may arrive a second time, with the same
 * Message-ID (activities/notify.ts). Kept for every later check, since the second copy stays received.
 */
const inFlightAtKill = new Set<string>();

function expectDeployed(directive: string): void {
  for (const u of DISTRICTS) {
    expected.set(key(directive, 'dau-moi', u), 'overdue');
    expected.set(key(directive, 'ke-hoach', u), 'in-progress');
    expected.set(key(directive, 'bao-cao', u), 'in-progress');
  }
}

/** Retries `fn` until it succeeds (a person pressing the button again, with the same id). */
async function retrying<T>(what: string, fn: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > until) throw new Error(`${what}: still failing after ${timeoutMs / 1000} s: ${(err as Error).message}`, { cause: err });
      await sleep(500);
    }
  }
}

async function call(path: string, token: string, init: { json?: unknown; form?: FormData }): Promise<unknown> {
  const res = await fetch(`${topo().api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.form ?? JSON.stringify(init.json),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json().catch(() => ({}))) as unknown;
  if (!res.ok) throw new Error(`${path} → ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

async function deployDirective(d: { id: string; number: string }): Promise<void> {
  const author = await topo().api.account('author', 'ubnd-tinh', ['author']);
  await retrying(`deploy ${d.id}`, () => call('/api/v1/directives', author, { json: { source: directiveYaml(d.id, d.number), registry: registryYaml() } }));
  expectDeployed(d.id);
}

/** Evidence for one instance, under a fixed id: sent again after a failure, it is stored once. */
async function submit(directive: string, obligation: string, unit: string, id = randomUUID()): Promise<void> {
  const token = await topo().api.account(`officer.${unit}`, unit, ['officer']);
  await retrying(`submit ${obligation}/${unit}`, () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ directive, obligation, unit, id, field: `summary=Đã thực hiện (${unit})` })) form.append(k, v);
    return call('/api/v1/submissions', token, { form });
  });
  expected.set(key(directive, obligation, unit), 'awaiting-review');
}

async function accept(directive: string, obligation: string, unit: string, id = randomUUID()): Promise<void> {
  const token = await topo().api.account('reviewer.so-tttt', 'so-tttt', ['reviewer']);
  await retrying(`review ${obligation}/${unit}`, () => call('/api/v1/reviews', token, { json: { directive, obligation, unit, decision: 'accept', id } }));
  expected.set(key(directive, obligation, unit), 'completed-on-time');
}

/** The instance has taken its evidence up (a review before that is refused as premature). */
async function awaitingReview(directive: string, obligation: string, unit: string): Promise<void> {
  await retrying(`${obligation}/${unit} awaiting review`, async () => {
    const rows = await listInstances(topo().pool, directive, { obligationId: obligation, unitId: unit });
    if (rows[0]?.status !== 'awaiting-review') throw new Error(`status ${rows[0]?.status}`);
  });
}

interface Pending {
  pending: number;
  undelivered: number;
}

async function outboxState(): Promise<Pending> {
  const { rows } = await topo().pool.query<{ pending: number; undelivered: number }>(
    `SELECT count(*) FILTER (WHERE sent_at IS NULL AND gave_up_at IS NULL AND hold_until IS NULL)::int AS pending,
            count(*) FILTER (WHERE gave_up_at IS NOT NULL)::int AS undelivered FROM outbox`,
  );
  return rows[0]!;
}

/** Waits until every instance shows its expected status and the outbox has nothing left to send. */
async function settle(timeoutMs = 300_000): Promise<void> {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    try {
      const diff = await projectionDiff();
      const o = await outboxState();
      if (diff.length === 0 && o.pending === 0) {
        note(`settled in ${elapsed(t0)}`);
        return;
      }
      last = `${diff.length} instances off (${diff.slice(0, 3).join('; ')}), ${o.pending} notices pending`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(1000);
  }
  throw new Error(`not settled after ${timeoutMs / 1000} s: ${last}`);
}

async function projectionDiff(): Promise<string[]> {
  const seen = new Map<string, InstanceStatus>();
  for (const d of [A.id, B.id]) for (const r of await listInstances(topo().pool, d)) seen.set(key(d, r.obligationId, r.unitId), r.status);
  const off: string[] = [];
  for (const [k, want] of expected) if (seen.get(k) !== want) off.push(`${k}: ${seen.get(k) ?? 'missing'} ≠ ${want}`);
  for (const k of seen.keys()) if (!expected.has(k)) off.push(`${k}: unexpected`);
  return off;
}

/** The checks every fault ends with. */
async function verifyEverything(): Promise<void> {
  const allowedTwice = inFlightAtKill;
  const { pool, smtp, client } = topo();
  // 1. Every instance's status: the projection (settle), the workflow's own state, the search attribute.
  expect(await projectionDiff()).toEqual([]);
  const wrong: string[] = [];
  const entries = [...expected];
  for (let i = 0; i < entries.length; i += 20) {
    await Promise.all(
      entries.slice(i, i + 20).map(async ([k, want]) => {
        const [d, o, u] = k.split('|') as [string, string, string];
        const row = (await listInstances(pool, d, { obligationId: o, unitId: u }))[0]!;
        const state = await retrying(`query ${k}`, () => client.workflow.getHandle(row.workflowId).query<InstanceState>(QUERY.state), 60_000);
        if (state.status !== want) wrong.push(`${k}: workflow says ${state.status}, expected ${want}`);
      }),
    );
  }
  expect(wrong).toEqual([]);
  await retrying(
    'search attributes',
    async () => {
      const off: string[] = [];
      for (const d of [A.id, B.id]) {
        const want = new Map<string, number>();
        for (const [k, s] of expected) if (k.startsWith(`${d}|`)) want.set(s, (want.get(s) ?? 0) + 1);
        for (const [s, n] of want) {
          const got = (await client.workflow.count(`ChithiDirective = '${d}' AND ChithiStatus = '${s}'`)).count;
          if (got !== n) off.push(`${d} ${s}: ${got} ≠ ${n}`);
        }
      }
      if (off.length > 0) throw new Error(off.join('; '));
    },
    60_000,
  );

  // 2. Every e-mail the outbox holds was received, none twice, nothing else.
  const { rows } = await pool.query<{ key: string; sent: boolean }>(
    `SELECT idempotency_key AS key, sent_at IS NOT NULL AS sent FROM outbox WHERE channel = 'email' AND hold_until IS NULL`,
  );
  const received = new Map<string, number>();
  for (const m of smtp.messages) {
    const k = m.headers[IDEMPOTENCY_HEADER.toLowerCase()] ?? '(none)';
    received.set(k, (received.get(k) ?? 0) + 1);
  }
  const keys = new Set(rows.map((r) => r.key));
  const lost = rows.filter((r) => !received.has(r.key)).map((r) => r.key);
  const twice = [...received].filter(([k, n]) => n > 1 && !allowedTwice.has(k)).map(([k, n]) => `${k} ×${n}`);
  const stray = [...received.keys()].filter((k) => !keys.has(k));
  expect(rows.filter((r) => !r.sent).map((r) => r.key)).toEqual([]);
  expect(lost).toEqual([]);
  expect(twice).toEqual([]);
  expect(stray).toEqual([]);
  expect((await outboxState()).undelivered).toBe(0);
  note(`${rows.length} e-mails in the outbox, ${smtp.messages.length} received (${[...received.values()].filter((n) => n > 1).length} twice, allowed: ${allowedTwice.size})`);

  // 3. The audit trail's hash chains, as an operator checks them.
  const { stdout } = await run(process.execPath, [join(ROOT, 'bin', 'chithi.js'), 'audit', 'verify', '--lang', 'en'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: topo().db.url, CHITHI_LANG: 'en' },
  });
  expect(stdout).toMatch(/audit: \d+ rows in \d+ chains verified/);
}

/** A gauge's value in a Prometheus text page (labels, if any, ignored); undefined when absent. */
function gauge(page: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)`, 'm').exec(page);
  return m ? Number(m[1]) : undefined;
}

function startWorker(i: number): WorkerProcess {
  const w = spawnWorkerProcess(topo().workerEnv(i), { log: (l) => (/error|warn|gave up/i.test(l) ? note(`worker ${i}: ${l.slice(0, 300)}`) : undefined) });
  topo().workers[i] = w;
  return w;
}

async function workersPolling(): Promise<void> {
  // Both have polled once the task queue lists two pollers.
  await retrying('two workers polling', async () => {
    const r = await topo().client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: 'chithi' }, taskQueueType: 1 });
    const n = new Set((r.pollers ?? []).filter((p) => Number(p.lastAccessTime?.seconds ?? 0) > 0).map((p) => p.identity)).size;
    if (n < 2) throw new Error(`${n} pollers`);
  });
}

describe('chithi on a Temporal cluster, two workers, faults', () => {
  beforeAll(async () => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set: the cluster keeps its databases in the machine PostgreSQL (see .ci/run)');
    const t0 = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'chithi-cluster-'));
    const suffix = randomBytes(4).toString('hex');
    const settings = { dbUrl: adminUrl, dbName: `chithi_cluster_${suffix}`, visibilityDbName: `chithi_cluster_${suffix}_visibility`, port: await freeClusterBase() };
    const cluster = await startCluster({ settings, dir, log: note });
    note(`cluster up at ${cluster.address} in ${elapsed(t0)}`);
    const db = await startScratchPostgres();
    const pool = new pg.Pool({ connectionString: db.url, max: 10 });
    pool.on('error', () => undefined);
    await migrate(pool);
    const smtp = await startSmtpServer();
    const connection = await Connection.connect(clientConnectionOptions({ address: cluster.address, namespace: 'default', taskQueue: 'chithi' }));
    const client = new Client({ connection, namespace: 'default' });
    const env = { TEMPORAL_ADDRESS: cluster.address, DATABASE_URL: db.url };
    const api = await startTestApi({ pool, client, env });
    const metrics = `127.0.0.1:${await freePort()}`;
    t = {
      cluster,
      db,
      pool,
      smtp,
      client,
      connection,
      api,
      workers: [],
      metrics,
      dir,
      adminUrl,
      dbNames: [settings.dbName, settings.visibilityDbName],
      workerEnv: (i) => ({
        ...process.env,
        ...env,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: 'chithi',
        DATABASE_POOL_MAX: '5',
        SMTP_URL: smtp.url,
        // The registry's addresses are on .example and the relay is on loopback: nothing leaves.
        CHITHI_MAIL_MODE: 'production',
        CHITHI_PUBLIC_URL: api.url,
        CHITHI_NOTICE_LEASE_S: LEASE_S,
        ...SCALED,
        ...(i === 0 ? { CHITHI_METRICS_ADDRESS: metrics } : { CHITHI_METRICS_ADDRESS: '' }),
      }),
    };
    startWorker(0);
    startWorker(1);
    await workersPolling();
    note(`two workers polling after ${elapsed(t0)}`);
  });

  afterAll(async () => {
    if (!t) return;
    const { cluster, db, pool, smtp, connection, api, workers, dir, adminUrl, dbNames } = t;
    await api.close().catch(() => undefined);
    await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
    await connection.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await cluster.stop().catch(() => undefined);
    await smtp.stop().catch(() => undefined);
    await db.stop().catch(() => undefined);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    for (const name of dbNames) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys onto the cluster: 90 instances, their notices each sent once, search attributes and metrics', async () => {
    const t0 = Date.now();
    await deployDirective(A);
    await settle();
    note(`directive A: ${expected.size} instances, ${topo().smtp.messages.length} e-mails, ${elapsed(t0)}`);
    await verifyEverything();
    // Both workers took part: each sent some of the e-mails (claimed_by names the process).
    const { rows } = await topo().pool.query<{ n: number }>(`SELECT count(DISTINCT split_part(claimed_by, ':', 2))::int AS n FROM outbox WHERE sent_at IS NOT NULL AND claimed_by IS NOT NULL`);
    expect(rows[0]!.n).toBe(2);
    // The gauges are read every 15 s: within that, they show the settled outbox.
    const text = await retrying(
      'metrics',
      async () => {
        const body = await (await fetch(`http://${topo().metrics}/metrics`)).text();
        const pending = gauge(body, 'chithi_notices_pending');
        if (pending !== 0) throw new Error(`chithi_notices_pending ${pending}`);
        return body;
      },
      40_000,
    );
    expect(gauge(text, 'chithi_notices_undelivered')).toBe(0);
    expect(text).toMatch(/^temporal_\w+/m);
  });

  it('kill -9 of a worker mid-run: the other takes over, no notice lost, none twice', async () => {
    const t0 = Date.now();
    const before = topo().smtp.messages.length;
    const victim = topo().workers[0]!;
    const deploying = deployDirective(B);
    // Mid-run: the deploy has started instances and their notices are going out.
    await retrying('mail of B flowing', async () => {
      if (topo().smtp.messages.length < before + 20) throw new Error('not yet');
    });
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();
    // What the dead process was sending as it died: the only rows that may arrive twice.
    const { rows } = await topo().pool.query<{ key: string }>(`SELECT idempotency_key AS key FROM outbox WHERE sent_at IS NULL AND claimed_by LIKE $1`, [`%:${victim.pid}:%`]);
    for (const r of rows) inFlightAtKill.add(r.key);
    note(`killed worker pid ${victim.pid} after ${topo().smtp.messages.length - before} e-mails of B; ${inFlightAtKill.size} notices were in its hands`);
    await deploying;
    await settle();
    note(`one worker finished the run ${elapsed(killedAt)} after the kill`);
    await verifyEverything();
    startWorker(0);
    await workersPolling();
    note(`kill -9 fault: ${elapsed(t0)}`);
  });

  it('the history service stopped and restarted: submissions made meanwhile are kept and taken up', async () => {
    const t0 = Date.now();
    const units = DISTRICTS.slice(0, 15);
    for (const u of units.slice(0, 5)) await submit(A.id, 'ke-hoach', u);
    await topo().cluster.stopService('history');
    const stoppedAt = Date.now();
    note('history stopped');
    // People keep submitting; each is stored, its signal fails, the same id is sent again.
    const during = Promise.all(units.slice(5).map((u) => submit(A.id, 'ke-hoach', u)));
    await sleep(15_000);
    topo().cluster.startService('history');
    note(`history started again after ${elapsed(stoppedAt)}`);
    await during;
    note(`all submissions through ${elapsed(stoppedAt)} after the stop`);
    await settle();
    await verifyEverything();
    note(`history fault: ${elapsed(t0)}`);
  });

  it("chithi's PostgreSQL crashed and restarted: reviews and submissions meanwhile land once", async () => {
    const t0 = Date.now();
    const reviewed = DISTRICTS.slice(0, 15);
    for (const u of reviewed) await awaitingReview(A.id, 'ke-hoach', u);
    const reviews = reviewed.map((u) => ({ u, id: randomUUID() }));
    for (const r of reviews.slice(0, 3)) await accept(A.id, 'ke-hoach', r.u, r.id);
    await topo().db.crash();
    const crashedAt = Date.now();
    note('PostgreSQL crashed (immediate shutdown)');
    const during = Promise.all([
      ...reviews.slice(3).map((r) => accept(A.id, 'ke-hoach', r.u, r.id)),
      ...DISTRICTS.slice(15, 25).map((u) => submit(A.id, 'bao-cao', u)),
    ]);
    await sleep(10_000);
    await topo().db.start();
    note(`PostgreSQL back after ${elapsed(crashedAt)}`);
    await during;
    await settle();
    await verifyEverything();
    note(`PostgreSQL fault: ${elapsed(t0)}`);
  });

  it('a mail relay that refuses for an hour (a minute, scaled): notices wait, back off, then go once', async () => {
    const t0 = Date.now();
    const { smtp, pool } = topo();
    const received = smtp.messages.length;
    smtp.failNext(Number.MAX_SAFE_INTEGER);
    for (const u of DISTRICTS.slice(15, 25)) await awaitingReview(A.id, 'bao-cao', u);
    await Promise.all([...DISTRICTS.slice(15, 25).map((u) => accept(A.id, 'bao-cao', u)), ...DISTRICTS.slice(25).map((u) => submit(A.id, 'bao-cao', u))]);
    await sleep(HOUR_MS);
    const { rows } = await pool.query<{ pending: number; max_attempts: number; gave_up: number }>(
      `SELECT count(*) FILTER (WHERE sent_at IS NULL AND gave_up_at IS NULL AND hold_until IS NULL)::int AS pending,
              coalesce(max(attempts) FILTER (WHERE sent_at IS NULL), 0)::int AS max_attempts,
              count(*) FILTER (WHERE gave_up_at IS NOT NULL)::int AS gave_up FROM outbox`,
    );
    const r = rows[0]!;
    note(`after the refused hour: ${r.pending} notices waiting, at most ${r.max_attempts} attempts each, ${r.gave_up} given up`);
    expect(smtp.messages.length).toBe(received);
    expect(r.pending).toBeGreaterThan(0);
    expect(r.gave_up).toBe(0);
    // Backing off, not hammering: attempts at 0, 1, 3, 7, 15, 31 s, then every 30 s: about 7 in the hour.
    expect(r.max_attempts).toBeGreaterThanOrEqual(4);
    expect(r.max_attempts).toBeLessThanOrEqual(9);
    const text = await (await fetch(`http://${topo().metrics}/metrics`)).text();
    expect(gauge(text, 'chithi_notices_retrying')).toBeGreaterThan(0);
    smtp.failNext(0);
    const reopened = Date.now();
    await settle();
    note(`all sent ${elapsed(reopened)} after the relay accepted again`);
    await verifyEverything();
    note(`relay fault: ${elapsed(t0)}`);
  });
});
