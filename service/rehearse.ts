/**
 * Diễn tập một chỉ thị trước khi triển khai: chạy chính mã workflow và các activity thật trên máy
 * chủ Temporal thử nghiệm tua nhanh thời gian, với cơ sở dữ liệu dùng một lần, rồi đọc lại mọi
 * thông báo đã gửi (ai nhận, lúc nào, loại gì, về nghĩa vụ và đơn vị nào) và mọi thư điện tử.
 * Rehearses a directive before it is deployed: the same workflow code and the real activities run on
 * the time-skipping Temporal test server, with a throwaway database, and every notice sent (who
 * receives it, when, what kind, about which duty and unit) and every e-mail are read back.
 *
 * Không có gì ra khỏi máy: kênh thư điện tử chỉ ghi lại thư trong bộ nhớ.
 * Nothing leaves the machine: the e-mail channel only keeps the messages in memory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type pg from 'pg';
import { createActivities, IDEMPOTENCY_HEADER, migrate, startDelivery, temporalPostboxes, type EmailChannel, type EmailMessage, type Postboxes } from '../activities/index.js';
import type { RuntimeActivities } from '../workflows/types.js';
import { listInstances, rehearsedEmails, rehearsedNotices, type InstanceRow, type RehearsedEmailRow, type RehearsedNoticeRow } from '../activities/store/index.js';
import { addDurationToInstant, endOfDay, workingDaysOf } from '../compiler/calendar/index.js';
import type { IsoDate, IsoInstant, Plan, PlanObligation } from '../compiler/plan.js';
import type { Bilingual } from '../common/cli-spec.js';
import { DEFAULT_TASK_QUEUE } from '../common/config.js';
import { UserError } from '../common/errors.js';
import { startBenchPostgres, type BenchPostgres } from './throwaway-postgres.js';
import { bundleWorkflows, createWorker } from '../worker/index.js';
import { loadSimulatedWorkflows } from '../worker/simulation/bundle.js';
import { SimulatedTemporal } from '../worker/simulation/engine.js';
import { mapLimit } from './concurrency.js';
import { deploy } from './deploy.js';
import { startTimeSkipping, toolPath } from './local-temporal.js';
import { sampleValue, type EvidenceInput } from './evidence.js';
import { review } from './review.js';
import { submit } from './submit.js';

/** How the units behave in a rehearsal. */
export const ASSUMPTIONS = ['silent', 'on-time', 'late'] as const;
export type Assumption = (typeof ASSUMPTIONS)[number];

/** An on-time unit submits this many days before the due date (at once when a cycle opens closer to it). */
export const ON_TIME_DAYS_BEFORE = 3;
/** A late unit submits this many days after the due date. */
export const LATE_DAYS_AFTER = 7;
/** The deployment's local time on `from`: an office deploys in working hours. */
export const DEPLOY_AT = '09:00';

/** What runs the workflows (see Machine below). */
export const ENGINES = ['simulation', 'temporal'] as const;
export type RehearsalEngine = (typeof ENGINES)[number];

export interface RehearseOptions {
  /** Default: the simulation. */
  engine?: RehearsalEngine;
  /** First day (business time), deployed at DEPLOY_AT local time. */
  from: IsoDate;
  /** Last day, included: the rehearsal runs to its end (24:00 local time). */
  to: IsoDate;
  assume: Assumption;
  /** Folder of working-day calendars (CHITHI_CALENDAR_DIR); default: the compiler's. */
  calendarDir?: string;
  /** Progress lines (stderr on the CLI). */
  log?: (text: Bilingual) => void;
}

/** One notice to one recipient, as its in-app inbox gets it. */
export interface RehearsedNotice {
  /** The notice's own time. */
  at: IsoInstant;
  recipient: string;
  kind: string;
  obligation?: string;
  clause?: string;
  /** The unit whose duty it is about. */
  unit?: string;
  cycle?: number;
  due?: IsoDate;
  /**
   * The e-mail that carries it: `at` when it leaves (at once, or in `letter`), or `heldUntil`, a
   * letter due after the rehearsal ends. Absent: the recipient has no address (inbox only).
   */
  email?: { at?: IsoInstant; letter?: string; heldUntil?: IsoInstant };
  /** The notice's key (the same for each of its recipients). */
  key: string;
}

