/**
 * Temporal mô phỏng trong tiến trình cho buổi diễn tập: chạy chính mã workflow (gói bởi
 * bundle.ts) và các activity thật, trên một đồng hồ ảo, không máy chủ, không sandbox.
 * An in-process simulated Temporal for rehearsals: it runs the same workflow code (bundled by
 * bundle.ts, `@temporalio/workflow` answered by workflow-api.ts) and the real activities on a
 * virtual clock, with no server and no sandbox.
 *
 * Why: on the time-skipping test server a year of the Hanoi seed took 66 s on a quiet 2-core
 * machine (2026-11-26; 126 s under load), against the 30 s an author should wait. Profiled: ~36 s
 * of it in the workflow thread's sandbox, most of that the SDK's per-promise stack capture for the
 * `__stack_trace` query (`new Error().stack` with source maps, on every promise workflow code
 * makes) and a watchdog thread per VM call, and gRPC round trips to the test server for each of
 * ~9,000 activations. None of it decides what a unit receives.
 *
 * What it keeps of Temporal's semantics, which is what the workflows rely on:
 * - the clock stands still while anything runs (workflow code, activities, signal handlers) and
 *   jumps to the next timer when everything waits, as the time-skipping server does;
 * - `condition(fn, timeout)` resolves at the first quiet point where `fn` holds, or false when its
 *   timer fires first; timers of one instant fire together; a `sleep` left pending (wake.ts never
 *   cancels its timer) resolves at its instant, and conditions of its run are asked again;
 * - signals reach their handler in order of arrival, buffered until the handler is set (a run's
 *   first task); a signal to a closed run or unknown id fails as WorkflowNotFoundError;
 * - arguments, results, signal payloads and query answers cross as JSON (the data converter);
 * - continue-as-new starts the next run of the same id with its input; a failed activity reaches
 *   the workflow as ActivityFailure with an ApplicationFailure cause, non-retryable as the worker's
 *   interceptor makes it (worker/index.ts permanentFailure).
 * What it does not do, and a rehearsal does not need: replay (every run is fresh, so every
 * `patched()` is true), retries (an activity that fails for any other reason is a fault the author
 * must hear about: the rehearsal stops with it), history limits, cancellation.
 *
 * Proven equal to the time-skipping server by test/scenarios/rehearse-engines.test.ts (every notice,
 * e-mail and unit action of Binh Thuan with late units and the 1.1 example on time and late), and to
 * real Temporal by test/scenarios/rehearse.test.ts (the Hanoi year against the scenario harness).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState, TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import { permanentFailure } from '../index.js';
import { SIMULATION_RUNTIME, type SimulatedRun, type SimulationRuntime } from './runtime.js';

type WorkflowFn = (...args: unknown[]) => Promise<unknown>;
type ActivityFn = (...args: never[]) => Promise<unknown>;
type Handler = (...args: unknown[]) => unknown;

/** The data converter's effect: plain JSON across every boundary, `undefined` fields dropped. */
function json<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

const context = new AsyncLocalStorage<Run>();
(globalThis as Record<symbol, SimulationRuntime>)[SIMULATION_RUNTIME] ??= { current: () => context.getStore() };

class ContinueAsNew extends Error {
  constructor(readonly args: unknown[]) {
    super('continue as new');
  }
}

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
  done: boolean;
}

/**
 * A workflow task starts after what woke it, never at its instant: on a server, after the timer
 * fired or the signal arrived and a worker took the task (tens of milliseconds); on the
 * time-skipping server the same (seen: 29 ms to 4 s in a Hanoi rehearsal). Workflow code relies on
 * it: an escalation due at the end of a day (23:59:59.999) and the overdue reminder due at the
 * next day's start (00:00:00.000) are one wake, and a notice at 09:00:00.001 goes in the letter of
 * 09:06, not 09:05. The least such latency, 1 ms, keeps every instant a whole millisecond.
 */
export const TASK_LATENCY_MS = 1;

interface Blocked {
  fn: () => boolean;
  resolve: (held: boolean) => void;
  timer?: Timer;
}

