/**
 * The registry the project ships of Vietnam's provinces after the 2025 merger
 * (directives/registries/vn-provinces-2025.yaml, National Assembly Resolution 202/2025/QH15): it
 * loads, lists the 34 provinces and centrally-run cities of 2025-07-01, every merged province is
 * succeeded by the one it became part of from that date, and a directive addressing a merged
 * province reaches its successor once compiled as of the merger.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, formatDiagnostic, loadRegistry, resolveUnit } from '../../compiler/index.js';
import type { Registry } from '../../compiler/index.js';
import { root } from './helpers.js';

const FILE = 'directives/registries/vn-provinces-2025.yaml';
const MERGER = '2025-07-01';

// Restated from the resolution, independently of the file: the 34 units and what became part of each.
const CITIES = ['can-tho', 'da-nang', 'ha-noi', 'hai-phong', 'hue', 'thanh-pho-ho-chi-minh'];
const MERGED_INTO: Record<string, string[]> = {
  'an-giang': ['kien-giang'],
  'bac-ninh': ['bac-giang'],
  'ca-mau': ['bac-lieu'],
  'can-tho': ['hau-giang', 'soc-trang'],
  'cao-bang': [],
  'da-nang': ['quang-nam'],
  'dak-lak': ['phu-yen'],
  'dien-bien': [],
  'dong-nai': ['binh-phuoc'],
  'dong-thap': ['tien-giang'],
  'gia-lai': ['binh-dinh'],
  'ha-noi': [],
  'ha-tinh': [],
  'hai-phong': ['hai-duong'],
  hue: [],
  'hung-yen': ['thai-binh'],
  'khanh-hoa': ['ninh-thuan'],
  'lai-chau': [],
  'lam-dong': ['binh-thuan', 'dak-nong'],
  'lang-son': [],
  'lao-cai': ['yen-bai'],
  'nghe-an': [],
  'ninh-binh': ['ha-nam', 'nam-dinh'],
  'phu-tho': ['hoa-binh', 'vinh-phuc'],
  'quang-ngai': ['kon-tum'],
  'quang-ninh': [],
  'quang-tri': ['quang-binh'],
  'son-la': [],
  'tay-ninh': ['long-an'],
  'thai-nguyen': ['bac-kan'],
  'thanh-hoa': [],
  'thanh-pho-ho-chi-minh': ['ba-ria-vung-tau', 'binh-duong'],
  'tuyen-quang': ['ha-giang'],
  'vinh-long': ['ben-tre', 'tra-vinh'],
};
const PREDECESSORS = Object.entries(MERGED_INTO).flatMap(([to, from]) => from.map((id) => [id, to] as const));

async function load(): Promise<Registry> {
  const r = await loadRegistry(resolve(root, FILE), FILE);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d, 'en')).join('\n'));
  expect(r.diagnostics).toEqual([]);
  return r.registry;
}

describe(FILE, () => {
  it('loads with no diagnostic: 63 provincial-level units, 34 of them from 2025-07-01 (6 centrally-run cities, 28 provinces)', async () => {
    const reg = await load();
    expect(reg.units.size).toBe(63);
    const current = [...reg.units.keys()].filter((id) => resolveUnit(reg, id, MERGER).id === id);
    expect(current.sort()).toEqual(Object.keys(MERGED_INTO).sort());
    expect(current.filter((id) => reg.units.get(id)!.kind === 'central-city').sort()).toEqual(CITIES);
    expect(current.filter((id) => reg.units.get(id)!.kind === 'province')).toHaveLength(28);
    expect(reg.units.get('thanh-pho-ho-chi-minh')!.name).toEqual({ vi: 'Thành phố Hồ Chí Minh', en: 'Ho Chi Minh City' });
    expect(reg.units.get('dak-lak')!.name).toEqual({ vi: 'Tỉnh Đắk Lắk', en: 'Dak Lak Province' });
    // Before the merger, all 63 were provinces or cities in their own right.
    expect([...reg.units.keys()].filter((id) => resolveUnit(reg, id, '2025-06-30').id === id)).toHaveLength(63);
  });

  it('every merged province is succeeded by the one it became part of, from 2025-07-01 and not before', async () => {
    const reg = await load();
    expect(PREDECESSORS).toHaveLength(29);
    for (const [id, to] of PREDECESSORS) {
      expect(reg.units.get(id)!.succeededBy, id).toEqual({ unit: to, on: MERGER });
      expect(resolveUnit(reg, id, MERGER), id).toEqual({ status: 'active', id: to, from: [id] });
      expect(resolveUnit(reg, id, '2025-06-30'), id).toEqual({ status: 'active', id, from: [] });
    }
  });

  it('a directive addressing merged provinces reaches their successors when compiled as of the merger', async () => {
    // A national registry of the deployment's own, including the shipped one beside it.
    const dir = mkdtempSync(join(tmpdir(), 'chithi-vn-'));
    copyFileSync(resolve(root, FILE), join(dir, 'vn-provinces-2025.yaml'));
    writeFileSync(
      join(dir, 'quoc-gia.yaml'),
      `apiVersion: chithi/v1
kind: UnitRegistry
metadata: { id: quoc-gia }
include: [vn-provinces-2025.yaml]
units:
  - { id: chinh-phu, name: { vi: Chính phủ }, kind: people-committee, email: cp@gov.example }
  - { id: bo-nv, name: { vi: Bộ Nội vụ }, kind: ministry, parent: chinh-phu, email: bo-nv@gov.example }
`,
    );
    writeFileSync(
      join(dir, 'chi-thi.yaml'),
      `apiVersion: chithi/v1
kind: Directive
metadata:
  id: test-vn-2025
  number: 1/CT-TEST
  type: chi-thi
  issuer: chinh-phu
  issued: 2025-06-20
  title: { vi: Chỉ thị thử nghiệm cấp quốc gia, en: A national test directive }
  timezone: Asia/Ho_Chi_Minh
  calendar: { id: vn, dueOnDayOff: next-working-day }
  registry: quoc-gia.yaml
roles:
  coordinator: bo-nv
  leadership: chinh-phu
audiences:
  mekong: { units: [kien-giang, hau-giang, soc-trang, can-tho, tien-giang] }
obligations:
  - id: bao-cao
    clause: "1"
    title: { vi: Báo cáo kết quả, en: Report }
    assignees: [mekong, ha-giang]
    kind: deadline
    due: 2025-12-15
    reminders: [P7D]
    escalation: [{ after: P0D, to: [coordinator] }]
    evidence: [{ kind: document, name: report, title: { vi: Báo cáo } }]
`,
    );
    const compile = async (asOf: string) => {
      const r = await compileFile(join(dir, 'chi-thi.yaml'), { asOf, cwd: dir });
      if (!r.ok) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d, 'en')).join('\n'));
      return r.plan;
    };
    const before = await compile('2025-06-30');
    expect(before.obligations[0]!.assignees).toEqual(['can-tho', 'ha-giang', 'hau-giang', 'kien-giang', 'soc-trang', 'tien-giang']);
    const after = await compile(MERGER);
    expect(after.obligations[0]!.assignees).toEqual(['an-giang', 'can-tho', 'dong-thap', 'tuyen-quang']);
    expect(after.units['can-tho']).toMatchObject({ succeededFrom: ['hau-giang', 'soc-trang'] });
    expect(after.units['tuyen-quang']).toMatchObject({ name: { vi: 'Tỉnh Tuyên Quang' }, succeededFrom: ['ha-giang'] });
  });
});
