/**
 * A year of Hanoi 3968 in virtual time on the time-skipping test server: real worker, real
 * activities, real (embedded) PostgreSQL. Measures wall time and history events per instance-year,
 * the number that decides when histories must be trimmed by continue-as-new. Two weeks in, some
 * units act as they would through the CLI (evidence submitted and accepted, an event reported);
 * at the end every workflow must still be running or completed: a failing fleet runs faster.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities, fileEmailChannel, migrate, startDelivery } from '../activities/index.js';
import { compileFile } from '../compiler/index.js';
import type { Plan, PlanObligation } from '../compiler/plan.js';
import { sampleValue } from './evidence.js';
import { deploy } from '../service/deploy.js';
import type { EvidenceInput } from '../service/evidence.js';
import { plannedInstances } from '../service/instances.js';
import { reportEvent } from '../service/report-event.js';
import { review } from '../service/review.js';
import { submit } from '../service/submit.js';
import { getInstance } from '../activities/store/index.js';
import { loadConfig, ROOT, setting } from '../common/config.js';
import { toolPath } from '../service/local-temporal.js';
import { bundleWorkflows, createWorker } from '../worker/index.js';
import { postboxWorkflowId, type RuntimeActivities } from '../workflows/types.js';
import { startBenchPostgres } from '../service/throwaway-postgres.js';

export interface YearBench {
  database: 'postgres' | 'embedded';
  instances: number;
  /** Virtual days actually simulated: 365 unless the wall-time budget ran out first. */
  virtualDays: number;
  wallSeconds: number;
  /** Wall time for a full year, extrapolated when the budget ran out. */
  yearSeconds: number;
  eventsPerInstanceYear: number;
  runs: number;
  /** E-mails actually sent (letters and notices that go at once), per instance. */
  emailsPerInstance: number;
  /** The baseline of the same run: one e-mail per notice and recipient, as before letters (issue 7). */
  noticeEmailsPerInstance: number;
  /** The most letters (assignment, daily, weekly) one address received on one day. */
  maxLettersPerAddressDay: number;
  /**
   * The most e-mails of any kind one address received on one day: letters plus the answers to
   * someone's action, which go at once (the reviewer gets one per submission).
   */
  maxEmailsPerAddressDay: number;
  /** What the units did two weeks in (see `act`). */
  activity: YearActivity;
  /** Workflows (instances, event instances, the postbox) in each final status, e.g. `{ RUNNING: 430, COMPLETED: 86 }`. */
  statuses: Record<string, number>;
  /** Workflows that failed, were terminated, cancelled or timed out: must be none. */
  broken: string[];
}

export interface YearActivity {
  /** Evidence submitted (service/submit.ts: stored, then signalled). */
  submitted: number;
  /** Of those, accepted by the reviewer (service/review.ts), counted in the audit. */
  accepted: number;
  /** Events reported (service/report-event.ts) and the instances they started. */
  events: number;
  eventInstances: string[];
  /** Wall time the units' actions took, included in the year's. */
  wallSeconds: number;
}

/** Evidence that satisfies an obligation's requirements, as a unit would give it on the CLI. */
function evidenceFor(o: PlanObligation, dir: string): EvidenceInput {
  const input: EvidenceInput = { files: [], fields: [] };
  for (const r of o.evidence) {
    if (r.kind === 'document') {
      const path = join(dir, `${o.id}-${r.name}.pdf`);
      writeFileSync(path, `%PDF-1.4 ${o.id} ${r.name} (bench)\n`);
      input.files.push(`${r.name}=${path}`);
    } else input.fields.push([r.name, sampleValue(r)]);
  }
  return input;
}

