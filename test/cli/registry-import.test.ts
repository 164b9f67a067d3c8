/**
 * `chithi registry import FILE.csv` (issue 11): a spreadsheet of units becomes a registry that
 * `chithi validate` accepts, or nothing is written and every bad row is named by its CSV line and
 * column.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../client/cli.js';
import { loadRegistry, resolveUnit } from '../../compiler/index.js';

const dir = mkdtempSync(join(tmpdir(), 'chithi-import-'));

async function run(args: string[], lang: 'vi' | 'en' = 'en') {
  let stdout = '';
  let stderr = '';
  const code = await main([...args, '--lang', lang], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env: {} });
  return { code, stdout, stderr };
}

function csv(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

// Excel's "CSV UTF-8": a byte-order mark, CRLF line ends, a quoted cell holding a comma and one a line break.
const GOOD = [
  '\uFEFFid,name,name_en,kind,parent,email,tags,succeeded_by,succeeded_on,dissolved_on,note,attr.region,attr.population,attr.code',
  'chinh-phu,Chính phủ,Government,people-committee,,cp@gov.example,,,,,,,,',
  'bo-khcn,Bộ Khoa học và Công nghệ,Ministry of Science and Technology,ministry,chinh-phu,bo-khcn@gov.example,bo nganh-doc,,,,,,,',
  'ha-giang,Hà Giang,,province,chinh-phu,,,tuyen-quang,2025-07-01,,,mien-bac,,02',
  'tuyen-quang,Tuyên Quang,,province,chinh-phu,ubnd@tuyenquang.example,,,,,"Sáp nhập, theo Nghị quyết 202/2025/QH15",mien-bac,1865270,08',
  '',
  'xa-a,Xã A,,commune,tuyen-quang,,,,,2026-01-01,"Hai dòng',
  'ghi chú",mien-bac,,',
  'evn,Tập đoàn Điện lực Việt Nam,Vietnam Electricity,state-enterprise,,evn@evn.example,,,,,,,,',
].join('\r\n');

describe('chithi registry import', () => {
  it('writes a registry that validates and resolves, and says how many units', async () => {
    const r = await run(['registry', 'import', csv('vn.csv', GOOD), '--out', 'vn.yaml']);
    expect(r).toEqual({ code: 0, stdout: '✓ vn.csv: 6 units → vn.yaml\n', stderr: '' });
    const text = readFileSync(join(dir, 'vn.yaml'), 'utf8');
    expect(text.split('\n').slice(0, 2)).toEqual([expect.stringMatching(/^# yaml-language-server: \$schema=.*compiler\/schema\/registry\.schema\.json$/), '# Tạo từ vn.csv bằng `chithi registry import`: sửa bảng tính rồi nhập lại.']);
    expect(await run(['validate', 'vn.yaml'])).toEqual({ code: 0, stdout: '✓ vn.yaml: valid unit registry\n', stderr: '' });
    const loaded = await loadRegistry(join(dir, 'vn.yaml'));
    if (!loaded.ok) throw new Error('should load');
    const reg = loaded.registry;
    expect(reg.data.metadata).toEqual({ id: 'vn' });
    expect(reg.units.get('bo-khcn')).toEqual({ id: 'bo-khcn', name: { vi: 'Bộ Khoa học và Công nghệ', en: 'Ministry of Science and Technology' }, kind: 'ministry', parent: 'chinh-phu', email: 'bo-khcn@gov.example', tags: ['bo', 'nganh-doc'] });
    expect(reg.units.get('tuyen-quang')).toMatchObject({ note: 'Sáp nhập, theo Nghị quyết 202/2025/QH15', attributes: { region: 'mien-bac', population: 1865270, code: '08' } });
    expect(reg.units.get('ha-giang')).toMatchObject({ succeededBy: { unit: 'tuyen-quang', on: '2025-07-01' }, attributes: { region: 'mien-bac', code: '02' } });
    expect(reg.units.get('xa-a')).toMatchObject({ kind: 'commune', dissolved: { on: '2026-01-01' }, note: 'Hai dòng\nghi chú' });
    expect(reg.units.get('evn')).toMatchObject({ kind: 'state-enterprise' });
    expect(resolveUnit(reg, 'ha-giang', '2025-07-01')).toEqual({ status: 'active', id: 'tuyen-quang', from: ['ha-giang'] });
  });

  it('a head column names the unit standing for a unit\'s head (assignee.head); one not in the registry is refused at its cell', async () => {
    const heads = 'id,kind,parent,head\nubnd-tinh,people-committee,,chu-tich\nchu-tich,leadership,ubnd-tinh,\nso-a,department,ubnd-tinh,giam-doc-a\n';
    const bad = await run(['registry', 'import', csv('heads-bad.csv', heads), '--out', 'heads.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('heads-bad.csv:4:4: error[unknown-head]: column 4 (head): head `giam-doc-a` is not in the registry');
    expect(existsSync(join(dir, 'heads.yaml'))).toBe(false);
    const good = await run(['registry', 'import', csv('heads.csv', heads.replace(',giam-doc-a', ',')), '--out', 'heads.yaml']);
    expect(good).toMatchObject({ code: 0, stderr: '' });
    const loaded = await loadRegistry(join(dir, 'heads.yaml'));
    if (!loaded.ok) throw new Error('should load');
    expect(loaded.registry.units.get('ubnd-tinh')).toMatchObject({ head: 'chu-tich' });
    expect(loaded.registry.units.get('so-a')?.head).toBeUndefined();
  });

  it('without --out prints the registry; --id names it', async () => {
    const r = await run(['registry', 'import', 'vn.csv', '--id', 'quoc-gia-2025']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('metadata:\n  id: quoc-gia-2025\nunits:\n  - id: chinh-phu\n    name: { vi: Chính phủ, en: Government }\n    kind: people-committee\n');
  });

  it('bad rows: every one named by CSV line and column, in both languages, and nothing written', async () => {
    const bad = GOOD.replace('bo-khcn@gov.example', 'bo-khcn@gov')
      .replace(',province,chinh-phu,,,tuyen-quang,2025-07-01', ',provnce,chinh-phu,,,tuyen-qang,2025-06-31')
      .replace('xa-a,Xã A,,commune,tuyen-quang', 'xa-a,Xã A,,commune,tuyen-quan')
      .replace('evn,Tập', 'chinh-phu,Tập');
    const r = await run(['registry', 'import', csv('bad.csv', bad), '--out', 'bad.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'bad.yaml'))).toBe(false);
    // The schema first (as `chithi validate`): a kind it does not know, and the id used twice.
    expect(r.stderr.split('\n').filter((l) => !l.startsWith('  →'))).toEqual([
      'bad.csv:4:4: error[invalid-value]: column 4 (kind): `kind` must be one of people-committee, leadership, department, district, agency, enterprise, team, centre, ministry, province, central-city, commune, state-enterprise — did you mean `province`?',
      'bad.csv:9:1: error[duplicate-id]: duplicate unit id `chinh-phu`',
      '✗ bad.csv: 2 error(s), nothing written',
      '',
    ]);
    // Once the schema is satisfied, the addresses, links and dates are checked.
    const links = bad.replace(',provnce,', ',province,');
    const r2 = await run(['registry', 'import', csv('links.csv', links), '--out', 'links.yaml']);
    expect(r2.code).toBe(1);
    expect(existsSync(join(dir, 'links.yaml'))).toBe(false);
    expect(r2.stderr.split('\n').filter((l) => !l.startsWith('  →'))).toEqual([
      'links.csv:3:6: error[invalid-email]: column 6 (email): e-mail of `bo-khcn`: `bo-khcn@gov`: the domain `gov` has no dot',
      'links.csv:4:8: error[succession-unknown]: column 8 (succeeded_by): successor `tuyen-qang` is not in the registry — did you mean `tuyen-quang`?',
      'links.csv:4:9: error[impossible-date]: column 9 (succeeded_on): date `2025-06-31` does not exist: June 2025 has 30 days',
      'links.csv:7:5: error[unknown-parent]: column 5 (parent): parent `tuyen-quan` is not in the registry — did you mean `tuyen-quang`?',
      'links.csv:9:1: error[duplicate-id]: duplicate unit id `chinh-phu`',
      '✗ links.csv: 5 error(s), nothing written',
      '',
    ]);
    expect(r2.stderr).toContain('links.csv:9:1: error[duplicate-id]: duplicate unit id `chinh-phu`\n  → first on line 2\n');
    const vi = await run(['registry', 'import', 'links.csv'], 'vi');
    expect(vi.stderr).toContain('links.csv:7:5: lỗi[unknown-parent]: cột 5 (parent): đơn vị cấp trên `tuyen-quan` không có trong danh mục — có phải ý bạn là `tuyen-quang`?\n');
    expect(vi.stderr).toContain('✗ links.csv: 5 lỗi, không ghi gì\n');
  });

  it('a header it does not know, a missing required column, a half succession, a row with a cell too many', async () => {
    const header = await run(['registry', 'import', csv('h.csv', 'id,ten,kind\na,A,agency\n')]);
    expect(header.code).toBe(1);
    expect(header.stderr).toContain('h.csv:1:2: error[csv-column]: no column `ten`\n  → the columns are id, name, name_en, kind, parent, head, email, tags, succeeded_by, succeeded_on, dissolved_on, note, and attr.<name> for each attribute\n');
    const typo = await run(['registry', 'import', csv('t.csv', 'id,emial,kind\na,a@b.example,agency\n')]);
    expect(typo.stderr).toContain('t.csv:1:2: error[csv-column]: no column `emial` — did you mean `email`?');
    const missing = await run(['registry', 'import', csv('m.csv', 'id,name\na,A\n')]);
    expect(missing.stderr).toContain('m.csv:1:1: error[csv-column]: missing column `kind`');
    const rows = await run(['registry', 'import', csv('r.csv', 'id,kind,succeeded_by,succeeded_on\na,agency,b,\nb,agency,,\n,agency,,\nc,agency,,,x\n')]);
    expect(rows.stderr.split('\n').filter((l) => !l.startsWith('  →'))).toEqual([
      'r.csv:2:4: error[missing-property]: `succeeded_on` is missing: a succession needs both the successor and the date',
      'r.csv:4:1: error[missing-property]: `id` (column 1) is empty',
      'r.csv:5:5: error[csv-field-count]: the row has 5 cells, the header 4',
      '✗ r.csv: 3 error(s), nothing written',
      '',
    ]);
  });

  it('a CSV that is not UTF-8, or whose quotes do not close, is refused with the fix', async () => {
    writeFileSync(join(dir, 'latin.csv'), Buffer.from('id,name,kind\nha-noi,H\xe0 N\xf4i,province\n', 'latin1'));
    const latin = await run(['registry', 'import', 'latin.csv']);
    expect(latin.stderr).toContain('latin.csv:1:1: error[invalid-utf8]: file is not valid UTF-8\n  → in Excel: Save As… → "CSV UTF-8 (Comma delimited)"');
    const quote = await run(['registry', 'import', csv('q.csv', 'id,name,kind\na,"A,agency\n')]);
    expect(quote.stderr).toContain('q.csv:2:1: error[csv-syntax]: a double quote (") is not closed where it should be\n');
  });

  it('--help lists the columns and the kinds with their names; usage mistakes exit 2', async () => {
    const help = await run(['registry', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: chithi registry import <file.csv> | merge <file.yaml> [--out <file.yaml>] [--id <id>]');
    expect(help.stdout).toMatch(/\n {2}succeeded_on +date the succession takes effect, YYYY-MM-DD\n/);
    expect(help.stdout).toMatch(/\n {2}attr\.<name> +an attribute/);
    expect(help.stdout).toMatch(/\n {2}central-city +centrally-run city\n/);
    const vi = await run(['registry', '--help'], 'vi');
    expect(vi.stdout).toMatch(/\n {2}province +tỉnh\n/);
    expect(vi.stdout).toMatch(/\n {2}state-enterprise +doanh nghiệp nhà nước\n/);
    expect((await run(['registry', 'export', 'x.csv'])).code).toBe(2);
    expect((await run(['registry', 'merge', 'vn.yaml', '--id', 'x'])).code).toBe(2);
    expect((await run(['registry', 'import', 'vn.csv', '--id', 'Việt Nam'])).code).toBe(2);
    const none = await run(['registry', 'import', 'nope.csv']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^chithi: Cannot read nope.csv: /);
  });
});

describe('chithi registry merge', () => {
  const HEAD = (id: string) => `apiVersion: chithi/v1\nkind: UnitRegistry\nmetadata:\n  id: ${id}\n`;

  it('writes a registry and the files it includes as one file that validates on its own', async () => {
    mkdirSync(join(dir, 'tinh'), { recursive: true });
    csv('quoc-gia.yaml', `${HEAD('quoc-gia')}include: [tinh/tinh.yaml]\nunits:\n  - { id: chinh-phu, kind: people-committee }\n`);
    csv('tinh/tinh.yaml', `${HEAD('tinh')}units:\n  - { id: tinh-a, kind: province, parent: chinh-phu }\n  - { id: tinh-b, kind: province, parent: chinh-phu, succeededBy: { unit: tinh-a, on: 2025-07-01 } }\n`);
    const r = await run(['registry', 'merge', 'quoc-gia.yaml', '--out', 'gop.yaml']);
    expect(r).toEqual({ code: 0, stdout: '✓ quoc-gia.yaml: 3 units → gop.yaml\n', stderr: '' });
    const text = readFileSync(join(dir, 'gop.yaml'), 'utf8');
    expect(text).not.toContain('include');
    expect(text).toContain('# Gộp từ / merged from: quoc-gia.yaml, tinh/tinh.yaml\n');
    expect(await run(['validate', 'gop.yaml'])).toEqual({ code: 0, stdout: '✓ gop.yaml: valid unit registry\n', stderr: '' });
    const merged = await loadRegistry(join(dir, 'gop.yaml'));
    if (!merged.ok) throw new Error('should load');
    expect([...merged.registry.units.keys()]).toEqual(['chinh-phu', 'tinh-a', 'tinh-b']);
    expect(resolveUnit(merged.registry, 'tinh-b', '2025-07-01').id).toBe('tinh-a');
  });

  it('a registry with errors: the diagnostics, and nothing written', async () => {
    csv('hong.yaml', `${HEAD('hong')}include: [khong-co.yaml]\nunits:\n  - { id: a, kind: agency }\n`);
    const r = await run(['registry', 'merge', 'hong.yaml', '--out', 'hong-gop.yaml'], 'vi');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hong.yaml:5:11: lỗi\[include-not-found\]: không tìm thấy tệp danh mục được gộp khong-co.yaml\n/);
    expect(r.stderr).toContain('✗ hong.yaml: 1 lỗi, không ghi gì\n');
    expect(existsSync(join(dir, 'hong-gop.yaml'))).toBe(false);
  });
});