/** One e-mail that left: a letter gathering notices, or a notice sent at once. */
export interface RehearsedEmail {
  at: IsoInstant;
  recipient: string;
  address: string;
  subject: string;
  letter: boolean;
  notices: number;
  key: string;
}

/** What the units did (per --assume), through the same service functions as `chithi submit|review`. */
export interface RehearsalActions {
  submitted: number;
  accepted: number;
}

export interface Rehearsal {
  directive: { id: string; number: string; timezone: string; calendar: string };
  from: IsoDate;
  to: IsoDate;
  assume: Assumption;
  engine: RehearsalEngine;
  /** Instances deployed (event duties start only when an event is reported: none is, in a rehearsal). */
  instances: number;
  notices: RehearsedNotice[];
  emails: RehearsedEmail[];
  actions: RehearsalActions;
  /** Wall time of the whole rehearsal, seconds. */
  seconds: number;
}

/**
 * Nhật ký của Temporal SDK không có gì cho người diễn tập đọc: tắt đi (một lần mỗi tiến trình, trước
 * worker đầu tiên; nếu đã có Runtime, ví dụ trong bộ kiểm thử, thì giữ nguyên).
 * The Temporal SDK's log says nothing a rehearsing author can act on: silenced (once per process,
 * before the first worker; a Runtime already installed, e.g. in a test run, is left as it is).
 */
function quietRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('ERROR', () => undefined),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
    });
  } catch {
    // Installed already.
  }
}

/** The time-skipping test server's binary, installed by `npm run setup` (scripts/setup.mjs). */
function testServerPath(): string {
  try {
    return toolPath('testServer');
  } catch {
    // toolPath() says it in English only; the user's language is wanted here.
    throw new UserError({
      vi: 'Chưa cài máy chủ Temporal thử nghiệm (tua nhanh thời gian) mà buổi diễn tập cần: chạy `npm run setup`.',
      en: 'The time-skipping Temporal test server a rehearsal needs is not installed: run `npm run setup`.',
    });
  }
}

/** Evidence that satisfies an obligation, as a unit gives it on the CLI (files written to `dir`). */
function evidenceFor(o: PlanObligation, dir: string): EvidenceInput {
  const input: EvidenceInput = { files: [], fields: [] };
  for (const r of o.evidence) {
    if (r.kind === 'document') {
      const path = join(dir, `${o.id}-${r.name}.pdf`);
      writeFileSync(path, `%PDF-1.4 ${o.id} ${r.name} (diễn tập / rehearsal)\n`);
      input.files.push(`${r.name}=${path}`);
    } else input.fields.push([r.name, sampleValue(r)]);
  }
  return input;
}