class Run implements SimulatedRun {
  readonly signals = new Map<string, Handler>();
  readonly queries = new Map<string, Handler>();
  readonly buffered: { name: string; args: unknown[] }[] = [];
  /** Signals received by this run, with the server's time: what `signalReceivedAt` reads. */
  readonly received: { name: string; args: unknown[]; at: number }[] = [];
  readonly blocked = new Set<Blocked>();
  closed = false;
  events = 3;
  /** The time workflow code sees: its current task's start (see TASK_LATENCY_MS). */
  time: number;

  constructor(
    readonly engine: SimulatedTemporal,
    readonly workflowId: string,
    readonly runId: string,
    readonly workflowType: string,
    readonly taskQueue: string,
    public attributes: TypedSearchAttributes,
    startsAt: number,
  ) {
    this.time = startsAt;
  }

  now(): number {
    return this.time;
  }
  /** A task woken at `at` (a timer's instant, a signal's arrival) starts TASK_LATENCY_MS after it. */
  wake(at: number): void {
    this.time = Math.max(this.time, at + TASK_LATENCY_MS);
  }
  historyLength(): number {
    return this.events;
  }
  searchAttributes(): TypedSearchAttributes {
    return this.attributes;
  }
  upsertSearchAttributes(pairs: SearchAttributePair[]): void {
    this.attributes = this.attributes.updateCopy(pairs);
    this.events++;
  }
  condition(fn: () => boolean, timeoutMs?: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const b: Blocked = { fn, resolve };
      if (timeoutMs !== undefined) {
        b.timer = this.engine.timer(this.time + Math.max(0, timeoutMs), (at) => {
          this.wake(at);
          this.blocked.delete(b);
          this.events += 2;
          resolve(false);
        });
      }
      this.blocked.add(b);
      this.engine.dirty.add(this);
    });
  }
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.engine.timer(this.time + Math.max(1, ms), (at) => {
        // A run closed or continued as new takes no task for a timer it left pending.
        if (this.closed) return;
        this.wake(at);
        this.events += 2;
        resolve();
        // Conditions waiting on what the timer's callbacks set are asked again (unblock).
        this.engine.dirty.add(this);
      });
    });
  }
  activity(name: string, args: unknown[], options: { nonRetryableErrorTypes?: string[] }): Promise<unknown> {
    this.events += 3;
    return this.engine.activity(this, name, args, options.nonRetryableErrorTypes ?? []);
  }
  setHandler(kind: 'signal' | 'query', name: string, handler: Handler | undefined): void {
    const map = kind === 'signal' ? this.signals : this.queries;
    if (handler === undefined) map.delete(name);
    else map.set(name, handler);
    if (kind !== 'signal' || handler === undefined) return;
    // Signals that arrived before the handler was set reach it now, in order (the SDK's buffer).
    for (let i = 0; i < this.buffered.length; ) {
      const s = this.buffered[i]!;
      if (s.name !== name) i++;
      else {
        this.buffered.splice(i, 1);
        handler(...s.args);
      }
    }
    this.engine.dirty.add(this);
  }
  signalExternal(workflowId: string, name: string, args: unknown[]): Promise<void> {
    this.events += 2;
    return this.engine.signal(workflowId, name, args);
  }
  continueAsNew(args: unknown[]): Error {
    return new ContinueAsNew(args);
  }
}

export interface SimulatedTemporalOptions {
  /** The workflow functions by type name (bundle.ts loadSimulatedWorkflows). */
  workflows: Record<string, WorkflowFn>;
  /**
   * The activities by name, as the worker registers them (createActivities), given the engine's
   * client: an activity that reaches workflows (recordStep announcing letter times to the postbox)
   * has no activity context to take one from.
   */
  activities: (client: Client) => object;
  /** The server clock's start (ms since the epoch); default: the wall clock, as a test server starts. */
  startMs?: number;
}

