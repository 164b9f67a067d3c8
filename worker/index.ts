import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import {
  Worker,
  bundleWorkflowCode,
  type ActivityInboundCallsInterceptor,
  type ActivityExecuteInput,
  type NativeConnection,
  type Next,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { ChithiError } from '../activities/errors.js';
import { createSignalReceivedAt } from '../activities/history.js';
import { DEFAULT_TASK_QUEUE } from '../common/config.js';
import { ROOT } from '../common/root.js';
import type { RuntimeActivities } from '../workflows/types.js';

// The sources, also when the worker runs from dist/: the bundler compiles the workflows itself.
export const WORKFLOWS_PATH = join(ROOT, 'workflows', 'index.ts');

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  /** TEMPORAL_TASK_QUEUE (common/config.ts); the default is also what the tests' deploys use. */
  taskQueue?: string;
  activities: RuntimeActivities;
  /** A bundle from `bundleWorkflows()`: tests that start several workers bundle once. */
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Seconds running activities get to finish on shutdown. */
  shutdownGraceSeconds?: number;
  /** Workflow cache size; 0 disables sticky execution (tests that restart workers). */
  maxCachedWorkflows?: number;
}

/** Bundles the workflow code (webpack, a few seconds). */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

export function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue ?? DEFAULT_TASK_QUEUE,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    // Reads of the workflow's own history need only the worker's Temporal client, not the store the
    // given activities write to: every worker registers them, so no caller can forget.
    activities: { signalReceivedAt: createSignalReceivedAt(), ...opts.activities },
    interceptors: { activity: [() => ({ inbound: new PermanentErrors() })] },
    shutdownGraceTime: `${opts.shutdownGraceSeconds ?? 10} seconds`,
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
  });
}

/**
 * Activities throw domain errors that say whether a retry can help (`ChithiError.permanent`).
 * Temporal only knows `ApplicationFailure.nonRetryable`, so translate here, once, instead of
 * every workflow listing error names. The simulation (simulation/engine.ts) translates the same.
 */
export function permanentFailure(err: unknown): ApplicationFailure | undefined {
  if (!(err instanceof ChithiError && err.permanent)) return undefined;
  return ApplicationFailure.create({
    type: err.name,
    message: err.message,
    nonRetryable: true,
    details: [{ code: err.code, text: err.text }],
    cause: err,
  });
}

class PermanentErrors implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      throw permanentFailure(err) ?? err;
    }
  }
}

const quietBundlerLogger = {
  // The bundler reports progress at info; only problems are worth a line in test output.
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
  log: () => undefined,
};
