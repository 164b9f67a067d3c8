/**
 * The three unit registries behind the seed directives: the real district-level units of each
 * province at the directive's date, unique ids, valid e-mails, the named agencies, and the 2025
 * reorganisation (department mergers 2025-03-01, Binh Thuan into Lâm Đồng and the end of the
 * district level 2025-07-01).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistry, resolveUnit } from '../../compiler/index.js';
import type { Registry } from '../../compiler/index.js';
import { hasTag, ids, maxLevel, rawRegistry, root } from './helpers.js';
import type { RawUnit } from './helpers.js';

interface Case {
  file: string;
  domain: string;
  extraDomains: string[];
  districts: number;
  byType: Record<string, number>;
  mustHaveDistricts: string[];
  mustHaveUnits: string[];
}

const CASES: Case[] = [
  {
    file: 'directives/registries/hanoi-2022.yaml',
    domain: 'hanoi.example',
    extraDomains: [],
    districts: 30,
    byType: { quan: 12, huyen: 17, 'thi-xa': 1 },
    mustHaveDistricts: ['thi-xa-son-tay', 'quan-ha-dong', 'huyen-me-linh', 'huyen-soc-son'],
    mustHaveUnits: ['ubnd-hanoi', 'chu-tich-ubnd', 'so-tttt', 'vp-ubnd', 'cong-an', 'bo-tu-lenh-thu-do', 'nhnn-hanoi', 'doi-ung-cuu'],
  },
  {
    file: 'directives/registries/binhthuan-2022.yaml',
    domain: 'binhthuan.example',
    extraDomains: ['lamdong.example'],
    districts: 10,
    byType: { 'thanh-pho': 1, 'thi-xa': 1, huyen: 8 },
    mustHaveDistricts: ['tp-phan-thiet', 'tx-la-gi', 'huyen-phu-quy'],
    mustHaveUnits: ['ubnd-binh-thuan', 'chu-tich-ubnd', 'so-tttt', 'tt-cntt-tt', 'doi-ung-cuu', 'cong-an', 'bch-quan-su', 'so-tai-chinh', 'vp-ubnd'],
  },
  {
    file: 'directives/registries/haiphong-2014.yaml',
    domain: 'haiphong.example',
    extraDomains: [],
    districts: 15,
    byType: { quan: 7, huyen: 8 },
    mustHaveDistricts: ['quan-duong-kinh', 'quan-do-son', 'huyen-bach-long-vi', 'huyen-cat-hai'],
    mustHaveUnits: [
      'ubnd-hai-phong', 'chu-tich-ubnd', 'so-tttt', 'cong-an', 'bch-quan-su', 'bch-bien-phong', 'doi-ung-cuu', 'trung-tam-du-lieu',
      'vp-thanh-uy', 'vp-doan-dbqh-hdnd', 'vp-ubnd', 'dai-ptth', 'bao-hai-phong', 'cong-ttdt',
    ],
  },
];

const EMAIL = /^[a-z0-9]+([._-][a-z0-9]+)*@[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$/;
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

async function load(file: string): Promise<Registry> {
  const r = await loadRegistry(resolve(root, file), file);
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.diagnostics)}`);
  expect(r.diagnostics).toEqual([]);
  return r.registry;
}

describe.each(CASES)('registry $file', (c) => {
  const units: RawUnit[] = rawRegistry(c.file);
  const districts = units.filter((u) => u.kind === 'district');

  it('passes the compiler\'s registry checks', async () => {
    await load(c.file);
  });

  it(`has exactly ${c.districts} district-level units, by type`, () => {
    expect(districts).toHaveLength(c.districts);
    const byType: Record<string, number> = {};
    for (const d of districts) byType[String(d.attributes?.type)] = (byType[String(d.attributes?.type)] ?? 0) + 1;
    expect(byType).toEqual(c.byType);
    for (const id of c.mustHaveDistricts) expect(ids(districts)).toContain(id);
  });

  it('has unique ascii kebab-case ids and the named units', () => {
    const all = units.map((u) => u.id);
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(ID);
    for (const id of c.mustHaveUnits) expect(all).toContain(id);
  });

  it('gives every unit a Vietnamese and English name and a valid e-mail on a reserved domain', () => {
    for (const u of units) {
      expect(u.name?.vi, u.id).toBeTruthy();
      expect(u.name?.en, u.id).toBeTruthy();
      expect(u.email, u.id).toMatch(EMAIL);
      const domain = u.email!.split('@')[1]!;
      // RFC 2606 `.example`: a seed deployed with a real relay must not reach a real office.
      expect(domain, u.id).toMatch(/\.example$/);
      if (u.kind === 'enterprise') {
        expect([c.domain, ...c.extraDomains], u.id).not.toContain(domain);
        expect(u.example, u.id).toBe(true);
      } else {
        expect([c.domain, ...c.extraDomains], u.id).toContain(domain);
      }
    }
  });

  it('has one People\'s Committee, its chair as leadership, and one DIC tagged coordinator', () => {
    expect(units.filter((u) => u.kind === 'people-committee' && !hasTag(u, 'later-unit'))).toHaveLength(1);
    expect(units.filter((u) => u.kind === 'leadership' && !hasTag(u, 'later-unit')).map((u) => u.id)).toEqual(['chu-tich-ubnd']);
    expect(units.filter((u) => hasTag(u, 'coordinator')).map((u) => u.id)).toEqual(['so-tttt']);
  });

  it('marks illustrative security levels with a note', () => {
    for (const u of units.filter((x) => maxLevel(x) >= 3)) expect(u.note, u.id).toMatch(/illustrative/i);
  });

  it('dissolves every district on 2025-07-01', () => {
    for (const d of districts) {
      expect(d.dissolved?.on, d.id).toBe('2025-07-01');
      expect(d.succeededBy, d.id).toBeUndefined();
    }
  });

  it('later units exist only as successors and carry a note', () => {
    const successors = new Set(units.map((u) => u.succeededBy?.unit).filter((x): x is string => x !== undefined));
    for (const u of units.filter((x) => hasTag(x, 'later-unit'))) {
      expect(successors.has(u.id), u.id).toBe(true);
      expect(u.note, u.id).toMatch(/later unit/i);
      expect(u.tags, u.id).not.toContain('so-ban-nganh');
      expect(u.tags, u.id).not.toContain('co-quan-thuoc-ubnd');
    }
  });

  it('applies the 2025-03-01 department mergers on that day, not before', async () => {
    const reg = await load(c.file);
    const merges: [string, string][] = [
      ['so-tttt', 'so-khcn'],
      ['so-khdt', 'so-tai-chinh'],
      ['so-gtvt', 'so-xay-dung'],
      ['so-tnmt', 'so-nnmt'],
      ['so-nnptnt', 'so-nnmt'],
      ['so-ldtbxh', 'so-noi-vu'],
    ];
    for (const [from, to] of merges) {
      expect(resolveUnit(reg, from, '2025-02-28')).toMatchObject({ status: 'active', id: from });
      expect(resolveUnit(reg, from, '2025-03-01')).toMatchObject({ status: 'active', id: to });
    }
    for (const d of districts) {
      expect(resolveUnit(reg, d.id, '2025-06-30').status).toBe('active');
      expect(resolveUnit(reg, d.id, '2025-07-01').status).toBe('dissolved');
    }
  });
});

describe('Hanoi registry specifics', () => {
  const units = rawRegistry('directives/registries/hanoi-2022.yaml');

  it('tags the 10 priority-sector bodies listed in 3968 section 1', () => {
    expect(ids(units.filter((u) => hasTag(u, 'priority-sector')))).toEqual(
      ['bo-tu-lenh-thu-do', 'cong-an', 'nhnn-hanoi', 'so-cong-thuong', 'so-gtvt', 'so-tai-chinh', 'so-tnmt', 'so-y-te', 'ubnd-hanoi', 'vp-ubnd'].sort(),
    );
  });

  it('has example telecom, Internet and security providers', () => {
    const ent = units.filter((u) => u.kind === 'enterprise');
    for (const tag of ['telecom', 'isp', 'security-provider']) expect(ent.some((u) => hasTag(u, tag)), tag).toBe(true);
    expect(ent.every((u) => u.example === true)).toBe(true);
  });
});

describe('Binh Thuan registry specifics', () => {
  const file = 'directives/registries/binhthuan-2022.yaml';
  const units = rawRegistry(file);

  it('every provincial unit becomes a Lâm Đồng unit (or is dissolved) on 2025-07-01', async () => {
    const r = await loadRegistry(resolve(root, file), file);
    if (!r.ok) throw new Error('registry');
    for (const u of units.filter((x) => !hasTag(x, 'later-unit'))) {
      const res = resolveUnit(r.registry, u.id, '2025-07-01');
      if (u.kind === 'district') expect(res.status, u.id).toBe('dissolved');
      else {
        expect(res.status, u.id).toBe('active');
        expect(res.id, u.id).toMatch(/^lam-dong-/);
      }
      expect(resolveUnit(r.registry, u.id, '2025-06-30').id.startsWith('lam-dong-'), u.id).toBe(false);
    }
    expect(resolveUnit(r.registry, 'so-tttt', '2026-01-01')).toMatchObject({ id: 'lam-dong-so-khcn', from: ['so-tttt', 'so-khcn'] });
  });

  it('the ICT centre sits under the DIC', () => {
    expect(units.find((u) => u.id === 'tt-cntt-tt')).toMatchObject({ kind: 'centre', parent: 'so-tttt' });
  });
});

describe('Hai Phong registry specifics', () => {
  const units = rawRegistry('directives/registries/haiphong-2014.yaml');

  it('tags the key bodies of 3.b, with every district among them', () => {
    const kb = ids(units.filter((u) => hasTag(u, 'key-body')));
    for (const id of ['vp-thanh-uy', 'vp-doan-dbqh-hdnd', 'vp-ubnd', 'dai-ptth', 'trung-tam-du-lieu', 'bch-quan-su', 'bch-bien-phong']) expect(kb).toContain(id);
    for (const d of units.filter((u) => u.kind === 'district')) expect(kb).toContain(d.id);
  });

  it('has example state-owned enterprises and ISPs', () => {
    expect(units.filter((u) => hasTag(u, 'soe') && u.example === true).length).toBeGreaterThanOrEqual(3);
    expect(units.filter((u) => hasTag(u, 'isp') && u.example === true).length).toBeGreaterThanOrEqual(2);
  });
});
