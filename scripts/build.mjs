#!/usr/bin/env node
/**
 * Bản dựng: tsc phát mã nguồn của CLI và runtime thành mô-đun ES trong dist/ (git bỏ qua), để
 * `npx chithi` chạy JavaScript thay vì dịch TypeScript qua tsx mỗi lần (issue 9).
 * The build: tsc emits the CLI's and the runtime's sources as ES modules into dist/ (git-ignored),
 * so `npx chithi` runs JavaScript instead of compiling TypeScript through tsx at every run (issue 9:
 * `chithi validate` took ~1.0 s through tsx, 19× a bare `node -e 0`).
 *
 * `node scripts/build.mjs` builds when dist/ is stale (`--force`: always); `npm run setup` runs it.
 * bin/chithi.js imports `buildState` to choose dist/ or the sources, so this module loads nothing
 * but Node built-ins and does its work only when run as a script.
 *
 * The build also precompiles the JSON Schema validators into dist/validators/ (compiler/validators.ts)
 * and reads the shipped calendars into dist/calendars/ (compiler/calendar/precompiled.ts), and
 * bundles the CLI from tsc's emit into dist/bundle/ (bundleCli), which bin/chithi.js runs.
 *
 * Fresh means: dist/build.json exists (written after a successful build, removed before one), no
 * source file is newer than the moment that build started, and the number of source files is the
 * same (a file added with an old mtime, e.g. by `cp -p`, or one removed). The sources are the .ts
 * and .schema.json files of tsconfig.build.json's `include` folders, plus the two tsconfig files.
 * Other data (calendars, migrations, directives) is not built: the code reads it from the project
 * root (common/root.ts). The calendars' JSON in dist/calendars/ is a cache keyed by the YAML's
 * digest, not a source: an edited calendar is parsed from its YAML until the next build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
/** What bin/chithi.js imports from the build: the bundle (bundleCli), else tsc's emit (a build without esbuild). */
export const DIST_BUNDLE = join(DIST, 'bundle', 'cli.js');
export const DIST_CLI = join(DIST, 'client', 'cli.js');
const STAMP = join(DIST, 'build.json');
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];

/** tsconfig.build.json's `include`: the folders that are built. */
function sourceFolders() {
  return JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')).include;
}

/** The newest mtime (ms) and the number of the source files under the folders, and the configs' mtimes. */
export function scanSources(root = ROOT, folders = sourceFolders()) {
  let newest = 0;
  let count = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if (err.code === 'ENOENT') return; // a folder named in `include` that does not exist (yet)
      throw err;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts') || e.name.endsWith('.schema.json')) {
        count++;
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const folder of folders) walk(join(root, folder));
  for (const config of CONFIGS) newest = Math.max(newest, statSync(join(root, config)).mtimeMs);
  return { newest, count };
}

/**
 * Whether dist/ may be run. `{ fresh: true, cli }` (cli: the module bin/chithi.js imports, the
 * bundle when the build made one), or `{ fresh: false, why, reason }`: why is 'missing',
 * 'incomplete' or 'stale', the reason says it in both languages, for the one-line hint bin/chithi.js prints when it falls back to the sources.
 */
export function buildState(root = ROOT) {
  const dist = join(root, 'dist');
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(dist, 'build.json'), 'utf8'));
  } catch {
    return { fresh: false, why: 'missing', reason: { vi: 'chưa có bản dựng dist/', en: 'dist/ is not built' } };
  }
  // stamp.cli: written by builds that bundle (a build without esbuild, or one before bundling, has none).
  const cli = join(dist, stamp.cli ?? join('client', 'cli.js'));
  if (!existsSync(cli)) return { fresh: false, why: 'incomplete', reason: { vi: 'bản dựng dist/ thiếu tệp', en: 'dist/ is incomplete' } };
  const { newest, count } = scanSources(root, stamp.folders);
  if (newest > stamp.startedAt || count !== stamp.files) {
    return { fresh: false, why: 'stale', reason: { vi: 'mã nguồn mới hơn bản dựng dist/', en: 'the sources are newer than dist/' } };
  }
  return { fresh: true, cli };
}

function loadEsbuild() {
  try {
    return createRequire(import.meta.url)('esbuild');
  } catch {
    return undefined;
  }
}

/**
 * yaml as one file: its ~70 CommonJS modules took ~29 ms to load in a bare `node -e
 * "require('yaml')"` (each resolved, read and compiled apart), the same code bundled by esbuild
 * ~8 ms (medians of 21 alternated runs, `node -e 0` 62 ms). The bundle is yaml's own code, one
 * copy: every `from 'yaml'` the build emitted is pointed at dist/vendor/yaml.cjs. Without esbuild
 * (an install without tsx, which brings it) the imports stay as tsc wrote them.
 */
function bundleYaml() {
  const require = createRequire(import.meta.url);
  const esbuild = loadEsbuild();
  if (!esbuild) return;
  const out = join(DIST, 'vendor', 'yaml.cjs');
  esbuild.buildSync({ entryPoints: [require.resolve('yaml')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning' });
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.js')) {
        const text = readFileSync(path, 'utf8');
        if (!text.includes("from 'yaml'")) continue;
        const rel = relative(dirname(path), out).split(sep).join('/');
        writeFileSync(path, text.replaceAll("from 'yaml'", `from '${rel.startsWith('.') ? rel : `./${rel}`}'`));
      }
    }
  };
  walk(DIST);
}

