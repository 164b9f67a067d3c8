#!/usr/bin/env node
// Runs the build in dist/ (`npm run setup` makes it: scripts/build.mjs) when it is at least as new
// as the sources; otherwise the TypeScript sources through tsx, with a one-line hint, so an edited
// .ts file is never run from a stale build. Measured by bench/cli-startup.ts (medians of 15, same
// run as `node -e 0` ≈ 65–80 ms): `chithi --help` ~0.9 s through tsx, ~95 ms from dist/ (1.3×);
// `chithi validate <seed>` ~1.0 s (19×) through tsx, ~510 ms from dist/ (6.6–7.8×). The freshness
// check stats the ~150 source files of the built folders: ~1 ms (median of 50), so it runs always.
//
// From dist/, the CLI is the bundle dist/bundle/cli.js (scripts/build.mjs bundleCli: one chunk per
// command, loaded lazily), or tsc's dist/client/cli.js when the build had no esbuild. Bundled vs
// tsc's emit (31 alternated runs, medians, load 3.0–3.6, node -e 0 63 ms): validate 316 → 295 ms
// (5.02× → 4.68×), --help 84 → 83 ms (1.3×).
import { pathToFileURL } from 'node:url';
import { buildState } from '../scripts/build.mjs';

const state = buildState();
let cli;
if (state.fresh) {
  cli = await import(pathToFileURL(state.cli).href);
} else {
  process.stderr.write(`chithi: ${state.reason.vi}, chạy mã nguồn qua tsx (chậm hơn); \`npm run setup\` để dựng lại. / ${state.reason.en}: running the sources through tsx (slower); \`npm run setup\` rebuilds it.\n`);
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../client/cli.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));
