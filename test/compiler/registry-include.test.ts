/**
 * `include:` in a unit registry (issue 11): a national registry split into files, merged into one,
 * with the mistakes a split invites (a missing file, a cycle, a unit in two files, a path leaving
 * the folder) reported at the line that causes them.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, formatDiagnostic, loadRegistry, registryText, resolveUnit, validateFile } from '../../compiler/index.js';
import { CALENDARS, validText } from './helpers.js';

const HEAD = (id: string) => `apiVersion: chithi/v1\nkind: UnitRegistry\nmetadata:\n  id: ${id}\n`;

/** Writes `files` (path → text) under a new folder; returns the folder. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'chithi-include-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const NATIONAL = {
  'quoc-gia.yaml': `${HEAD('quoc-gia')}include:
  - bo-nganh.yaml
  - tinh/tinh.yaml
units:
  - { id: chinh-phu, name: { vi: Chính phủ }, kind: people-committee, email: cp@gov.example }
`,
  'bo-nganh.yaml': `${HEAD('bo-nganh')}units:
  - { id: bo-kh-cn, name: { vi: Bộ Khoa học và Công nghệ }, kind: ministry, parent: chinh-phu, email: bo-khcn@gov.example }
`,
  'tinh/tinh.yaml': `${HEAD('tinh')}include: [xa.yaml]
units:
  - { id: tinh-a, name: { vi: Tỉnh A }, kind: province, email: tinh-a@gov.example }
  - { id: tinh-b, name: { vi: Tỉnh B }, kind: province, email: tinh-b@gov.example, succeededBy: { unit: tinh-a, on: 2025-07-01 } }
`,
  'tinh/xa.yaml': `${HEAD('xa')}units:
  - { id: xa-c, name: { vi: Xã C }, kind: commune, parent: tinh-a, email: xa-c@gov.example }
  - { id: dn-d, name: { vi: Tổng công ty D }, kind: state-enterprise, email: dn-d@gov.example }
`,
};

async function diagnostics(files: Record<string, string>, root = 'quoc-gia.yaml', lang: 'vi' | 'en' = 'en') {
  const dir = tree(files);
  const r = await validateFile(join(dir, root), { cwd: dir });
  return r.diagnostics.map((d) => formatDiagnostic(d, lang));
}

describe('registry include', () => {
  it('merges the units of every included file, depth first, each file once', async () => {
    const dir = tree({ ...NATIONAL, 'bo-nganh.yaml': NATIONAL['bo-nganh.yaml'].replace('units:', 'include: [tinh/xa.yaml]\nunits:') });
    const r = await loadRegistry(join(dir, 'quoc-gia.yaml'), 'quoc-gia.yaml');
    if (!r.ok) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d, 'en')).join('\n'));
    expect(r.diagnostics).toEqual([]);
    // xa.yaml is included twice (by bo-nganh.yaml and tinh/tinh.yaml): read once, no duplicate.
    expect([...r.registry.units.keys()]).toEqual(['chinh-phu', 'bo-kh-cn', 'xa-c', 'dn-d', 'tinh-a', 'tinh-b']);
    expect(r.registry.files.map((f) => f.file)).toEqual(['quoc-gia.yaml', 'bo-nganh.yaml', 'tinh/xa.yaml', 'tinh/tinh.yaml']);
    expect(r.registry.units.get('xa-c')).toMatchObject({ kind: 'commune', parent: 'tinh-a' });
    expect(resolveUnit(r.registry, 'tinh-b', '2025-06-30')).toEqual({ status: 'active', id: 'tinh-b', from: [] });
    expect(resolveUnit(r.registry, 'tinh-b', '2025-07-01')).toEqual({ status: 'active', id: 'tinh-a', from: ['tinh-b'] });
  });

  it('validate accepts the file that includes, and a file that only includes (no units of its own)', async () => {
    expect(await diagnostics(NATIONAL)).toEqual([]);
    expect(await diagnostics({ ...NATIONAL, 'chi-muc.yaml': `${HEAD('chi-muc')}include: [quoc-gia.yaml]\n` }, 'chi-muc.yaml')).toEqual([]);
    expect(await diagnostics({ 'rong.yaml': HEAD('rong') }, 'rong.yaml')).toEqual(['rong.yaml:1:1: error[missing-property]: missing required property `units`\n  → add `units: …`']);
  });

  it('a directive compiles against a registry that includes, addressing units from included files', async () => {
    const dir = tree({ ...NATIONAL, 'quoc-gia.yaml': NATIONAL['quoc-gia.yaml'].replace('  - tinh/tinh.yaml\n', '  - tinh/tinh.yaml\n  - test-province.yaml\n') });
    const fixture = join(dirname(CALENDARS), 'registries', 'test-province.yaml');
    writeFileSync(join(dir, 'test-province.yaml'), readFileSync(fixture, 'utf8'));
    const directive = join(dir, 'd.yaml');
    writeFileSync(directive, validText().replace('registry: registries/test-province.yaml', 'registry: quoc-gia.yaml').replace('audiences:\n', 'audiences:\n  provinces: { kind: province }\n').replace('assignees: [not-a]', 'assignees: [provinces, xa-c]'));
    const r = await compileFile(directive, { asOf: '2025-07-01', calendarDir: CALENDARS, cwd: dir });
    if (!r.ok) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d, 'en')).join('\n'));
    expect(r.plan.obligations.find((o) => o.id === 'awareness')!.assignees).toEqual(['tinh-a', 'xa-c']);
  });

  it('a missing file: an error at the include line, saying which file', async () => {
    const files = { ...NATIONAL, 'tinh/tinh.yaml': NATIONAL['tinh/tinh.yaml'].replace('[xa.yaml]', '[xa.yaml, huyen.yaml]') };
    expect(await diagnostics(files)).toEqual([
      "tinh/tinh.yaml:5:20: error[include-not-found]: included registry file not found: tinh/huyen.yaml\n  → a path in `include` is relative to this file's folder; a registry uploaded to the portal cannot include other files: upload it merged (`chithi registry merge <file>`)",
    ]);
    expect((await diagnostics(files, 'quoc-gia.yaml', 'vi'))[0]).toMatch(/^tinh\/tinh.yaml:5:20: lỗi\[include-not-found\]: không tìm thấy tệp danh mục được gộp tinh\/huyen.yaml\n {2}→ đường dẫn trong `include` tính từ thư mục của tệp này/);
  });

  it('a cycle: an error at the include that closes it, with the whole cycle', async () => {
    const files = { ...NATIONAL, 'tinh/xa.yaml': NATIONAL['tinh/xa.yaml'].replace('units:', 'include: [../quoc-gia.yaml]\nunits:') };
    expect(await diagnostics(files)).toEqual([
      'tinh/xa.yaml:5:11: error[include-cycle]: include cycle: quoc-gia.yaml → tinh/tinh.yaml → tinh/xa.yaml → quoc-gia.yaml\n  → a file cannot (indirectly) include itself; remove one `include` entry',
    ]);
    const self = await diagnostics({ 'a.yaml': `${HEAD('a')}include: [a.yaml]\nunits: [{ id: x, kind: agency }]\n` }, 'a.yaml', 'vi');
    expect(self).toEqual(['a.yaml:5:11: lỗi[include-cycle]: gộp vòng tròn: a.yaml → a.yaml\n  → một tệp không thể (gián tiếp) gộp chính nó; bỏ một mục `include`']);
  });

  it('a unit id defined in two files: an error at the second, naming the first file and line', async () => {
    const files = { ...NATIONAL, 'tinh/xa.yaml': NATIONAL['tinh/xa.yaml'] + '  - { id: bo-kh-cn, kind: ministry }\n' };
    expect(await diagnostics(files)).toEqual(['tinh/xa.yaml:8:11: error[duplicate-id]: duplicate unit id `bo-kh-cn`\n  → first declared in bo-nganh.yaml:6']);
    expect((await diagnostics(files, 'quoc-gia.yaml', 'vi'))[0]).toBe('tinh/xa.yaml:8:11: lỗi[duplicate-id]: mã đơn vị `bo-kh-cn` bị trùng\n  → đã khai báo ở bo-nganh.yaml:6');
  });

  it('links between files are checked on the merged registry, reported in the file that has them', async () => {
    const files = { ...NATIONAL, 'tinh/xa.yaml': NATIONAL['tinh/xa.yaml'].replace('parent: tinh-a', 'parent: tinh-z') };
    expect(await diagnostics(files)).toEqual(["tinh/xa.yaml:6:60: error[unknown-parent]: parent `tinh-z` is not in the registry — did you mean `tinh-a`?\n  → fix the id or add that unit"]);
  });

  it('an include outside the folder of the registry named is refused, not read', async () => {
    const dir = tree({ 'ngoai.yaml': `${HEAD('ngoai')}units: [{ id: x, kind: agency }]\n`, 'r/quoc-gia.yaml': `${HEAD('r')}include: [../ngoai.yaml, /etc/hostname]\n` });
    const r = await validateFile(join(dir, 'r', 'quoc-gia.yaml'), { cwd: dir });
    expect(r.diagnostics.map((d) => formatDiagnostic(d, 'en'))).toEqual([
      "r/quoc-gia.yaml:5:11: error[include-outside]: `../ngoai.yaml` is outside the registry's folder\n  → only files in the folder of the registry a directive (or command) names, or below it, can be included; copy the file there",
      "r/quoc-gia.yaml:5:26: error[include-outside]: `/etc/hostname` is outside the registry's folder\n  → only files in the folder of the registry a directive (or command) names, or below it, can be included; copy the file there",
    ]);
  });

  it('an included file with its own errors reports them in that file; one of another kind is refused', async () => {
    const broken = { ...NATIONAL, 'bo-nganh.yaml': NATIONAL['bo-nganh.yaml'].replace('kind: ministry', 'kind: minstry') };
    expect(await diagnostics(broken)).toEqual([expect.stringMatching(/^bo-nganh.yaml:6:67: error\[invalid-value\]: `kind` must be one of .* — did you mean `ministry`\?\n {2}→ got: "minstry"$/)]);
    const directive = { ...NATIONAL, 'bo-nganh.yaml': 'apiVersion: chithi/v1\nkind: Directive\n' };
    expect(await diagnostics(directive)).toEqual(['bo-nganh.yaml:2:7: error[unknown-kind]: not a unit registry (`kind: Directive`)\n  → a unit registry has `kind: UnitRegistry`']);
  });

  it('an edited included file is read again, not served from the cache', async () => {
    const dir = tree(NATIONAL);
    const first = await loadRegistry(join(dir, 'quoc-gia.yaml'));
    expect(first.ok).toBe(true);
    writeFileSync(join(dir, 'tinh/xa.yaml'), NATIONAL['tinh/xa.yaml'].replace('id: dn-d', 'id: dn-e'));
    const second = await loadRegistry(join(dir, 'quoc-gia.yaml'));
    if (!second.ok) throw new Error('should load');
    expect(second.registry.units.has('dn-e')).toBe(true);
    expect(second.registry.units.has('dn-d')).toBe(false);
  });

  it('registryText: one file as it is; with includes, every unit in one registry that validates alone', async () => {
    const dir = tree(NATIONAL);
    const r = await loadRegistry(join(dir, 'quoc-gia.yaml'), 'quoc-gia.yaml');
    if (!r.ok) throw new Error('should load');
    const text = registryText(r.registry);
    expect(text.split('\n')[0]).toBe('# Gộp từ / merged from: quoc-gia.yaml, bo-nganh.yaml, tinh/tinh.yaml, tinh/xa.yaml');
    const alone = tree({ 'merged.yaml': text });
    const merged = await loadRegistry(join(alone, 'merged.yaml'));
    if (!merged.ok) throw new Error(merged.diagnostics.map((d) => formatDiagnostic(d, 'en')).join('\n'));
    expect([...merged.registry.units.values()]).toEqual([...r.registry.units.values()]);
    expect(merged.registry.data.metadata).toEqual(r.registry.data.metadata);
    const one = `${HEAD('mot')}units: [{ id: x, kind: agency }]\n`;
    const single = await loadRegistry(join(tree({ 'mot.yaml': one }), 'mot.yaml'));
    if (!single.ok) throw new Error('should load');
    expect(registryText(single.registry)).toBe(one);
  });
});
