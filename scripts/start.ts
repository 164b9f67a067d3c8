/**
 * `npm start`: the newcomer's one command. A persisted Temporal dev server, an embedded PostgreSQL
 * (unless DATABASE_URL is set), migrations, a worker in this process, the seed directives deployed
 * as of today; then it waits for Ctrl-C. Restarting resumes: workflows live in .data/temporal.db
 * and deploy is idempotent.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection } from '@temporalio/worker';
import pg from 'pg';
import { channelsFromEnv, createActivities, migrateAsOwner, startDelivery } from '../activities/index.js';
import { compileFile } from '../compiler/index.js';
import { formatDiagnostic } from '../compiler/diagnostics.js';
import type { Plan } from '../compiler/plan.js';
import {
  clientConnectionOptions,
  ConfigError,
  DATA_DIR,
  deliverySettings,
  metricsAddress,
  ENV_FILE,
  envFileContents,
  loadConfig,
  localTemporalSettings,
  nativeConnectionOptions,
  ROOT,
  serverSettings,
  setting,
  wantsRemoteCluster,
  type TemporalSettings,
} from '../common/config.js';
import { explainConnectFailure } from '../common/temporal-errors.js';
import { deploy } from '../service/deploy.js';
import { portInUse, startLocalTemporal, type LocalTemporal } from '../service/local-temporal.js';
import { createAccount, listAccounts } from '../activities/store/accounts.js';
import { ROLE_TEXT, type Role } from '../common/roles.js';
import { hashPassword } from '../server/auth/passwords.js';
import { buildServer } from '../server/app.js';
import { createWorker } from '../worker/index.js';
import { installRuntime, startOutboxGauges } from '../worker/metrics.js';
import { spawnWorkerProcess } from '../worker/spawn.js';
import { DEV_SERVER_SEARCH_ATTRIBUTES } from '../service/search-attributes.js';
import { EMBEDDED_POOL_OPTIONS, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

const argLang = process.argv.indexOf('--lang');
const argEn = process.argv.includes('--lang=en') || (argLang > 0 && process.argv[argLang + 1] === 'en');
let lang: 'vi' | 'en' = argEn ? 'en' : 'vi';
const say = (vi: string, en: string) => console.log(lang === 'vi' ? vi : en);

const EXAMPLE = 'hanoi-3968-2022';

/** Today in Vietnam: the registry is resolved at the date officials see on their calendar. */
function todayInVietnam(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

function seedDirectives(): string[] {
  const dir = join(ROOT, 'directives');
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
    .filter((p) => /^kind:\s*Directive\s*$/m.test(readFileSync(p, 'utf8')))
    // The README's example first: the worker takes tasks roughly in order, so its status fills in soonest.
    .sort((a, b) => Number(!a.includes(EXAMPLE)) - Number(!b.includes(EXAMPLE)) || a.localeCompare(b));
}

const cleanups: (() => Promise<unknown>)[] = [];
let stopping: Promise<void> | undefined;

function stopAll(code: number): Promise<void> {
  stopping ??= (async () => {
    // Reverse order: worker before the services it talks to.
    for (const fn of cleanups.reverse()) await fn().catch((err: unknown) => console.error(err instanceof Error ? err.message : err));
    process.exitCode = code;
  })();
  return stopping;
}

async function main(): Promise<void> {
  // The settings the worker and the CLI read (common/config.ts); a bad one stops here, named.
  const env = process.env;
  const config = loadConfig(env);
  if (!argEn) lang = config.lang;
  const TEMPORAL_PORT = setting(env, 'CHITHI_TEMPORAL_PORT');
  const UI_PORT = setting(env, 'CHITHI_UI_PORT');
  const PG_PORT = setting(env, 'CHITHI_PG_PORT');
  const server = serverSettings(env);
  mkdirSync(DATA_DIR, { recursive: true });
  // Said before anything starts: finding it after the seeds are deployed wastes a minute.
  if (await portInUse(server.port)) {
    throw new Error(
      lang === 'vi'
        ? `Cổng ${server.port} của máy chủ API đang bận (có thể npm start đang chạy ở cửa sổ khác). Dừng nó, hoặc đặt PORT.`
        : `The API server's port ${server.port} is busy (maybe npm start is running in another terminal). Stop it, or set PORT.`,
    );
  }

  // ---- Temporal ----
  // With TEMPORAL_ADDRESS, a real cluster with its TLS and API key, as the worker would reach it;
  // without, a local dev server, which speaks plaintext.
  let temporalSettings: TemporalSettings = config.temporal;
  let temporal: LocalTemporal | undefined;
  if (config.source !== 'env') {
    if (wantsRemoteCluster(env)) {
      throw new ConfigError({
        vi: 'TEMPORAL_TLS*/TEMPORAL_API_KEY đã đặt nhưng TEMPORAL_ADDRESS thì chưa: chúng dành cho một cụm Temporal thật. Đặt TEMPORAL_ADDRESS, hoặc bỏ chúng để chạy máy chủ cục bộ.',
        en: 'TEMPORAL_TLS*/TEMPORAL_API_KEY are set but TEMPORAL_ADDRESS is not: they are for a real Temporal cluster. Set TEMPORAL_ADDRESS, or unset them to run the local server.',
      });
    }
    if (await portInUse(TEMPORAL_PORT)) {
      throw new Error(
        lang === 'vi'
          ? `Cổng ${TEMPORAL_PORT} đang bận (có thể npm start đang chạy ở cửa sổ khác). Dừng nó, hoặc đặt CHITHI_TEMPORAL_PORT.`
          : `Port ${TEMPORAL_PORT} is busy (maybe npm start is running in another terminal). Stop it, or set CHITHI_TEMPORAL_PORT.`,
      );
    }
    const headless = !setting(env, 'CHITHI_UI');
    say('Đang khởi động máy chủ Temporal (.data/temporal.db)…', 'Starting the Temporal server (.data/temporal.db)…');
    temporal = await startLocalTemporal({
      dbFile: join(DATA_DIR, 'temporal.db'),
      port: TEMPORAL_PORT,
      // chithi's search attributes (directive, obligation, unit, status), to filter in the UI.
      searchAttributes: DEV_SERVER_SEARCH_ATTRIBUTES,
      ...(headless ? {} : { uiPort: UI_PORT }),
    });
    const t = temporal;
    cleanups.push(() => t.stop());
    temporalSettings = localTemporalSettings(config.temporal, temporal.address);
  }
  const temporalAddress = temporalSettings.address;
  const { namespace, taskQueue } = temporalSettings;

  // ---- PostgreSQL ----
  let databaseUrl = config.database.url;
  let embedded: EmbeddedPostgres | undefined;
  const workers = setting(env, 'CHITHI_WORKERS');
  if (!databaseUrl && workers > 1) {
    throw new ConfigError({
      vi: `CHITHI_WORKERS=${workers} cần DATABASE_URL: PostgreSQL nhúng chỉ phục vụ một kết nối, một tiến trình.`,
      en: `CHITHI_WORKERS=${workers} needs DATABASE_URL: the embedded PostgreSQL serves one connection, one process.`,
    });
  }
  if (!databaseUrl) {
    if (await portInUse(PG_PORT)) {
      throw new Error(lang === 'vi' ? `Cổng ${PG_PORT} đang bận; đặt CHITHI_PG_PORT.` : `Port ${PG_PORT} is busy; set CHITHI_PG_PORT.`);
    }
    say('Đang khởi động PostgreSQL nhúng (.data/pg)…', 'Starting the embedded PostgreSQL (.data/pg)…');
    embedded = await startEmbeddedPostgres({ dataDir: join(DATA_DIR, 'pg'), port: PG_PORT });
    const e = embedded;
    cleanups.push(() => e.stop());
    databaseUrl = embedded.url;
  }
  // The embedded server takes one connection at a time. Letting go of it after a few idle
  // milliseconds (not the default second) leaves gaps in which `npx chithi` from another
  // terminal gets in; activities refused meanwhile are retried by Temporal.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    ...(embedded ? { ...EMBEDDED_POOL_OPTIONS, idleTimeoutMillis: 20 } : config.database.poolMax !== undefined ? { max: config.database.poolMax } : {}),
  });
  pool.on('error', () => undefined);
  cleanups.push(() => pool.end());
  // The embedded server has one superuser: no owner to tell apart from the application there.
  await migrateAsOwner(pool, embedded ? undefined : config.database.ownerUrl);

  // Lets `npx chithi …` in another terminal find these services (and the same task queue and TLS
  // files) without any setup. Secrets stay in the user's environment: an API key is not saved, nor
  // an external DATABASE_URL, which may carry a password.
  const saved = envFileContents(
    { ...env, TEMPORAL_ADDRESS: temporalAddress, CHITHI_API_URL: server.publicUrl, ...(embedded ? { DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: '1' } : {}) },
    { embeddedDatabase: embedded !== undefined },
  );
  writeFileSync(ENV_FILE, JSON.stringify(saved, null, 2) + '\n');
  cleanups.push(async () => rmSync(ENV_FILE, { force: true }));

  // ---- worker ----
  // The SDK logs every state change at INFO; a newcomer's terminal should show only problems.
  // On the embedded PostgreSQL (one connection, held by each deploy for its whole length: issue 8)
  // the worker's first steps wait for the deploy, and core warns "Workflow task duration exceeded 5
  // seconds" (TMPRL1104) about a dozen times per fresh start: expected there, and counted into one
  // line instead of a screenful. On a busy machine a step can also outlast its task's timeout: core
  // then warns that the late step's completion found no task ("Task not found when completing",
  // "Tried to complete untracked local activity") and the server runs the step again, as designed:
  // the same slowness, counted with it (~60 lines seen on a fresh start beside a benchmark). Core's
  // logs are forwarded to this logger so they can be; with a real PostgreSQL every warning is shown.
  const level = setting(env, 'CHITHI_LOG_LEVEL') === 'info' ? 'INFO' : 'WARN';
  const quietSlowTasks = embedded !== undefined;
  let slowTasks = 0;
  const metrics = metricsAddress(env);
  installRuntime({
    ...(metrics ? { metricsAddress: metrics } : {}),
    logger: new DefaultLogger(level, (entry) => {
      if (quietSlowTasks && (entry.message.includes('TMPRL1104') || entry.message === 'Task not found when completing' || entry.message === 'Tried to complete untracked local activity')) {
        slowTasks++;
        return;
      }
      const at = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
      process.stderr.write(`${at} [${entry.level}] ${entry.message}${entry.meta === undefined ? '' : ` ${inspect(entry.meta, { breakLength: Infinity })}`}\n`);
    }),
    logging: { filter: { core: level, other: 'ERROR' }, forward: {} },
  });
  const channels = channelsFromEnv(env);
  const delivery = startDelivery({ pool, channels, ...deliverySettings(env) });
  cleanups.push(() => delivery.stop());
  if (metrics) {
    const stopGauges = startOutboxGauges(pool);
    cleanups.push(async () => stopGauges());
  }
  const nativeConnection = await NativeConnection.connect(nativeConnectionOptions(temporalSettings)).catch(async (err: unknown) => {
    throw await explainConnectFailure(temporalSettings, err);
  });
  const maxCachedWorkflows = setting(env, 'CHITHI_MAX_CACHED_WORKFLOWS');
  const worker = await createWorker({
    connection: nativeConnection,
    namespace,
    taskQueue,
    activities: createActivities({ pool, channels, delivery }),
    ...(maxCachedWorkflows !== undefined && { maxCachedWorkflows }),
  });
  const running = worker.run();
  cleanups.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await nativeConnection.close();
  });
  // The second and later workers: processes of their own on the same task queue and database,
  // each with its outbox dispatcher (rows are claimed, so each notice goes once) and, with
  // CHITHI_METRICS_ADDRESS, the next metrics port.
  for (let i = 1; i < workers; i++) {
    const extra = metricsAddress(env, i);
    const w = spawnWorkerProcess(
      { ...env, TEMPORAL_ADDRESS: temporalAddress, DATABASE_URL: databaseUrl, ...(extra ? { CHITHI_METRICS_ADDRESS: extra } : {}) },
      { log: (line) => process.stderr.write(`[worker ${i + 1}] ${line}\n`) },
    );
    cleanups.push(() => w.stop());
  }

  // ---- seed directives ----
  const connection = await Connection.connect(clientConnectionOptions(temporalSettings)).catch(async (err: unknown) => {
    throw await explainConnectFailure(temporalSettings, err);
  });
  cleanups.push(() => connection.close());
  const client = new Client({ connection, namespace });
  const api = await buildServer({ pool, client, config: { ...config, temporal: temporalSettings }, settings: server }, { logger: { level: 'warn' } });
  await api.listen({ host: server.host, port: server.port });
  cleanups.push(() => api.close());
  say(`Máy chủ API: ${server.publicUrl} (tài liệu API: ${server.publicUrl}/api/v1/openapi.json)`, `API server: ${server.publicUrl} (API document: ${server.publicUrl}/api/v1/openapi.json)`);
  const asOf = todayInVietnam();
  const deployed: string[] = [];
  const plans = new Map<string, Plan>();
  for (const file of seedDirectives()) {
    const compiled = await compileFile(file, { asOf });
    for (const d of compiled.diagnostics) if (d.severity === 'error' || !compiled.ok) console.error(formatDiagnostic(d, lang));
    if (!compiled.ok) {
      say(`Bỏ qua ${file}: có lỗi.`, `Skipping ${file}: it has errors.`);
      continue;
    }
    const d = compiled.plan.directive;
    const r = await deploy(compiled.plan, { client, pool, taskQueue, by: 'npm-start' });
    deployed.push(d.id);
    plans.set(d.id, compiled.plan);
    if (r.alreadyDeployed) say(`  ${d.id} (${d.number}): đã triển khai, ${r.total} phiên`, `  ${d.id} (${d.number}): already deployed, ${r.total} instances`);
    else
      say(
        `  ${d.id} (${d.number}): khởi động ${r.started}, điều chỉnh ${r.amended}, thu hồi ${r.withdrawn}, giữ nguyên ${r.unchanged}`,
        `  ${d.id} (${d.number}): started ${r.started}, amended ${r.amended}, withdrawn ${r.withdrawn}, unchanged ${r.unchanged}`,
      );
  }

  if (slowTasks > 0) {
    say(
      `  (${slowTasks} cảnh báo của worker về bước phải chờ lâu trong lúc triển khai (quá 5 giây, hoặc quá hạn rồi được chạy lại): PostgreSQL nhúng phục vụ từng kết nối một; không ảnh hưởng gì)`,
      `  (${slowTasks} worker warnings about steps that waited while the seeds deployed (over 5 s, or past their timeout and run again): the embedded PostgreSQL serves one connection at a time; harmless)`,
    );
  }
  const example = deployed.includes(EXAMPLE) ? EXAMPLE : (deployed[0] ?? '<id>');
  const examplePlan = plans.get(example);
  const demo = examplePlan && setting(env, 'CHITHI_DEMO_ACCOUNTS') ? await createDemoAccounts(pool, examplePlan, setting(env, 'CHITHI_DEMO_PASSWORD')) : [];
  const mail = env.SMTP_URL ? 'SMTP' : '.data/mail/';
  const portal = `${server.publicUrl}/dang-nhap`;
  console.log('');
  say(
    `chithi đang chạy (ngày tra cứu ${asOf}). Temporal: ${temporalAddress}${temporal?.uiUrl ? `, giao diện: ${temporal.uiUrl}` : ''}; PostgreSQL: ${embedded ? 'nhúng, .data/pg' : 'DATABASE_URL'}; thư: hộp thư + ${mail}.
Cổng thông tin: ${portal}  (API: ${server.publicUrl}/api/v1/openapi.json)`,
    `chithi is running (registry as of ${asOf}). Temporal: ${temporalAddress}${temporal?.uiUrl ? `, UI: ${temporal.uiUrl}` : ''}; PostgreSQL: ${embedded ? 'embedded, .data/pg' : 'DATABASE_URL'}; mail: inbox + ${mail}.
Portal: ${portal}  (API: ${server.publicUrl}/api/v1/openapi.json)`,
  );
  if (workers > 1 || metrics) {
    const where = metrics ? `; Prometheus: http://${metrics}/metrics${workers > 1 ? ` …` : ''}` : '';
    say(`Worker: ${workers} tiến trình trên hàng đợi ${taskQueue}${where}`, `Workers: ${workers} processes on task queue ${taskQueue}${where}`);
  }
  if (demo.length > 0) {
    const width = Math.max(...demo.map((d) => d.login.length));
    const rows = demo.map((d) => `  ${d.login.padEnd(width)}  ${d.password}  ${ROLE_TEXT[d.role].name[lang]} (${d.unit})`).join('\n');
    say(
      `Tài khoản thử, mỗi vai trò một tài khoản (mật khẩu chỉ in lần này; đổi bằng CHITHI_DEMO_PASSWORD, tắt bằng CHITHI_DEMO_ACCOUNTS=0):\n${rows}`,
      `Demo accounts, one per role (passwords are printed this once; set CHITHI_DEMO_PASSWORD to choose one, CHITHI_DEMO_ACCOUNTS=0 for none):\n${rows}`,
    );
  }
  say(
    `Ở cửa sổ khác, đăng nhập CLI bằng một tài khoản (hoặc tạo tài khoản: npx chithi users add … --help):
  npx chithi login
  npx chithi status ${example}
  npx chithi inbox
Nhấn Ctrl-C để dừng (dữ liệu được giữ; chạy lại npm start để tiếp tục).`,
    `In another terminal, sign the CLI in with an account (or create one: npx chithi users add --help):
  npx chithi login --lang en
  npx chithi status ${example} --lang en
  npx chithi inbox --lang en
Press Ctrl-C to stop (data is kept; run npm start again to resume).`,
  );
  await running;
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    // npm forwards the terminal's signal too: the second one must not start a second shutdown.
    if (stopping) return;
    say('\nĐang dừng…', '\nStopping…');
    void stopAll(0).then(() => process.exit());
  });
}

