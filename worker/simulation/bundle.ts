/**
 * The workflow code for the simulation (engine.ts): workflows/index.ts bundled by esbuild with
 * `@temporalio/workflow` answered by workflow-api.ts and `Date.now()` by the run's virtual clock
 * (workflow-clock.ts): the same source the worker's webpack bundle is made of, nothing rewritten
 * by hand. Packages stay external, so `@temporalio/common` (ActivityFailure, ApplicationFailure)
 * is the one instance the engine throws and the workflows test with `instanceof`.
 *
 * Written under node_modules/.cache/chithi/ (named by its content) so that Node resolves those
 * packages from the project; ~150 ms to build, once per process.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../../common/root.js';
import { WORKFLOWS_PATH } from '../index.js';

type WorkflowFn = (...args: unknown[]) => Promise<unknown>;

const SIMULATION_SOURCES = join(ROOT, 'worker', 'simulation');

interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

let loaded: Promise<Record<string, WorkflowFn>> | undefined;

/** The workflow functions by type name, bundled and imported once per process. */
export function loadSimulatedWorkflows(): Promise<Record<string, WorkflowFn>> {
  loaded ??= build().catch((err: unknown) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}

async function build(): Promise<Record<string, WorkflowFn>> {
  // esbuild comes with tsx (a dependency: the CLI's bundler in scripts/build.mjs uses it too).
  const esbuild = createRequire(join(ROOT, 'package.json'))('esbuild') as Esbuild;
  const result = await esbuild.build({
    entryPoints: [WORKFLOWS_PATH],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    alias: { '@temporalio/workflow': join(SIMULATION_SOURCES, 'workflow-api.ts') },
    inject: [join(SIMULATION_SOURCES, 'workflow-clock.ts')],
    define: { 'Date.now': '__chithiWorkflowNow' },
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]!.text;
  const dir = join(ROOT, 'node_modules', '.cache', 'chithi');
  const file = join(dir, `simulated-workflows-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
  }
  return (await import(pathToFileURL(file).href)) as Record<string, WorkflowFn>;
}