/** Polls the projection until `count` instances have their row. */
async function projected(pool: pg.Pool, directiveId: string, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await listInstances(pool, directiveId)).length < count) {
    if (Date.now() > deadline) throw stalled({ vi: `chưa đủ ${count} phiên khởi động sau 120 giây`, en: `fewer than ${count} instances started after 120 s` });
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Bundling the workflow code takes seconds (webpack): once per process, so a second rehearsal in
 * it (the tests) does not pay again.
 */
let bundle: ReturnType<typeof bundleWorkflows> | undefined;
function workflowBundle(): ReturnType<typeof bundleWorkflows> {
  bundle ??= bundleWorkflows().catch((err: unknown) => {
    bundle = undefined;
    throw err;
  });
  return bundle;
}

/**
 * Polls the projection until every instance has taken its submission (`awaiting-review`), or its
 * review (out of it): the worker writes the row after the step the signal woke.
 */
async function waitStatus(pool: pg.Pool, directiveId: string, workflowIds: string[], reviewed: boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const rows = await listInstances(pool, directiveId, { status: 'awaiting-review' });
    const awaiting = new Set(rows.map((r) => r.workflowId));
    if (workflowIds.every((id) => awaiting.has(id) !== reviewed)) return;
    if (Date.now() > deadline) {
      throw stalled(reviewed ? { vi: 'các quyết định duyệt chưa tới phiên sau 60 giây', en: 'reviews not taken after 60 s' } : { vi: 'minh chứng đã nộp chưa tới phiên sau 60 giây', en: 'submissions not taken after 60 s' });
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The units' day: per --assume, the open duties whose time has come are submitted and accepted,
 * through service/submit.ts and service/review.ts as `chithi submit` and `chithi review accept`.
 */
async function act(plan: Plan, today: IsoDate, assume: Assumption, deps: { client: Client; pool: pg.Pool }, dir: string, done: RehearsalActions): Promise<void> {
  if (assume === 'silent') return;
  const day = DateTime.fromISO(today);
  const rows = await listInstances(deps.pool, plan.directive.id, { status: ['in-progress', 'overdue'] });
  const due = rows.filter((r) => {
    if (r.due === undefined) return false;
    const d = DateTime.fromISO(r.due);
    return assume === 'on-time' ? d.minus({ days: ON_TIME_DAYS_BEFORE }) <= day : d.plus({ days: LATE_DAYS_AFTER }) <= day;
  });
  if (due.length === 0) return;
  const obligations = new Map(plan.obligations.map((o) => [o.id, o]));
  const ref = (r: InstanceRow) => ({ directive: plan.directive.id, obligation: r.obligationId, unit: r.unitId, ...(r.eventId !== undefined && { event: r.eventId }) });
  // A unit head's own submission needs no second approval (`submissionApproval: unit-head`).
  await mapLimit(due, 8, (r) => submit({ ...ref(r), ...evidenceFor(obligations.get(r.obligationId)!, dir), cwd: dir, byUnitHead: true }, deps));
  done.submitted += due.length;
  const ids = due.map((r) => r.workflowId);
  await waitStatus(deps.pool, plan.directive.id, ids, false);
  await mapLimit(due, 8, (r) => review({ ...ref(r), decision: 'accept' }, deps));
  done.accepted += due.length;
  await waitStatus(deps.pool, plan.directive.id, ids, true);
}

/** A failure to start the machinery (database, test server, bundler): one line the author can report. */
async function couldNotStartUnless<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if (err instanceof UserError) throw err;
    const why = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new UserError({ vi: `Không khởi động được buổi diễn tập: ${why}`, en: `The rehearsal could not start: ${why}` }, 1, { cause: err, problem: 'unavailable' });
  }
}

/** The rehearsal waited too long for the workflows: the machine, or PGlite with a large directive. */
function stalled(what: Bilingual): UserError {
  return new UserError(
    {
      vi: `Buổi diễn tập dừng lại: ${what.vi}. Máy quá tải, hoặc chỉ thị lớn chạy trên PGlite nhúng: cài PostgreSQL (hoặc đặt PG_BINDIR) rồi chạy lại.`,
      en: `The rehearsal stalled: ${what.en}. The machine is overloaded, or a large directive ran on the embedded PGlite: install PostgreSQL (or set PG_BINDIR) and run it again.`,
    },
    1,
    { problem: 'unavailable' },
  );
}

/** The business instant of a local date-time in the directive's timezone. */
function localMs(date: IsoDate, time: string, tz: string): number {
  return DateTime.fromISO(`${date}T${time}`, { zone: tz }).toMillis();
}

/**
 * Một bộ máy chạy buổi diễn tập: Temporal mô phỏng trong tiến trình (mặc định), hay máy chủ thử
 * nghiệm tua nhanh thời gian với worker của SDK (`--engine temporal`, để đối chiếu).
 * What runs the rehearsal's workflows: the in-process simulated Temporal (the default), or the
 * time-skipping test server with the SDK's worker (`--engine temporal`, to cross-check). Both run
 * the same workflow source and the same activities; test/scenarios/rehearse-engines.test.ts shows
 * they give the same notices and e-mails.
 */
interface Machine {
  client: Client;
  /** The server clock (ms). */
  now(): Promise<number>;
  sleep(ms: number): Promise<void>;
  /** Runs the rehearsal's own steps while the workflows run; fails with the first fault of theirs. */
  run(fn: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

async function temporalMachine(testServer: string, activities: (postboxes?: Postboxes) => RuntimeActivities): Promise<Machine> {
  quietRuntime();
  let env: TestWorkflowEnvironment | undefined;
  try {
    env = await startTimeSkipping(testServer);
    const testEnv = env;
    const worker = await createWorker({
      connection: testEnv.nativeConnection,
      taskQueue: DEFAULT_TASK_QUEUE,
      activities: activities(),
      workflowBundle: await workflowBundle(),
      shutdownGraceSeconds: 1,
    });
    return {
      client: testEnv.client,
      now: () => testEnv.currentTimeMs(),
      sleep: (ms) => testEnv.sleep(ms),
      run: (fn) => worker.runUntil(fn),
      stop: () => testEnv.teardown(),
    };
  } catch (err) {
    await env?.teardown().catch(() => undefined);
    throw err;
  }
}

async function simulatedMachine(startMs: number, activities: (postboxes?: Postboxes) => RuntimeActivities): Promise<Machine> {
  const workflows = await loadSimulatedWorkflows();
  // recordStep announces letter times to the postbox workflow through the engine's own client.
  const engine = new SimulatedTemporal({ workflows, activities: (client) => activities(temporalPostboxes({ client, taskQueue: DEFAULT_TASK_QUEUE })), startMs });
  return {
    client: engine.client,
    now: () => engine.currentTimeMs(),
    sleep: (ms) => engine.sleep(ms),
    run: (fn) => engine.run(fn),
    stop: async () => undefined,
  };
}

/** Runs the rehearsal; see the file comment. */
export async function rehearse(plan: Plan, opts: RehearseOptions): Promise<Rehearsal> {
  const t0 = performance.now();
  const log = opts.log ?? (() => undefined);
  const tz = plan.directive.timezone;
  const engine = opts.engine ?? 'simulation';
  // Before the database starts: a missing test server is the author's to fix (npm run setup).
  const testServer = engine === 'temporal' ? testServerPath() : undefined;
  const start = localMs(opts.from, DEPLOY_AT, tz);
  const end = DateTime.fromISO(opts.to, { zone: tz }).plus({ days: 1 }).startOf('day').toMillis();
  // What a mail relay would have received: the e-mails listed are these, nothing leaves the process.
  const sent = new Set<string>();
  const email: EmailChannel = { send: async (m: EmailMessage) => void sent.add(m.headers?.[IDEMPOTENCY_HEADER] ?? m.messageId) };
  const channels = { email };
  log(
    engine === 'temporal'
      ? { vi: 'khởi động cơ sở dữ liệu tạm và máy chủ Temporal thử nghiệm…', en: 'starting a throwaway database and the Temporal test server…' }
      : { vi: 'khởi động cơ sở dữ liệu tạm…', en: 'starting a throwaway database…' },
  );
  const dir = mkdtempSync(join(tmpdir(), 'chithi-rehearsal-'));
  let db: BenchPostgres | undefined;
  let machine: Machine | undefined;
  try {
    const { pool, delivery } = await couldNotStartUnless(async () => {
      // The benchmarks' throwaway server: the machine's PostgreSQL binaries (initdb into a temporary
      // folder, no fsync) when there are any, else the embedded PGlite. PGlite serves one connection
      // at a time; on the time-skipping server the Hanoi seed's 515 first steps then wait on it
      // longer than a workflow task may take (seen: "Workflow task duration exceeded", then no
      // progress), so with `--engine temporal` it suits small directives only.
      db = await startBenchPostgres();
      await migrate(db.pool);
      return { pool: db.pool, delivery: startDelivery({ pool: db.pool, channels, log: () => undefined }) };
    });
    const activities = (postboxes?: Postboxes) =>
      createActivities({ pool, channels, delivery, ...(postboxes && { postboxes }), ...(opts.calendarDir !== undefined && { calendarDir: opts.calendarDir }) });
    machine = await couldNotStartUnless(() => (testServer !== undefined ? temporalMachine(testServer, activities) : simulatedMachine(start, activities)));
    const m = machine;
    const offset = start - (await m.now());
    const businessNow = async () => (await m.now()) + offset;
    const actions: RehearsalActions = { submitted: 0, accepted: 0 };
    let instances = 0;
    await m.run(async () => {
      const deps = { client: m.client, pool };
      const r = await deploy(plan, { ...deps, clockOffsetMs: offset, taskQueue: DEFAULT_TASK_QUEUE });
      instances = r.started;
      // Each instance writes its projection row in its first step: the units' first day needs them all.
      await projected(pool, plan.directive.id, r.started);
      log({ vi: `đã triển khai ${r.started} phiên; tua thời gian tới ${opts.to}…`, en: `${r.started} instances deployed; skipping time to ${opts.to}…` });
      // Silent units need no look each day: a week at a time, so progress shows.
      const stepDays = opts.assume === 'silent' ? 7 : 1;
      let lastMonth = '';
      for (;;) {
        const now = await businessNow();
        if (now >= end) break;
        const today = DateTime.fromMillis(now, { zone: tz }).toISODate()!;
        await act(plan, today, opts.assume, deps, dir, actions);
        const month = today.slice(0, 7);
        if (month !== lastMonth) {
          lastMonth = month;
          log({ vi: `tháng ${month.slice(5)}/${month.slice(0, 4)}`, en: `month ${month}` });
        }
        await m.sleep(Math.min(stepDays * 86_400_000, end - now));
      }
    });
    await delivery.idle();
    await delivery.stop();
    const clauses = new Map(plan.obligations.map((o) => [o.id, o.clause]));
    // The rehearsal ends at 24:00 of its last day; what its workflows did at that instant belongs
    // to the next day. On the time-skipping server the last sleep fires the timers due at the end
    // too, and whether the worker took them before it stopped was a race (CI saw a due date's
    // escalation and overdue notices at 00:00 of the day after, which the simulation leaves out).
    const before = new Date(end);
    const notices = (await rehearsedNotices(pool, plan.directive.id, before)).map((n) => toNotice(n, clauses));
    const emails = (await rehearsedEmails(pool, plan.directive.id, before)).filter((e) => sent.has(e.key)).map(toEmail);
    return {
      directive: { id: plan.directive.id, number: plan.directive.number, timezone: tz, calendar: plan.directive.calendar.id },
      from: opts.from,
      to: opts.to,
      assume: opts.assume,
      engine,
      instances,
      notices,
      emails,
      actions,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await machine?.stop().catch(() => undefined);
    await db?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function toNotice(n: RehearsedNoticeRow, clauses: Map<string, string>): RehearsedNotice {
  const clause = n.obligationId !== undefined ? clauses.get(n.obligationId) : undefined;
  return {
    at: n.at,
    recipient: n.recipient,
    kind: n.kind,
    ...(n.obligationId !== undefined && { obligation: n.obligationId }),
    ...(clause !== undefined && { clause }),
    // A notice no workflow issued (a submission awaiting approval) is about the recipient's own duty.
    unit: n.unitId ?? n.recipient,
    ...(n.cycle !== undefined && { cycle: n.cycle }),
    ...(n.due !== undefined && { due: n.due }),
    ...(n.email && { email: n.email }),
    key: n.noticeKey,
  };
}

function toEmail(e: RehearsedEmailRow): RehearsedEmail {
  return { at: e.at, recipient: e.recipient, address: e.address, subject: e.subject, letter: e.letter, notices: e.notices, key: e.key };
}

/**
 * The default end of a rehearsal: a year after `from`, or later when an escalation window ends after
 * that (a due date plus the last escalation step, a week to spare for its letters): any deadline's,
 * and the first cycle's of a recurring or ongoing duty first due within the year (an annual duty
 * due on the anniversary is escalated after it).
 */
export function defaultEnd(plan: Plan, from: IsoDate): IsoDate {
  const tz = plan.directive.timezone;
  const year = DateTime.fromISO(from).plus({ years: 1 }).toISODate()!;
  let end = year;
  for (const o of plan.obligations) {
    const due = o.kind === 'deadline' ? o.effectiveDue : o.kind !== 'event' && o.firstDue <= year ? o.firstDue : undefined;
    if (due === undefined) continue;
    const after = o.escalation.at(-1)?.after;
    // Working days (1.1, `P3WD`) are not ISO: as calendar days, a bound (weekends and a Tết's worth of holidays).
    const wd = after === undefined ? undefined : workingDaysOf(after);
    const last = wd === undefined ? after : `P${Math.ceil((wd * 7) / 5) + 10}D`;
    const at = last ? addDurationToInstant(endOfDay(due, tz), last, tz) : endOfDay(due, tz);
    const day = DateTime.fromISO(at, { setZone: true }).setZone(tz).plus({ days: 7 }).toISODate()!;
    if (day > end) end = day;
  }
  return end;
}

/**
 * Chỉ những gì gửi tới hoặc nói về một đơn vị: thông báo nó nhận, thông báo về nhiệm vụ của nó (gửi
 * cơ quan điều phối, lãnh đạo…), và những thư điện tử mang chúng.
 * Only what is sent to or about one unit: the notices it receives, the notices about its duties
 * (sent to the coordinator, leadership…), and the e-mails that carry them.
 */
export function forUnit(r: Rehearsal, unit: string): Rehearsal {
  const notices = r.notices.filter((n) => n.recipient === unit || n.unit === unit);
  const carriers = new Set(notices.flatMap((n) => (n.email?.letter ? [n.email.letter] : n.email?.at ? [`${n.key}:email:${n.recipient}`] : [])));
  const emails = r.emails.filter((e) => e.recipient === unit || carriers.has(e.key));
  return { ...r, notices, emails };
}

export interface RehearsalSummary {
  /** Notices and e-mails (letters, and notices sent at once) per recipient and month (`YYYY-MM`, the directive's timezone). */
  perRecipientMonth: { recipient: string; month: string; notices: number; emails: number }[];
  /** The days with the most notices, most first (ties: most e-mails, then the earlier day). */
  busiestDays: { date: IsoDate; notices: number; emails: number; recipients: number }[];
  totals: { notices: number; emails: number; letters: number; recipients: number };
}

/** How many busiest days the summary lists. */
export const BUSIEST_DAYS = 5;

/** The summary of a rehearsal (or of its part about one unit: forUnit). */
export function summarise(r: Rehearsal): RehearsalSummary {
  const tz = r.directive.timezone;
  const local = (at: IsoInstant) => DateTime.fromISO(at, { setZone: true }).setZone(tz).toISODate()!;
  const cells = new Map<string, { recipient: string; month: string; notices: number; emails: number }>();
  const cell = (recipient: string, month: string) => {
    const k = `${recipient}|${month}`;
    let c = cells.get(k);
    if (!c) cells.set(k, (c = { recipient, month, notices: 0, emails: 0 }));
    return c;
  };
  const days = new Map<IsoDate, { date: IsoDate; notices: number; emails: number; recipients: Set<string> }>();
  const day = (date: IsoDate) => {
    let d = days.get(date);
    if (!d) days.set(date, (d = { date, notices: 0, emails: 0, recipients: new Set() }));
    return d;
  };
  for (const n of r.notices) {
    const date = local(n.at);
    cell(n.recipient, date.slice(0, 7)).notices++;
    const d = day(date);
    d.notices++;
    d.recipients.add(n.recipient);
  }
  for (const e of r.emails) {
    const date = local(e.at);
    cell(e.recipient, date.slice(0, 7)).emails++;
    day(date).emails++;
  }
  const perRecipientMonth = [...cells.values()].sort((a, b) => a.recipient.localeCompare(b.recipient) || a.month.localeCompare(b.month));
  const busiestDays = [...days.values()]
    .sort((a, b) => b.notices - a.notices || b.emails - a.emails || a.date.localeCompare(b.date))
    .slice(0, BUSIEST_DAYS)
    .map((d) => ({ date: d.date, notices: d.notices, emails: d.emails, recipients: d.recipients.size }));
  return {
    perRecipientMonth,
    busiestDays,
    totals: {
      notices: r.notices.length,
      emails: r.emails.length,
      letters: r.emails.filter((e) => e.letter).length,
      recipients: new Set([...r.notices.map((n) => n.recipient), ...r.emails.map((e) => e.recipient)]).size,
    },
  };
}
