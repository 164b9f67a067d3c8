import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleWorkflows, createWorker } from '../../../worker/index.js';
import { obligationInstance } from '../../../workflows/index.js';
import { stateQuery } from '../../../workflows/state.js';
import { instanceWorkflowId, type InstanceInput, type InstanceState } from '../../../workflows/types.js';
import type { Backend, Delivered } from './backend.js';
import { settle as settleIdle } from '../../support/temporal.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const HISTORIES_DIR = `${ROOT}test/histories`;

/** One time-skipping server, one backend, one worker (restartable) per test file. */
export interface Harness {
  env: TestWorkflowEnvironment;
  backend: Backend;
  taskQueue: string;
  start(input: InstanceInput): Promise<string>;
  signal(workflowId: string, name: string, payload: unknown): Promise<void>;
  state(workflowId: string): Promise<InstanceState>;
  /** Polls the state query (on the idle instance) until `ok`. */
  until(workflowId: string, ok: (s: InstanceState) => boolean, what: string): Promise<InstanceState>;
  /** Waits until the workflow has no workflow task or activity in flight. */
  settle(workflowId: string): Promise<void>;
  nowMs(): Promise<number>;
  /** Moves the server clock forward to `instant` (no-op when already past). */
  sleepUntil(instant: string | number): Promise<void>;
  notices(workflowId?: string): Promise<Delivered[]>;
  /** Terminates this file's instances still running (recurring ones never end by themselves). */
  terminateRunning(): Promise<void>;
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  /** With RECORD_HISTORIES=1, writes the workflow's history to test/histories/<name>.json. */
  recordHistory(workflowId: string, name: string): Promise<void>;
  /**
   * With RECORD_HISTORIES=1, writes every run of the workflow id (continue-as-new followed back
   * from the current run) to test/histories/<name>-run1.json, -run2.json, … oldest first. Returns
   * the number of runs (also without RECORD_HISTORIES).
   */
  recordAllRuns(workflowId: string, name: string): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /**
   * 0 = no sticky cache: every workflow task replays the history, as on a fresh worker after a
   * crash. Needed to restart workers: the time-skipping server keeps routing tasks to a stopped
   * worker's sticky queue (it implements neither ShutdownWorker nor ResetStickyTaskQueue) and
   * holds its clock meanwhile.
   */
  maxCachedWorkflows?: number;
}

export async function startHarness(name: string, backend: Backend, options: HarnessOptions = {}): Promise<Harness> {
  quietRuntime();
  const paths = JSON.parse(readFileSync(`${ROOT}.tools/paths.json`, 'utf8')) as { testServer: string };
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: paths.testServer } },
  });
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflows();
  const taskQueue = `chithi-test-${name}`;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const started = new Set<string>();

  const startWorker = async (): Promise<void> => {
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      activities: backend.activities,
      workflowBundle: bundle,
      shutdownGraceSeconds: 2,
      ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    });
    running = worker.run();
  };
  const stopWorker = async (): Promise<void> => {
    worker?.shutdown();
    await running;
    worker = undefined;
    running = undefined;
  };
  await startWorker();

  const handle = (id: string) => env.client.workflow.getHandle(id);
  // Only query an idle instance: the time-skipping server can lose a query that arrives while
  // the run is completing with continue-as-new, and then hold its clock for good.
  const state = async (id: string): Promise<InstanceState> => {
    await settle(id);
    return handle(id).query(stateQuery);
  };
  const settle = (id: string): Promise<void> => settleIdle(env.client, id, 20_000);

  const h: Harness = {
    env,
    backend,
    taskQueue,
    async start(input) {
      const workflowId = instanceWorkflowId(input.directive.id, input.obligation.id, input.unit.id, input.event?.id);
      await env.client.workflow.start(obligationInstance, { taskQueue, workflowId, args: [input] });
      started.add(workflowId);
      return workflowId;
    },
    async signal(id, signalName, payload) {
      await handle(id).signal(signalName, payload);
    },
    state,
    async until(id, ok, what) {
      const deadline = Date.now() + 20_000;
      let last: InstanceState | undefined;
      while (Date.now() < deadline) {
        // state() waits for the instance to be idle, so the step's notices are out too.
        last = await state(id);
        if (ok(last)) return last;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${id}: timed out waiting for ${what}; last state ${JSON.stringify(last)}`);
    },
    settle,
    nowMs: () => env.currentTimeMs(),
    async sleepUntil(instant) {
      const target = typeof instant === 'number' ? instant : Date.parse(instant);
      const d = target - (await env.currentTimeMs());
      if (d > 0) await env.sleep(d);
    },
    async notices(workflowId) {
      const all = await backend.delivered();
      return workflowId === undefined ? all : all.filter((n) => n.key.startsWith(`${workflowId}:`));
    },
    async terminateRunning() {
      for (const id of started) {
        // Terminating while a task is in flight can leave the test server's time-skipping lock held.
        await h.settle(id);
        const d = await handle(id).describe();
        if (d.status.name === 'RUNNING') await handle(id).terminate('test over');
      }
      started.clear();
    },
    stopWorker,
    startWorker,
    async recordHistory(id, fileName) {
      if (process.env.RECORD_HISTORIES !== '1') return;
      const history = await handle(id).fetchHistory();
      mkdirSync(HISTORIES_DIR, { recursive: true });
      writeFileSync(`${HISTORIES_DIR}/${fileName}.json`, historyToJSON(history));
    },
    async recordAllRuns(id, fileName) {
      await h.settle(id);
      const runs: Awaited<ReturnType<ReturnType<typeof handle>['fetchHistory']>>[] = [];
      for (let runId: string | undefined = (await handle(id).describe()).runId; runId; ) {
        const history = await env.client.workflow.getHandle(id, runId).fetchHistory();
        runs.unshift(history);
        runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
      }
      if (process.env.RECORD_HISTORIES === '1') {
        mkdirSync(HISTORIES_DIR, { recursive: true });
        runs.forEach((history, i) => writeFileSync(`${HISTORIES_DIR}/${fileName}-run${i + 1}.json`, historyToJSON(history)));
      }
      return runs.length;
    },
    async close() {
      await stopWorker();
      await backend.close();
      await env.teardown();
    },
  };
  return h;
}

/** The first 28 November 09:00 (Hanoi) still ahead of the server clock: each scenario gets a fresh year. */
export async function nextDeploymentYear(h: Harness): Promise<number> {
  const now = await h.nowMs();
  let year = new Date(now).getUTCFullYear();
  while (Date.parse(`${year}-11-28T09:00:00+07:00`) <= now) year++;
  return year;
}

let runtimeInstalled = false;
/** Worker state changes at INFO drown the test output; keep warnings. */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier file in this process.
  }
}