/** See the file comment. */
export class SimulatedTemporal {
  now: number;
  readonly dirty = new Set<Run>();
  private readonly runs = new Map<string, Run>();
  /** Pending timers, earliest first; a cancelled one stays until it comes up (done). */
  private readonly timers = new TimerHeap();
  private readonly inflight = new Set<Promise<unknown>>();
  /** Called when an activity or a first task completes: the pump waits on it. */
  private completed: (() => void) | undefined;
  private readonly workflows: Record<string, WorkflowFn>;
  private readonly activities: Record<string, ActivityFn | undefined>;
  private seq = 0;
  private runSeq = 0;
  private failure: unknown;
  private failed!: (err: unknown) => void;
  /** Rejects with the first fault (a workflow or activity error): `run()` races it. */
  private readonly fault = new Promise<never>((_, reject) => (this.failed = reject));
  private pumping: Promise<void> | undefined;
  /** The client deploy, submit and review use: the part of Temporal's Client they call. */
  readonly client: Client = simulatedClient(this);

  constructor(opts: SimulatedTemporalOptions) {
    this.workflows = opts.workflows;
    this.activities = opts.activities(this.client) as Record<string, ActivityFn | undefined>;
    this.now = opts.startMs ?? Date.now();
    this.fault.catch(() => undefined);
  }

  async currentTimeMs(): Promise<number> {
    return this.now;
  }

  /**
   * Runs `fn` (the rehearsal's deploys, units' actions and sleeps) and fails with the first fault
   * of the simulated workflows or activities, if any comes first.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const result = await Promise.race([fn(), this.fault]);
    await this.settle();
    return result;
  }

  /**
   * Advances the clock by `ms`, firing every timer before the target instant in order, each
   * instant settled first. A timer due at the target itself fires at the start of the next sleep,
   * after what the caller does at that instant (a rehearsal's units act at 09:00), and not at all
   * after the last one: a rehearsal "to the end of 31/12" ends before 00:00 of 01/01, as the
   * time-skipping server's does (its worker stops when the sleep returns).
   */
  async sleep(ms: number): Promise<void> {
    const target = this.now + ms;
    await this.settle();
    for (;;) {
      const next = this.timers.peek();
      if (next === undefined || next.at >= target) break;
      this.now = Math.max(this.now, next.at);
      for (let t = this.timers.peek(); t !== undefined && t.at <= this.now; t = this.timers.peek()) this.timers.pop()!.fire();
      await this.settle();
    }
    this.now = Math.max(this.now, target);
    await this.settle();
  }

  /** Everything started has run until it waits for a timer or a signal. */
  settle(): Promise<void> {
    this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
    return this.pumping;
  }

