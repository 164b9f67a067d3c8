import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Env } from '../common/config.js';
import { ROOT } from '../common/root.js';

/**
 * Một tiến trình worker (`worker/main.ts`) chạy riêng: `npm start` với CHITHI_WORKERS > 1, và các
 * kiểm thử sự cố (test/cluster/) giết nó bằng kill -9.
 * One worker process of its own (`worker/main.ts`, through tsx): `npm start` runs the second and
 * later workers this way (CHITHI_WORKERS), and the fault tests (test/cluster/) kill -9 one. Its
 * whole configuration comes from `env`, read by common/config.ts like any worker's.
 */
export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  /** SIGTERM (the SDK's graceful shutdown), SIGKILL after `graceMs`; or the given signal at once. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export function spawnWorkerProcess(env: Env, opts: { log?: (line: string) => void } = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'worker', 'main.ts')], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not start a worker process');
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => opts.log?.(line));
  }
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  // A worker must not outlive whoever started it (a crashed `npm start`, a failed test).
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  void exited.then(() => process.off('exit', orphanGuard));
  return {
    child,
    pid: child.pid,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
