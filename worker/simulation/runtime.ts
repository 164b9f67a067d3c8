/**
 * Hợp đồng giữa mã workflow chạy mô phỏng (workflow-api.ts, gói cùng mã workflow) và bộ máy mô
 * phỏng (engine.ts): một đối tượng toàn cục, vì bản gói là một mô-đun riêng.
 * The contract between workflow code run in the simulation (workflow-api.ts, bundled with the
 * workflow code) and the simulating engine (engine.ts): one global object, because the bundle is
 * a module of its own and cannot import the engine's module instance (the SDK reaches its
 * activator the same way, `globalThis.__TEMPORAL_ACTIVATOR__`).
 */
import type { SearchAttributePair, TypedSearchAttributes } from '@temporalio/common';

/** What workflow code may ask of the run it is executing in. */
export interface SimulatedRun {
  readonly workflowId: string;
  readonly runId: string;
  readonly workflowType: string;
  readonly taskQueue: string;
  /** The run's workflow clock (the test server's, virtual). */
  now(): number;
  historyLength(): number;
  searchAttributes(): TypedSearchAttributes;
  upsertSearchAttributes(pairs: SearchAttributePair[]): void;
  /** Resolves true when `fn` holds, false when `timeoutMs` passes first (no timeout: never false). */
  condition(fn: () => boolean, timeoutMs?: number): Promise<boolean>;
  /** Resolves when `ms` (at least 1, as the SDK's) has passed on the run's clock. */
  sleep(ms: number): Promise<void>;
  activity(name: string, args: unknown[], options: { nonRetryableErrorTypes?: string[] }): Promise<unknown>;
  setHandler(kind: 'signal' | 'query', name: string, handler: ((...args: unknown[]) => unknown) | undefined): void;
  signalExternal(workflowId: string, name: string, args: unknown[]): Promise<void>;
  /** The value a workflow throws to continue as new (caught by the engine). */
  continueAsNew(args: unknown[]): Error;
}

export interface SimulationRuntime {
  /** The run whose code is executing now (async context), or undefined outside workflow code. */
  current(): SimulatedRun | undefined;
}

export const SIMULATION_RUNTIME = Symbol.for('chithi.simulated-temporal');

export function simulationRuntime(): SimulationRuntime {
  const r = (globalThis as Record<symbol, SimulationRuntime | undefined>)[SIMULATION_RUNTIME];
  if (!r) throw new Error('simulated workflow code loaded without the simulation engine (worker/simulation/engine.ts)');
  return r;
}