  private async pump(): Promise<void> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      // Workflow code continues in microtasks after each activity; a macrotask boundary means
      // every continuation so far has run to its next wait.
      await nextMacrotask();
      if (this.inflight.size > 0) {
        // Not Promise.race over all in flight: a national directive has 100,000 first steps at once.
        await new Promise<void>((resolve) => (this.completed = resolve));
        continue;
      }
      if (this.unblock()) continue;
      // Timers fire only when the clock moves (sleep): one due at the instant the clock stands
      // at is the next sleep's, after what the caller does at that instant.
      if (this.failure !== undefined) throw this.failure;
      return;
    }
  }

  /** Resolves the conditions that hold in the runs something happened to; true if any did. */
  private unblock(): boolean {
    let any = false;
    const runs = [...this.dirty];
    this.dirty.clear();
    for (const run of runs) {
      for (const b of run.blocked) {
        let held: boolean;
        try {
          held = context.run(run, b.fn);
        } catch (err) {
          this.fail(err);
          return false;
        }
        if (!held) continue;
        run.blocked.delete(b);
        if (b.timer) b.timer.done = true;
        run.events += 2;
        b.resolve(true);
        any = true;
      }
    }
    return any;
  }

  timer(at: number, fire: (at: number) => void): Timer {
    const t: Timer = { at, seq: this.seq++, fire: () => undefined, done: false };
    t.fire = () => {
      if (t.done) return;
      t.done = true;
      fire(at);
    };
    this.timers.push(t);
    return t;
  }

  private fail(err: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    this.failed(err);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    const done = () => {
      this.inflight.delete(p);
      const wake = this.completed;
      this.completed = undefined;
      wake?.();
    };
    p.then(done, done);
    return p;
  }

  activity(run: Run, name: string, args: unknown[], nonRetryable: string[]): Promise<unknown> {
    const fn = name === 'signalReceivedAt' ? this.signalReceivedAt : this.activities[name];
    const call = (async () => {
      if (!fn) throw new Error(`activity ${name} is not registered in the simulation`);
      try {
        return json(await (fn as (...a: unknown[]) => Promise<unknown>)(...json(args)));
      } catch (err) {
        const failure = permanentFailure(err) ?? (err instanceof Error && nonRetryable.includes(err.name) ? ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true }) : undefined);
        if (!failure) {
          // Temporal would retry it for ever; a rehearsal says what broke.
          this.fail(err);
          throw err;
        }
        const seen = ApplicationFailure.create({ type: failure.type ?? undefined, message: failure.message, nonRetryable: true, details: json(failure.details ?? []) });
        throw new ActivityFailure('Activity task failed', name, String(this.seq++), RetryState.NON_RETRYABLE_FAILURE, 'simulation', seen);
      } finally {
        this.dirty.add(run);
      }
    })();
    return this.track(call);
  }

  /** The history activity, answered from what the run received (the server's time of each signal). */
  private readonly signalReceivedAt = async (req: { workflowId: string; runId?: string; signal: string; key: string; value: unknown }): Promise<string | undefined> => {
    const run = this.runs.get(req.workflowId);
    if (!run || (req.runId !== undefined && run.runId !== req.runId)) return undefined;
    const hit = run.received.find((s) => s.name === req.signal && (s.args[0] as Record<string, unknown> | undefined)?.[req.key] === req.value);
    return hit ? new Date(hit.at).toISOString() : undefined;
  };

  start(type: string, workflowId: string, args: unknown[], opts: { taskQueue: string; attributes?: SearchAttributePair[]; reuseClosed?: boolean }): Run {
    const existing = this.runs.get(workflowId);
    if (existing && (!existing.closed || opts.reuseClosed === false)) throw new WorkflowExecutionAlreadyStartedError('Workflow execution already started', workflowId, type);
    return this.begin(type, workflowId, json(args), opts.taskQueue, new TypedSearchAttributes(opts.attributes ?? []));
  }

  private begin(type: string, workflowId: string, args: unknown[], taskQueue: string, attributes: TypedSearchAttributes): Run {
    const fn = this.workflows[type];
    if (!fn) throw new Error(`workflow type ${type} is not in the simulation's bundle`);
    const previous = this.runs.get(workflowId);
    const run = new Run(this, workflowId, `sim-${++this.runSeq}`, type, taskQueue, attributes, Math.max(this.now, previous?.time ?? 0) + TASK_LATENCY_MS);
    this.runs.set(workflowId, run);
    // Its first task runs after the start returns, as a worker takes it from the server.
    void this.track(nextMacrotask()).then(() =>
      context.run(run, () => {
        const execution = fn(...args);
        execution.then(
          () => this.close(run),
          (err: unknown) => {
            this.close(run);
            if (err instanceof ContinueAsNew) this.begin(type, workflowId, json(err.args), taskQueue, run.attributes);
            else this.fail(err);
          },
        );
      }),
    );
    this.dirty.add(run);
    void this.settle().catch(() => undefined);
    return run;
  }

  private close(run: Run): void {
    run.closed = true;
    for (const b of run.blocked) if (b.timer) b.timer.done = true;
    run.blocked.clear();
  }

  /** Delivers a signal to the running run of `workflowId`. */
  async signal(workflowId: string, name: string, args: unknown[]): Promise<void> {
    const run = this.runs.get(workflowId);
    if (!run || run.closed) throw new WorkflowNotFoundError(`workflow not found: ${workflowId}`, workflowId, undefined);
    const payload = json(args);
    run.received.push({ name, args: payload, at: this.now });
    run.events++;
    run.wake(this.now);
    const handler = run.signals.get(name);
    if (handler) {
      try {
        context.run(run, () => handler(...payload));
      } catch (err) {
        this.fail(err);
      }
    } else run.buffered.push({ name, args: payload });
    this.dirty.add(run);
    void this.settle().catch(() => undefined);
  }

  query(workflowId: string, name: string, args: unknown[]): unknown {
    const run = this.runs.get(workflowId);
    if (!run) throw new WorkflowNotFoundError(`workflow not found: ${workflowId}`, workflowId, undefined);
    const handler = run.queries.get(name);
    if (!handler) throw new Error(`query ${name} is not registered by ${workflowId}`);
    return json(context.run(run, () => handler(...json(args))));
  }

  running(workflowId: string): boolean {
    const run = this.runs.get(workflowId);
    return run !== undefined && !run.closed;
  }
}

