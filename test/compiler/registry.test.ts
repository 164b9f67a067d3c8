import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, resolveUnit, validateFile } from '../../compiler/index.js';
import { FIXTURES } from './helpers.js';

const BASE = readFileSync(join(FIXTURES, 'registries', 'test-province.yaml'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'chithi-registry-'));

async function check(text: string) {
  const p = join(dir, 'r.yaml');
  writeFileSync(p, text);
  return validateFile(p, { cwd: dir });
}

describe('unit registry', () => {
  it('the fixture is valid and detected by kind', async () => {
    const r = await validateFile(join(FIXTURES, 'registries', 'test-province.yaml'));
    expect(r).toMatchObject({ ok: true, kind: 'UnitRegistry', diagnostics: [] });
  });

  it('duplicate unit ids', async () => {
    const r = await check(BASE.replace('  - id: so-c\n', '  - id: so-a\n').replace('unit: so-c,', 'unit: so-a,'));
    expect(r.diagnostics.map((d) => [d.code, d.line, d.message.en, d.hint.en])).toEqual([['duplicate-id', 28, 'duplicate unit id `so-a`', 'first declared on line 16']]);
  });

  it('succession to an unknown unit and succession cycles', async () => {
    const r = await check(BASE.replace('    kind: department\n    systems: [{ id: he-thong-c', '    kind: department\n    succeededBy: { unit: so-b, on: 2026-01-01 }\n    systems: [{ id: he-thong-c'));
    expect(r.diagnostics.map((d) => [d.code, d.message.en])).toEqual([['succession-cycle', 'succession cycle: so-b → so-c → so-b']]);
    const self = await check(BASE.replace('unit: so-c,', 'unit: so-b,'));
    expect(self.diagnostics.map((d) => d.code)).toContain('succession-cycle');
  });

  it('unknown parent and impossible dates', async () => {
    const r = await check(BASE.replace('parent: ubnd-tinh', 'parent: ubnd-tnh').replace('on: 2025-07-01', 'on: 2025-06-31'));
    expect(r.diagnostics.map((d) => [d.code, d.message.en])).toEqual([
      ['unknown-parent', 'parent `ubnd-tnh` is not in the registry — did you mean `ubnd-tinh`?'],
      ['impossible-date', 'date `2025-06-31` does not exist: June 2025 has 30 days'],
    ]);
  });

  it('schema errors name the field', async () => {
    const r = await check(BASE.replace('kind: enterprise', 'kind: enterprize'));
    expect(r.diagnostics.map((d) => d.message.en)).toEqual([
      '`kind` must be one of people-committee, leadership, department, district, agency, enterprise, team, centre — did you mean `enterprise`?',
    ]);
  });

  it('resolveUnit follows succession transitively and only once it is in effect', async () => {
    const text = BASE.replace('    kind: department\n    systems: [{ id: he-thong-c', '    kind: department\n    succeededBy: { unit: so-a, on: 2026-01-01 }\n    systems: [{ id: he-thong-c');
    const p = join(dir, 't.yaml');
    writeFileSync(p, text);
    const r = await loadRegistry(p);
    if (!r.ok) throw new Error('registry should load');
    expect(resolveUnit(r.registry, 'so-b', '2025-02-28')).toEqual({ status: 'active', id: 'so-b', from: [] });
    expect(resolveUnit(r.registry, 'so-b', '2025-03-01')).toEqual({ status: 'active', id: 'so-c', from: ['so-b'] });
    expect(resolveUnit(r.registry, 'so-b', '2026-01-01')).toEqual({ status: 'active', id: 'so-a', from: ['so-b', 'so-c'] });
    expect(resolveUnit(r.registry, 'huyen-x', '2025-07-01')).toEqual({ status: 'dissolved', id: 'huyen-x', on: '2025-07-01', from: [] });
  });
});