main().then(
  () => stopAll(0),
  async (err: unknown) => {
    console.error(`chithi start: ${err instanceof ConfigError ? err.text[lang] : err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
    process.exit();
  },
);

interface DemoAccount {
  login: string;
  password: string;
  role: Role;
  unit: string;
}

/**
 * One account per role on the example directive's units, so a newcomer can open the portal as each
 * kind of person at once; only when no account exists yet (a real deployment has its own), and the
 * generated passwords are printed this once and never stored in clear.
 */
async function createDemoAccounts(pool: pg.Pool, plan: Plan, password: string | undefined): Promise<DemoAccount[]> {
  if ((await listAccounts(pool)).length > 0) return [];
  const coordinator = plan.roles.coordinator ?? plan.obligations[0]?.reviewer ?? plan.directive.issuer;
  // An assignee with tasks that is not the coordinator: its officer and head have work to see.
  const officerUnit = plan.obligations.flatMap((o) => o.assignees).find((u) => u !== coordinator) ?? coordinator;
  const leadership = plan.roles.leadership ?? plan.directive.issuer;
  const wanted: [string, Role, string][] = [
    ['can-bo', 'officer', officerUnit],
    ['truong-don-vi', 'unit-head', officerUnit],
    ['dieu-phoi', 'reviewer', coordinator],
    ['lanh-dao', 'leadership', leadership],
    ['soan-thao', 'author', plan.directive.issuer],
    ['quan-tri', 'admin', plan.directive.issuer],
  ];
  const out: DemoAccount[] = [];
  for (const [login, role, unit] of wanted) {
    const pw = password ?? readablePassword();
    await createAccount(pool, { login, unitId: unit, roles: [role], passwordHash: await hashPassword(pw), createdBy: 'npm-start', displayName: ROLE_TEXT[role].name.vi });
    out.push({ login, password: pw, role, unit });
  }
  return out;
}

/** 12 letters and digits, without look-alikes (0/O, 1/l/I): typed at a prompt by a person (~70 bits). */
function readablePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  // Rejection sampling: bytes at or above 228 (4 × 57) are dropped, so every symbol is equally likely.
  let out = '';
  while (out.length < 12) for (const b of randomBytes(16)) if (b < 228 && out.length < 12) out += alphabet[b % alphabet.length];
  return out;
}
