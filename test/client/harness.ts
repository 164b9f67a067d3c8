import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../common/roles.js';
import { startTestApi } from '../support/api.js';
import { NativeConnection } from '@temporalio/worker';
import { createActivities, fileEmailChannel, startDelivery, type EmailChannel, type NotificationChannels } from '../../activities/index.js';
import { main } from '../../client/cli.js';
import { toolPath } from '../../service/local-temporal.js';
import { compileFile } from '../../compiler/index.js';
import type { Plan } from '../../compiler/plan.js';
import { QUERY, type InstanceState } from '../../workflows/types.js';
import { bundleWorkflows, createWorker } from '../../worker/index.js';
import { workerConfigFromEnv } from '../../worker/config.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { directiveYaml, REGISTRY_YAML, type DirectiveOptions } from './fixtures.js';

/**
 * Time-skipping server + fresh PostgreSQL + a worker configured from the CLI's own environment, as
 * worker/main.ts would be: what `chithi` talks to.
 */
export interface ClientHarness {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  dir: string;
  /** Environment for `main()`: points the CLI at this harness. */
  cliEnv: Record<string, string | undefined>;
  /**
   * Runs `chithi` against the harness's API server, signed in as whom the command is for: an
   * officer of `--unit` to submit, ask for an extension, report an event or read an inbox; a
   * reviewer of the obligation's reviewing unit to review or decide; a policy author to deploy,
   * withdraw or read status. `as` names another account (see account()).
   */
  cli(argv: string[], as?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The API server the CLI calls (listening on a loopback port). */
  app: FastifyInstance;
  /** An account with these roles (created once) → its API token. */
  account(login: string, unit: string, roles: Role[]): Promise<string>;
  /** Writes the fixture directive (and registry) into the temp dir; returns its path. */
  writeDirective(opts?: DirectiveOptions, name?: string): string;
  compile(path: string): Promise<Plan>;
  state(workflowId: string): Promise<InstanceState>;
  /** Polls (real time) until `ok` — the worker records statuses asynchronously. */
  until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs?: number): Promise<T>;
  /** No worker between two commands (a deploy while the workers are down); startWorker() brings one back. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export const AS_OF = '2026-01-05';

export interface ClientHarnessOptions {
  /** More environment for both the CLI and the worker (TEMPORAL_TASK_QUEUE, …). */
  env?: Record<string, string>;
  /**
   * 0 for tests that stop and start the worker: the time-skipping server never moves a workflow off
   * the stopped worker's sticky queue (see test/workflows/support/harness.ts), so it would wait for good.
   */
  maxCachedWorkflows?: number;
  /** The worker's e-mail channel (e.g. SMTP to a loopback server); by default .eml files in <dir>/mail. */
  email?: EmailChannel;
  /**
   * Notices link to the harness's own portal (its API server's address), as CHITHI_PUBLIC_URL makes
   * them under npm start; by default they carry no link.
   */
  portalLinks?: boolean;
}

export async function startClientHarness(opts: ClientHarnessOptions = {}): Promise<ClientHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'chithi-client-'));
  writeFileSync(join(dir, 'registry.yaml'), REGISTRY_YAML);
  const db = await freshDatabase();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('testServer') } },
  });
  const cliEnv: Record<string, string | undefined> = {
    TEMPORAL_ADDRESS: env.address,
    DATABASE_URL: db.url,
    ...(db.embedded ? { DATABASE_POOL_MAX: '1' } : {}),
    CHITHI_PROGRESS: 'plain',
    CHITHI_LANG: 'en',
    // Never the developer's own `chithi login`.
    CHITHI_CREDENTIALS_FILE: join(dir, 'credentials.json'),
    ...opts.env,
  };
  // One set of channels for every worker the harness starts: the portal's address is known (and
  // filled in) only once the API server listens, before anything is deployed.
  const channels: NotificationChannels = { email: opts.email ?? fileEmailChannel(join(dir, 'mail')) };
  const startWorker = () => startConfiguredWorker(cliEnv, db, channels, opts.maxCachedWorkflows);
  let worker: { stop(): Promise<void> } | undefined = await startWorker();
  // The API server, as npm start runs it next to the worker: the CLI is its client.
  const api = await startTestApi({ pool: db.pool, client: env.client, env: cliEnv });
  cliEnv.CHITHI_API_URL = api.url;
  if (opts.portalLinks) channels.portalUrl = api.url;
  const h: ClientHarness = {
    env,
    db,
    dir,
    cliEnv,
    app: api.app,
    account: api.account,
    async cli(argv, as) {
      let stdout = '';
      let stderr = '';
      const token = as !== undefined ? api.tokenOf(as) : await api.tokenFor(argv);
      const env = { ...cliEnv, ...(token !== undefined && { CHITHI_TOKEN: token }) };
      const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd: dir });
      return { code, stdout, stderr };
    },
    writeDirective(opts = {}, name = 'mini.yaml') {
      const path = join(dir, name);
      writeFileSync(path, directiveYaml(opts));
      return path;
    },
    async compile(path) {
      const r = await compileFile(path, { asOf: AS_OF });
      if (!r.ok) throw new Error(`fixture does not compile:\n${JSON.stringify(r.diagnostics, null, 1)}`);
      return r.plan;
    },
    state(workflowId) {
      return env.client.workflow.getHandle(workflowId).query<InstanceState>(QUERY.state);
    },
    async until(what, fn, ok, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        if (ok(v)) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stopWorker() {
      await worker?.stop();
      worker = undefined;
    },
    async startWorker() {
      worker ??= await startWorker();
    },
    async close() {
      await api.close();
      await worker?.stop();
      await env.teardown();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** What worker/main.ts does with its environment, on the test server and the test database's pool. */
async function startConfiguredWorker(
  workerEnv: Record<string, string | undefined>,
  db: TestDatabase,
  channels: NotificationChannels,
  maxCachedWorkflows?: number,
): Promise<{ stop(): Promise<void> }> {
  const config = await workerConfigFromEnv(workerEnv);
  const connection = await NativeConnection.connect(config.connection);
  const delivery = startDelivery({ pool: db.pool, channels });
  const worker = await createWorker({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    activities: createActivities({ pool: db.pool, channels, delivery }),
    workflowBundle: await bundleWorkflows(),
    shutdownGraceSeconds: 1,
    ...(maxCachedWorkflows !== undefined ? { maxCachedWorkflows } : {}),
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await delivery.stop();
      await connection.close();
    },
  };
}
