/**
 * `@temporalio/workflow` as the simulation provides it: the part of the SDK's workflow API that
 * chithi's workflows use (workflows/*.ts import nothing else from it), each call handed to the
 * run executing it (runtime.ts). The bundler (bundle.ts) puts this module where the workflow
 * code imports `@temporalio/workflow`, so the simulated workflows are the same source as the
 * ones the worker runs. A workflow module importing an API missing here fails the bundle (a
 * missing export), not a rehearsal.
 */
import { msToNumber, type Duration, type SearchAttributePair } from '@temporalio/common';
import { simulationRuntime, type SimulatedRun } from './runtime.js';

export { ActivityFailure, ApplicationFailure } from '@temporalio/common';

function run(): SimulatedRun {
  const r = simulationRuntime().current();
  if (!r) throw new Error('a workflow API called outside workflow code in the simulation');
  return r;
}

export interface SignalDefinition<Args extends unknown[] = []> {
  type: 'signal';
  name: string;
  /** Carries the argument types, as the SDK's definition does. */
  __args?: Args;
}
export interface QueryDefinition<Ret> {
  type: 'query';
  name: string;
  __ret?: Ret;
}

export function defineSignal<Args extends unknown[] = []>(name: string): SignalDefinition<Args> {
  return { type: 'signal', name };
}

export function defineQuery<Ret>(name: string): QueryDefinition<Ret> {
  return { type: 'query', name };
}

export function setHandler<Args extends unknown[]>(def: SignalDefinition<Args>, handler: ((...args: Args) => void) | undefined): void;
export function setHandler<Ret>(def: QueryDefinition<Ret>, handler: (() => Ret) | undefined): void;
export function setHandler(def: SignalDefinition<unknown[]> | QueryDefinition<unknown>, handler: ((...args: never[]) => unknown) | undefined): void {
  run().setHandler(def.type, def.name, handler as ((...args: unknown[]) => unknown) | undefined);
}

export function condition(fn: () => boolean): Promise<void>;
export function condition(fn: () => boolean, timeout: Duration): Promise<boolean>;
export async function condition(fn: () => boolean, timeout?: Duration): Promise<boolean | void> {
  if (timeout === undefined) {
    await run().condition(fn);
    return;
  }
  return run().condition(fn, msToNumber(timeout));
}

export function sleep(ms: Duration): Promise<void> {
  return run().sleep(msToNumber(ms));
}

export function continueAsNew<F extends (...args: never[]) => unknown>(...args: Parameters<F>): Promise<never> {
  return Promise.reject(run().continueAsNew(args));
}

type Activities = Record<string, (...args: never[]) => Promise<unknown>>;

export function proxyActivities<A extends object = Activities>(options: { retry?: { nonRetryableErrorTypes?: string[] } }): A {
  const nonRetryableErrorTypes = options.retry?.nonRetryableErrorTypes ?? [];
  return new Proxy({} as A, {
    get: (_target, name) => {
      if (typeof name !== 'string') return undefined;
      return (...args: unknown[]) => run().activity(name, args, { nonRetryableErrorTypes });
    },
  });
}

export const proxyLocalActivities = proxyActivities;

export function getExternalWorkflowHandle(workflowId: string): { workflowId: string; signal(def: SignalDefinition<unknown[]> | string, ...args: unknown[]): Promise<void> } {
  return {
    workflowId,
    signal: (def, ...args) => run().signalExternal(workflowId, typeof def === 'string' ? def : def.name, args),
  };
}

export function workflowInfo() {
  const r = run();
  return {
    workflowId: r.workflowId,
    runId: r.runId,
    workflowType: r.workflowType,
    taskQueue: r.taskQueue,
    namespace: 'default',
    historyLength: r.historyLength(),
    // The history of one cycle stays far below Temporal's suggestion in any rehearsal's span.
    continueAsNewSuggested: false,
    typedSearchAttributes: r.searchAttributes(),
  };
}

export function upsertSearchAttributes(pairs: SearchAttributePair[]): void {
  run().upsertSearchAttributes(pairs);
}

/** A fresh execution takes every patched branch, as on a real server with no history to replay. */
export function patched(_id: string): boolean {
  return true;
}

export function deprecatePatch(_id: string): void {}