interface StartOptions {
  workflowId: string;
  taskQueue: string;
  args?: unknown[];
  typedSearchAttributes?: SearchAttributePair[];
  workflowIdReusePolicy?: string;
}

/**
 * The calls of `@temporalio/client` chithi's services make (service/deploy.ts, signal.ts,
 * search-attributes.ts); any other member fails loudly, naming itself, rather than return
 * something a real server would not.
 */
function simulatedClient(engine: SimulatedTemporal): Client {
  const handle = (workflowId: string) => ({
    workflowId,
    signal: async (def: string | { name: string }, ...args: unknown[]) => engine.signal(workflowId, typeof def === 'string' ? def : def.name, args),
    query: async (def: string | { name: string }, ...args: unknown[]) => engine.query(workflowId, typeof def === 'string' ? def : def.name, args),
  });
  const reuse = (opts: StartOptions) => opts.workflowIdReusePolicy !== 'REJECT_DUPLICATE';
  const workflow = {
    start: async (type: string, opts: StartOptions) => {
      engine.start(type, opts.workflowId, opts.args ?? [], { taskQueue: opts.taskQueue, ...(opts.typedSearchAttributes && { attributes: opts.typedSearchAttributes }), reuseClosed: reuse(opts) });
      return handle(opts.workflowId);
    },
    signalWithStart: async (type: string, opts: StartOptions & { signal: string | { name: string }; signalArgs?: unknown[] }) => {
      const name = typeof opts.signal === 'string' ? opts.signal : opts.signal.name;
      if (!engine.running(opts.workflowId)) {
        engine.start(type, opts.workflowId, opts.args ?? [], { taskQueue: opts.taskQueue, ...(opts.typedSearchAttributes && { attributes: opts.typedSearchAttributes }) });
      }
      await engine.signal(opts.workflowId, name, opts.signalArgs ?? []);
      return handle(opts.workflowId);
    },
    getHandle: (workflowId: string) => handle(workflowId),
  };
  const connection = {
    withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
    // No operator service: chithi's search attributes are not registered (service/search-attributes.ts).
    operatorService: { listSearchAttributes: async () => Promise.reject(new Error('the simulation has no operator service')) },
  };
  const known: Record<string, unknown> = { workflow, connection, options: { namespace: 'default' } };
  return new Proxy(known, {
    get(target, prop) {
      // `then` is asked by every await of a value; symbols by inspection.
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      if (!(prop in target)) throw new Error(`client.${prop} is not part of the rehearsal's simulated Temporal (worker/simulation/engine.ts)`);
      return target[prop];
    },
  }) as unknown as Client;
}

/** A binary heap of timers by (instant, creation order); cancelled ones are dropped as they surface. */
class TimerHeap {
  private readonly items: Timer[] = [];

  push(t: Timer): void {
    const a = this.items;
    a.push(t);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  /** The earliest live timer, or undefined. */
  peek(): Timer | undefined {
    while (this.items.length > 0 && this.items[0]!.done) this.take();
    return this.items[0];
  }

  pop(): Timer | undefined {
    return this.peek() === undefined ? undefined : this.take();
  }

  private take(): Timer {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