/** Polls the projection until the instance's status passes `ok` (the worker writes it after the step). */
async function projected(pool: pg.Pool, workflowId: string, ok: (status: string) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const row = await getInstance(pool, workflowId);
    if (row && ok(row.status)) return;
    if (Date.now() > deadline) throw new Error(`${workflowId}: no ${what} after 30 s (status ${row?.status})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * `count` open instances, one obligation after another so every kind takes part (deadline,
 * recurring, ongoing), submit evidence and are accepted; one event is reported. Through the CLI's
 * own functions, so the store rows and signals are the ones `chithi submit|review|report-event` make.
 */
async function act(
  client: Client,
  pool: pg.Pool,
  plan: Plan,
  at: { businessNow: number; offset: number; taskQueue: string },
  count: number,
  dir: string,
): Promise<YearActivity> {
  const { businessNow, offset, taskQueue } = at;
  const t0 = performance.now();
  const inProgress = await pool.query<{ workflow_id: string }>(`SELECT workflow_id FROM instances WHERE directive_id = $1 AND status = 'in-progress'`, [plan.directive.id]);
  const isOpen = new Set(inProgress.rows.map((r) => r.workflow_id));
  const planned = plannedInstances(plan).filter((p) => isOpen.has(p.workflowId));
  const open = plan.obligations.map((o) => planned.filter((p) => p.obligation.id === o.id)).filter((rows) => rows.length > 0);
  const chosen: (typeof open)[number] = [];
  for (let i = 0; chosen.length < count && open.some((rows) => rows.length > i); i++) {
    for (const rows of open) if (rows[i] && chosen.length < count) chosen.push(rows[i]!);
  }
  const deps = { client, pool };
  const ref = (p: (typeof chosen)[number]) => ({ directive: plan.directive.id, obligation: p.obligation.id, unit: p.unitId });
  await Promise.all(
    chosen.map(async (p) => {
      await submit({ ...ref(p), ...evidenceFor(p.obligation, dir), cwd: dir }, deps);
      await projected(pool, p.workflowId, (s) => s === 'awaiting-review', 'awaiting review');
      await review({ ...ref(p), decision: 'accept' }, deps);
      await projected(pool, p.workflowId, (s) => s !== 'awaiting-review', 'decision');
    }),
  );
  const accepted = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit WHERE directive_id = $1 AND action = 'accepted' AND workflow_id = ANY($2::text[])`,
    [plan.directive.id, chosen.map((p) => p.workflowId)],
  );
  // A vulnerability found at one unit (clause 1.2: remediate within 72 hours), reported now; any
  // event duty if the directive no longer has that one.
  const events = plan.obligations.filter((o) => o.kind === 'event' && o.assignees.length > 0);
  const eventObligation = events.find((o) => o.kind === 'event' && o.event === 'vulnerability-found') ?? events[0];
  let eventInstances: string[] = [];
  if (eventObligation?.kind === 'event') {
    const r = await reportEvent(
      {
        directiveId: plan.directive.id,
        eventType: eventObligation.event,
        unitId: eventObligation.assignees[0]!,
        eventId: 'bench-1',
        occurredAt: new Date(businessNow).toISOString(),
        description: 'Phát hiện lỗ hổng (bench)',
        clockOffsetMs: offset,
      },
      { ...deps, taskQueue },
    );
    eventInstances = r.started;
  }
  return {
    submitted: chosen.length,
    accepted: accepted.rows[0]?.n ?? 0,
    events: eventObligation ? 1 : 0,
    eventInstances,
    wallSeconds: (performance.now() - t0) / 1000,
  };
}

/** Instances whose units submit evidence two weeks in: enough to exercise the paths, small beside 515 timers. */
const SUBMISSIONS = 20;

/** Workflow statuses that mean the instance is gone for good without finishing its duty. */
const BROKEN = new Set(['FAILED', 'TERMINATED', 'CANCELLED', 'TIMED_OUT']);

/** Events of every run of a workflow id, following continue-as-new back to the first run, and its status. */
async function historyEvents(client: Client, workflowId: string): Promise<{ events: number; runs: number; status: string }> {
  const d = await client.workflow.getHandle(workflowId).describe();
  let runId: string | undefined = d.runId;
  let events = 0;
  let runs = 0;
  while (runId) {
    const history: { events?: { workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string | null } | null }[] | null } = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const list = history.events ?? [];
    events += list.length;
    runs++;
    const prev: string | null | undefined = list[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    runId = prev || undefined;
  }
  return { events, runs, status: d.status.name };
}

/** Per-activity call counts and time, printed with BENCH_PROFILE=1: where a slow year goes. */
const profile = new Map<string, { calls: number; ms: number }>();
function profiled(acts: RuntimeActivities): RuntimeActivities {
  if (!setting(process.env, 'BENCH_PROFILE')) return acts;
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(acts) as [string, (...a: unknown[]) => Promise<unknown>][]) {
    out[name] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await fn(...args);
      } finally {
        const p = profile.get(name) ?? { calls: 0, ms: 0 };
        p.calls++;
        p.ms += performance.now() - t;
        profile.set(name, p);
      }
    };
  }
  return out as unknown as RuntimeActivities;
}

