/**
 * CLI start-up benchmark (issue 9): `chithi --help` and `chithi validate <seed>` as a user runs
 * them, a new `node bin/chithi.js` process each time, against a bare `node -e 0` measured in the
 * same run. Target: each ≤ 5×. Through tsx, validate took ~1.0 s, 19× `node -e 0`.
 *
 * The three commands are interleaved run by run, so a neighbour's load (2 shared cores) weighs on
 * all three alike, and each is the median of its runs. A run that fell back to the sources (a
 * source was saved mid-bench: bin/chithi.js then prints its hint) is not a measurement: dist/ is
 * rebuilt and the run repeated.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../common/root.js';
import { ensureBuilt } from '../scripts/build.mjs';

export interface CliStartupBench {
  /** Median wall time of `node -e 0`, ms. */
  baseline: number;
  help: number;
  validate: number;
  helpRatio: number;
  validateRatio: number;
  target: number;
  pass: boolean;
  runs: number;
  seed: string;
}

const SEED = 'directives/hanoi-3968-2022.yaml';
const BIN = join(ROOT, 'bin', 'chithi.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function timed(args: string[], expectCode: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CHITHI_LANG: 'en' } });
    const ms = performance.now() - t;
    if (r.status !== expectCode) throw new Error(`node ${args.join(' ')}: exit ${r.status}, expected ${expectCode}: ${r.stderr.split('\n')[0]}`);
    if (!r.stderr.includes('npm run setup')) return ms;
    if (attempt === 3) throw new Error(`node ${args.join(' ')} kept running the sources, not dist/: ${r.stderr.split('\n')[0]}`);
    await ensureBuilt();
  }
}

export async function benchCliStartup(options: { runs?: number } = {}): Promise<CliStartupBench> {
  const runs = options.runs ?? 15;
  // `npm run bench` built dist/ (setup) just before; build again only if a source changed since.
  await ensureBuilt();
  const commands = {
    node: { args: ['-e', '0'], code: 0 },
    help: { args: [BIN, '--help'], code: 0 },
    // The seed's dissolved districts are warnings: still valid, exit 0.
    validate: { args: [BIN, 'validate', SEED], code: 0 },
  };
  const ms = { node: [] as number[], help: [] as number[], validate: [] as number[] };
  // One warm-up each: the first spawn pays for the OS file cache.
  for (const c of Object.values(commands)) await timed(c.args, c.code);
  for (let i = 0; i < runs; i++) for (const [name, c] of Object.entries(commands)) ms[name as keyof typeof ms].push(await timed(c.args, c.code));
  const baseline = median(ms.node);
  const help = median(ms.help);
  const validate = median(ms.validate);
  const target = 5;
  return { baseline, help, validate, helpRatio: help / baseline, validateRatio: validate / baseline, target, pass: help / baseline <= target && validate / baseline <= target, runs, seed: SEED };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchCliStartup();
  const line = (name: string, v: number, ratio: number) =>
    `${name}: ${v.toFixed(0)} ms, ${ratio.toFixed(2)}× node -e 0 (target ≤ ${r.target}×) ${ratio <= r.target ? 'PASS' : 'FAIL'}\n`;
  process.stdout.write(
    `node -e 0: ${r.baseline.toFixed(0)} ms (median of ${r.runs})\n` + line('chithi --help', r.help, r.helpRatio) + line(`chithi validate ${r.seed}`, r.validate, r.validateRatio),
  );
  process.exitCode = r.pass ? 0 : 1;
}