/**
 * The packages bundleCli puts into the bundle: pure JavaScript that validate and compile load
 * (luxon; yaml comes as dist/vendor/yaml.cjs) or that is small (cli-progress). Every other
 * dependency stays an import of node_modules, resolved at run time as from tsc's emit: native code
 * (argon2, pglite's wasm), and what only the server, worker and database commands load (pg,
 * Temporal, fastify, nodemailer…); ajv is required by path when a validator is compiled.
 */
const BUNDLED_PACKAGES = ['luxon', 'yaml', 'cli-progress'];

/**
 * The CLI as one ES module graph bundled by esbuild, dist/bundle/cli.js, from tsc's emit (so the
 * bundle runs the code dist/ runs): Node resolved, read and compiled ~46 modules apart for a
 * `chithi validate`, luxon's among them. Code splitting keeps each command's module (client/cli.ts's
 * lazy imports) a chunk of its own, loaded only when that command runs: `--help` loads the entry
 * and the command table. The chunks run from dist/bundle/, so import.meta.url still lies under
 * dist/: the precompiled validators and calendars are found as from dist/compiler/.
 * Returns the entry relative to dist/ (the stamp's `cli`), or undefined without esbuild.
 */
function bundleCli() {
  const esbuild = loadEsbuild();
  if (!esbuild) return undefined;
  const out = dirname(DIST_BUNDLE);
  rmSync(out, { recursive: true, force: true });
  const deps = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies ?? {});
  esbuild.buildSync({
    entryPoints: [DIST_CLI],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    outdir: out,
    chunkNames: 'chunks/[name]-[hash]',
    external: deps.filter((d) => !BUNDLED_PACKAGES.includes(d)).flatMap((d) => [d, `${d}/*`]),
    // yaml is CommonJS and requires Node built-ins (process, buffer): esbuild's ES output calls
    // `require` for them, which an ES module has only when it makes one.
    banner: { js: "import { createRequire as __chithiCreateRequire } from 'node:module'; const require = __chithiCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return relative(DIST, DIST_BUNDLE).split(sep).join('/');
}

/** Runs tsc (emit only), precompiles the validators, writes the stamp; throws when anything fails. */
export async function build({ incremental = true } = {}) {
  const folders = sourceFolders();
  // Before the scan and before tsc reads anything: a file saved while tsc runs is newer than this.
  const startedAt = Date.now();
  const { count } = scanSources(ROOT, folders);
  // No stamp until this build succeeds: an interrupted build leaves dist/ stale, not fresh.
  rmSync(STAMP, { force: true });
  // Without a stamp, dist/ may have lost files tsc's incremental state believes are there: start over.
  if (!incremental) rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  // typescript is a devDependency: an install without it (--omit=dev) keeps running the sources.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // --noCheck: emit only. Type errors are `npm run check`'s to report (tsx never refused to run on
  // them either); checking here too doubled setup's time for nothing the tests do not already say.
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--noCheck'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  bundleYaml();
  const cli = bundleCli();
  const { precompiledValidators } = await import(pathToFileURL(join(DIST, 'compiler', 'validators.js')).href);
  mkdirSync(join(DIST, 'validators'), { recursive: true });
  for (const [name, code] of Object.entries(precompiledValidators())) writeFileSync(join(DIST, 'validators', `${name}.cjs`), code);
  // The shipped calendars, read and checked now (compiler/calendar/precompiled.ts); used at run time
  // only while their YAML text is unchanged.
  const { precompileCalendars } = await import(pathToFileURL(join(DIST, 'compiler', 'calendar', 'precompiled.js')).href);
  const { parseCalendarText } = await import(pathToFileURL(join(DIST, 'compiler', 'calendar', 'load.js')).href);
  rmSync(join(DIST, 'calendars'), { recursive: true, force: true });
  mkdirSync(join(DIST, 'calendars'), { recursive: true });
  for (const [id, json] of Object.entries(precompileCalendars(parseCalendarText))) writeFileSync(join(DIST, 'calendars', `${id}.json`), json);
  writeFileSync(STAMP, JSON.stringify({ startedAt, folders, files: count, ...(cli ? { cli } : {}) }, null, 2) + '\n');
}

/** Builds when dist/ is not fresh (or `force`); exits the process with 1 when the build fails. */
export async function ensureBuilt({ force = false } = {}) {
  const state = buildState();
  if (!force && state.fresh) return;
  const t = performance.now();
  console.error(`chithi setup: ${force ? '--force' : state.reason.en}: building (tsc → dist/) …`);
  try {
    // Incremental only over a build that completed: tsc's .tsbuildinfo does not notice emitted
    // files that went missing.
    await build({ incremental: !force && state.why === 'stale' });
  } catch (err) {
    console.error(`chithi setup: the build failed (npx chithi runs the sources through tsx meanwhile): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    process.exit(1);
  }
  console.error(`chithi setup: built dist/ in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await ensureBuilt({ force: process.argv.includes('--force') });
}
