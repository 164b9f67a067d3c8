import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, resolveUnit, validateFile } from '../../compiler/index.js';
import { emailProblem } from '../../compiler/email.js';
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
      '`kind` must be one of people-committee, leadership, department, district, agency, enterprise, team, centre, ministry, province, central-city, commune, state-enterprise — did you mean `enterprise`?',
    ]);
  });

  it('an e-mail must be one bare address: the error points at its line, with a vi/en hint', async () => {
    const bad = async (value: string) => (await check(BASE.replace('email: so-a@example.test', `email: ${value}`))).diagnostics;
    const several = await bad('so-a@example.test, van-thu@example.test');
    expect(several.map((d) => [d.code, d.severity, d.line, d.column, d.message.en, d.hint.en])).toEqual([
      ['invalid-email', 'error', 20, 12, 'e-mail of `so-a`: `so-a@example.test, van-thu@example.test` holds several addresses', 'one address per unit; put a distribution list address if several people must receive it'],
    ]);
    expect(several[0]!.message.vi).toBe('thư điện tử của `so-a`: `so-a@example.test, van-thu@example.test` có nhiều địa chỉ');
    expect(several[0]!.hint.vi).toMatch(/^mỗi đơn vị một địa chỉ; nếu nhiều người cần nhận/);
    const messages = async (value: string) => (await bad(value)).map((d) => [d.code, d.line, d.message.en]);
    expect(await messages('"so-a@example.test; b@example.test"')).toEqual([['invalid-email', 20, 'e-mail of `so-a`: `so-a@example.test; b@example.test` holds several addresses']]);
    expect(await messages('so-a@example.test van-thu@example.test')).toEqual([['invalid-email', 20, 'e-mail of `so-a`: `so-a@example.test van-thu@example.test` holds several addresses']]);
    expect(await messages('|\n      so-a@example.test\n      van-thu@example.test')).toEqual([
      ['invalid-email', 20, 'e-mail of `so-a`: `so-a@example.test↵van-thu@example.test↵` contains a line break: write one address'],
    ]);
    expect(await messages('so a@example.test')).toEqual([['invalid-email', 20, 'e-mail of `so-a`: `so a@example.test` contains a space']]);
    expect(await messages('"Sở A <so-a@example.test>"')).toEqual([['invalid-email', 20, 'e-mail of `so-a`: `Sở A <so-a@example.test>` has a display name: write the bare address']]);
    expect(await messages('so-a.example.test')).toEqual([['invalid-email', 20, 'e-mail of `so-a`: `so-a.example.test` has no @']]);
    expect(await messages('so-a@localhost')).toEqual([['invalid-email', 20, 'e-mail of `so-a`: `so-a@localhost`: the domain `localhost` has no dot']]);
    expect(await messages('"so-a@@example.test"')).toEqual([['invalid-email', 20, 'e-mail of `so-a`: `so-a@@example.test` has more than one @']]);
  });

  it('emailProblem: one RFC 5321 dot-atom address on a dotted host name, nothing else', () => {
    for (const ok of ['so-a@example.test', 'vp_ubnd@hanoi.example', 'first.last+tag@so-a.hanoi.example', 'x@xn--80ak6aa92e.example', 'A.B@Example.ORG']) expect(emailProblem(ok), ok).toBeNull();
    for (const bad of ['', ' ', 'a@b.c1', 'a@b.123', 'a@-b.example', 'a@b-.example', 'a@b..example', '.a@b.example', 'a.@b.example', 'a..b@c.example', '"a b"@c.example', 'a@[192.0.2.1]', 'a@b.example.', 'sở@hanoi.example', 'a@hà-nội.example', `${'x'.repeat(65)}@b.example`, `a@${'b'.repeat(64)}.example`, ' a@b.example']) {
      expect(emailProblem(bad), JSON.stringify(bad)).not.toBeNull();
    }
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
