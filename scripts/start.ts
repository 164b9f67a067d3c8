/**
 * `npm start`: the newcomer's one command. A persisted Temporal dev server, an embedded PostgreSQL
 * (unless DATABASE_URL is set), migrations, a worker in this process, the seed directives deployed
 * as of today; then it waits for Ctrl-C. Restarting resumes: workflows live in .data/temporal.db
 * and deploy is idempotent.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import pg from 'pg';
import { channelsFromEnv, createActivities, migrate, startDelivery } from '../activities/index.js';
import { compileFile } from '../compiler/index.js';
import { formatDiagnostic } from '../compiler/diagnostics.js';
import type { Plan } from '../compiler/plan.js';
import { DATA_DIR, ENV_FILE, ROOT } from '../client/config.js';
import { deploy } from '../client/deploy.js';
import { portInUse, startLocalTemporal, type LocalTemporal } from '../client/local-temporal.js';
import { createWorker } from '../worker/index.js';
import { EMBEDDED_POOL_OPTIONS, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

const argLang = process.argv.indexOf('--lang');
const lang = process.env.CHITHI_LANG === 'en' || process.argv.includes('--lang=en') || (argLang > 0 && process.argv[argLang + 1] === 'en') ? 'en' : 'vi';
const say = (vi: string, en: string) => console.log(lang === 'vi' ? vi : en);

const TEMPORAL_PORT = Number(process.env.CHITHI_TEMPORAL_PORT ?? 7233);
const UI_PORT = Number(process.env.CHITHI_UI_PORT ?? 8233);
const PG_PORT = Number(process.env.CHITHI_PG_PORT ?? 54329);
const NAMESPACE = process.env.TEMPORAL_NAMESPACE ?? 'default';
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
  mkdirSync(DATA_DIR, { recursive: true });

  // ---- Temporal ----
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporal: LocalTemporal | undefined;
  if (!temporalAddress) {
    if (await portInUse(TEMPORAL_PORT)) {
      throw new Error(
        lang === 'vi'
          ? `Cổng ${TEMPORAL_PORT} đang bận (có thể npm start đang chạy ở cửa sổ khác). Dừng nó, hoặc đặt CHITHI_TEMPORAL_PORT.`
          : `Port ${TEMPORAL_PORT} is busy (maybe npm start is running in another terminal). Stop it, or set CHITHI_TEMPORAL_PORT.`,
      );
    }
    const headless = process.env.CHITHI_UI === '0';
    say('Đang khởi động máy chủ Temporal (.data/temporal.db)…', 'Starting the Temporal server (.data/temporal.db)…');
    temporal = await startLocalTemporal({
      dbFile: join(DATA_DIR, 'temporal.db'),
      port: TEMPORAL_PORT,
      ...(headless ? {} : { uiPort: UI_PORT }),
    });
    const t = temporal;
    cleanups.push(() => t.stop());
    temporalAddress = temporal.address;
  }

  // ---- PostgreSQL ----
  let databaseUrl = process.env.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
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
  const pool = new pg.Pool({ connectionString: databaseUrl, ...(embedded ? { ...EMBEDDED_POOL_OPTIONS, idleTimeoutMillis: 20 } : {}) });
  pool.on('error', () => undefined);
  cleanups.push(() => pool.end());
  await migrate(pool);

  // Lets `npx chithi …` in another terminal find these services without any setup.
  writeFileSync(
    ENV_FILE,
    JSON.stringify(
      // An external DATABASE_URL may carry a password: it stays in the user's environment, not on disk.
      { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: NAMESPACE, ...(embedded ? { DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: '1' } : {}) },
      null,
      2,
    ) + '\n',
  );
  cleanups.push(async () => rmSync(ENV_FILE, { force: true }));

  // ---- worker ----
  // The SDK logs every state change at INFO; a newcomer's terminal should show only problems.
  Runtime.install({ logger: new DefaultLogger(process.env.CHITHI_LOG_LEVEL === 'info' ? 'INFO' : 'WARN') });
  const env: Record<string, string | undefined> = { ...process.env, TEMPORAL_ADDRESS: temporalAddress };
  const channels = channelsFromEnv(env);
  const delivery = startDelivery({ pool, channels });
  cleanups.push(() => delivery.stop());
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: NAMESPACE,
    activities: createActivities({ pool, channels, delivery }),
  });
  const running = worker.run();
  cleanups.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await nativeConnection.close();
  });

  // ---- seed directives ----
  const connection = await Connection.connect({ address: temporalAddress });
  cleanups.push(() => connection.close());
  const client = new Client({ connection, namespace: NAMESPACE });
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
    const r = await deploy(compiled.plan, { client, pool, by: 'npm-start' });
    deployed.push(d.id);
    plans.set(d.id, compiled.plan);
    if (r.alreadyDeployed) say(`  ${d.id} (${d.number}): đã triển khai, ${r.total} phiên`, `  ${d.id} (${d.number}): already deployed, ${r.total} instances`);
    else
      say(
        `  ${d.id} (${d.number}): khởi động ${r.started}, điều chỉnh ${r.amended}, thu hồi ${r.withdrawn}, giữ nguyên ${r.unchanged}`,
        `  ${d.id} (${d.number}): started ${r.started}, amended ${r.amended}, withdrawn ${r.withdrawn}, unchanged ${r.unchanged}`,
      );
  }

  const example = deployed.includes(EXAMPLE) ? EXAMPLE : (deployed[0] ?? '<id>');
  // After the 2025 mergers the coordinator may be a successor unit: name the one that gets mail.
  const coordinator = plans.get(example)?.roles.coordinator ?? 'so-tttt';
  const mail = env.SMTP_URL ? 'SMTP' : '.data/mail/';
  console.log('');
  say(
    `chithi đang chạy (ngày tra cứu ${asOf}). Temporal: ${temporalAddress}${temporal?.uiUrl ? `, giao diện: ${temporal.uiUrl}` : ''}; PostgreSQL: ${embedded ? 'nhúng, .data/pg' : 'DATABASE_URL'}; thư: hộp thư + ${mail}.
Ở cửa sổ khác:
  npx chithi status ${example}
  npx chithi inbox --unit ${coordinator}
Nhấn Ctrl-C để dừng (dữ liệu được giữ; chạy lại npm start để tiếp tục).`,
    `chithi is running (registry as of ${asOf}). Temporal: ${temporalAddress}${temporal?.uiUrl ? `, UI: ${temporal.uiUrl}` : ''}; PostgreSQL: ${embedded ? 'embedded, .data/pg' : 'DATABASE_URL'}; mail: inbox + ${mail}.
In another terminal:
  npx chithi status ${example} --lang en
  npx chithi inbox --unit ${coordinator} --lang en
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
    console.error(`chithi start: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
    process.exit();
  },
);