export async function benchYear(log: (s: string) => void = () => undefined): Promise<YearBench> {
  // The time-skipping server is its own; the worker and deploy() meet on the configured queue.
  const { taskQueue } = loadConfig(process.env).temporal;
  const mailDir = mkdtempSync(join(tmpdir(), 'chithi-year-'));
  const evidenceDir = mkdtempSync(join(tmpdir(), 'chithi-year-evidence-'));
  const db = await startBenchPostgres();
  const pool = db.pool;
  log(`PostgreSQL: ${db.kind}`);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('testServer') } },
  });
  try {
    await migrate(pool);
    const compiled = await compileFile(join(ROOT, 'directives', 'hanoi-3968-2022.yaml'), { asOf: '2022-11-28' });
    if (!compiled.ok) throw new Error('hanoi-3968-2022.yaml does not compile');
    const plan = compiled.plan;
    // The directive's own first year, on its own dates and holidays: the instances run with a
    // virtual epoch (InstanceInput.clockOffsetMs) since the server's clock starts today.
    const yearStart = Date.parse(`${plan.directive.issued}T09:00:00+07:00`);
    const offset = yearStart - (await env.currentTimeMs());
    log('bundling workflows…');
    const channels = { email: fileEmailChannel(mailDir) };
    const delivery = startDelivery({ pool, channels });
    const worker = await createWorker({
      connection: env.nativeConnection,
      taskQueue,
      activities: profiled(createActivities({ pool, channels, delivery })),
      workflowBundle: await bundleWorkflows(),
    });
    const t0 = performance.now();
    const ids = plannedInstances(plan).map((p) => p.workflowId);
    const budgetMs = setting(process.env, 'BENCH_YEAR_BUDGET_S') * 1000;
    let timedOut = false;
    let virtualEnd = 0;
    const businessNow = async () => (await env.currentTimeMs()) + offset;
    let activity: YearActivity = { submitted: 0, accepted: 0, events: 0, eventInstances: [], wallSeconds: 0 };
    await worker.runUntil(async () => {
      await deploy(plan, { client: env.client, pool, clockOffsetMs: offset, taskQueue });
      log(`${ids.length} instances deployed; skipping a year…`);
      // Weekly steps so progress shows and the budget is checked.
      const end = yearStart + 365 * 86_400_000;
      for (let week = 0; (await businessNow()) < end; week++) {
        if (performance.now() - t0 > budgetMs) {
          timedOut = true;
          break;
        }
        await env.sleep(Math.min(7 * 86_400_000, end - (await businessNow())));
        if (week === 1) {
          activity = await act(env.client, pool, plan, { businessNow: await businessNow(), offset, taskQueue }, SUBMISSIONS, evidenceDir);
          log(`${activity.submitted} submissions, ${activity.accepted} accepted, ${activity.events} event (${activity.eventInstances.length} instances) in ${activity.wallSeconds.toFixed(1)} s`);
        }
        if (week % 8 === 0) log(`virtual ${new Date(await businessNow()).toISOString().slice(0, 10)}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
      virtualEnd = await businessNow();
    });
    // The year is done when its mail is out.
    await delivery.idle();
    await delivery.stop();
    if (setting(process.env, 'BENCH_PROFILE')) for (const [name, p] of profile) log(`${name}: ${p.calls} calls, ${(p.ms / p.calls).toFixed(1)} ms avg`);
    const wallSeconds = (performance.now() - t0) / 1000;
    const virtualDays = timedOut ? Math.max(1, (virtualEnd - yearStart) / 86_400_000) : 365;
    if (timedOut) log(`budget of ${budgetMs / 1000} s reached after ${virtualDays.toFixed(0)} virtual days`);
    const mail = await pool.query<{ per_notice: number; sent: number }>(
      `SELECT count(*) FILTER (WHERE idempotency_key NOT LIKE 'letter:%')::int AS per_notice,
              count(*) FILTER (WHERE sent_at IS NOT NULL AND letter_key IS NULL)::int AS sent
         FROM outbox WHERE channel = 'email'`,
    );
    const busiest = async (lettersOnly: boolean): Promise<number> =>
      (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox
            WHERE channel = 'email' AND sent_at IS NOT NULL AND letter_key IS NULL
              AND (NOT $1::boolean OR idempotency_key LIKE 'letter:%')
            GROUP BY payload->>'address', date_trunc('day', (payload->>'at')::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')
            ORDER BY n DESC LIMIT 1`,
          [lettersOnly],
        )
      ).rows[0]?.n ?? 0;
    let events = 0;
    let runs = 0;
    const statuses: Record<string, number> = {};
    const broken: string[] = [];
    for (const id of [...ids, ...activity.eventInstances, postboxWorkflowId(plan.directive.id)]) {
      const h = await historyEvents(env.client, id);
      statuses[h.status] = (statuses[h.status] ?? 0) + 1;
      if (BROKEN.has(h.status)) broken.push(`${id}: ${h.status}`);
      if (!ids.includes(id)) continue;
      events += h.events;
      runs += h.runs;
    }
    return {
      database: db.kind,
      instances: ids.length,
      virtualDays,
      wallSeconds,
      yearSeconds: (wallSeconds * 365) / virtualDays,
      eventsPerInstanceYear: ((events / Math.max(1, ids.length)) * 365) / virtualDays,
      runs,
      emailsPerInstance: (mail.rows[0]?.sent ?? 0) / Math.max(1, ids.length),
      noticeEmailsPerInstance: (mail.rows[0]?.per_notice ?? 0) / Math.max(1, ids.length),
      maxLettersPerAddressDay: await busiest(true),
      maxEmailsPerAddressDay: await busiest(false),
      activity,
      statuses,
      broken,
    };
  } finally {
    await env.teardown().catch(() => undefined);
    await db.stop().catch(() => undefined);
    rmSync(mailDir, { recursive: true, force: true });
    rmSync(evidenceDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchYear((s) => console.error(s));
  console.log(JSON.stringify(r));
  if (r.broken.length > 0) process.exitCode = 1;
}
