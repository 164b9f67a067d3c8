/**
 * Binh Thuan, Công văn 4052/UBND-TTTT (2022-11-28): the compiled plan checked clause by clause
 * against the text. Section 1 goes to the bodies under the provincial People's Committee and the
 * 10 districts; section 2 to the DIC (2.b through its ICT centre); section 3 to the provincial
 * response team; section 4 to the police and military command; section 5 to the Department of
 * Finance; the closing paragraph (0.1) to the DIC. Interpretations: docs/interpretations.md.
 */
import { describe, expect, it } from 'vitest';
import { CLAUSE, compileSeed, hasTag, ids, maxLevel, obligation, rawRegistry, resolvedAt, row } from './helpers.js';
import type { Row } from './helpers.js';

const FILE = 'directives/binhthuan-4052-2022.yaml';
const ISSUED = '2022-11-28';
const units = rawRegistry('directives/registries/binhthuan-2022.yaml');

const coQuan = units.filter((u) => hasTag(u, 'co-quan-thuoc-ubnd'));
const districts = units.filter((u) => u.kind === 'district');
const section1 = [...coQuan, ...districts];
const S1 = section1.length; // 20 + 10

// prettier-ignore
const EXPECTED: Row[] = [
  { clause: '1.a',   id: 'raise-awareness',          kind: 'ongoing',   timing: 'attest P6M',                  assignees: S1 },
  { clause: '1.b',   id: 'vulnerability-scan',       kind: 'recurring', timing: 'P6M/completion',              assignees: S1 },
  { clause: '1.b',   id: 'threat-monitoring',        kind: 'ongoing',   timing: 'attest P6M',                  assignees: S1 },
  { clause: '1.b',   id: 'remediate-vulnerability',  kind: 'event',     timing: 'vulnerability-found+PT72H',   assignees: S1 },
  { clause: '1.c',   id: 'remediate-alerts',         kind: 'event',     timing: 'authority-alert+P5D',         assignees: S1 },
  { clause: '1.d',   id: 'third-party-risk',         kind: 'ongoing',   timing: 'attest P6M',                  assignees: S1 },
  { clause: '1.đ',   id: 'incident-reporting',       kind: 'event',     timing: 'incident-occurred+PT24H',     assignees: S1 },
  { clause: '1.đ',   id: 'reporting-awareness',      kind: 'ongoing',   timing: 'attest P6M',                  assignees: S1 },
  { clause: '2.a',   id: 'live-drill',               kind: 'recurring', timing: 'P1Y/window',                  assignees: 1 },
  { clause: '2.b.1', id: 'central-monitoring',       kind: 'ongoing',   timing: 'attest P6M',                  assignees: 1 },
  { clause: '2.b.1', id: 'data-centre-assessment',   kind: 'recurring', timing: 'P1Y/window',                  assignees: 1 },
  { clause: '2.b.1', id: 'data-centre-remediation',  kind: 'event',     timing: 'vulnerability-found+PT72H',   assignees: 1 },
  { clause: '2.b.2', id: 'data-centre-alerts',       kind: 'event',     timing: 'authority-alert+P5D',         assignees: 1 },
  { clause: '2.b.2', id: 'propose-assessment-tools', kind: 'ongoing',   timing: 'attest P6M',                  assignees: 1 },
  { clause: '2.c',   id: 'publish-contact-point',    kind: 'ongoing',   timing: 'attest P6M',                  assignees: 1 },
  { clause: '2.d',   id: 'team-budget-proposal',     kind: 'ongoing',   timing: 'attest P1Y',                  assignees: 1 },
  { clause: '2.đ',   id: 'training-budget',          kind: 'ongoing',   timing: 'attest P1Y',                  assignees: 1 },
  { clause: '3.a',   id: 'response-plan',            kind: 'deadline',  timing: '2022-12-31',                  assignees: 1 },
  { clause: '3.a',   id: 'update-response-plan',     kind: 'event',     timing: 'system-changed+P30D',         assignees: 1 },
  { clause: '3.b',   id: 'incident-intake',          kind: 'ongoing',   timing: 'attest P6M',                  assignees: 1 },
  { clause: '3.b',   id: 'incident-response',        kind: 'event',     timing: 'incident-reported+PT24H',     assignees: 1 },
  { clause: '3.b',   id: 'threat-research',          kind: 'ongoing',   timing: 'attest P6M',                  assignees: 1 },
  { clause: '3.b',   id: 'skills-training',          kind: 'ongoing',   timing: 'attest P6M',                  assignees: 1 },
  { clause: '4.a',   id: 'sector-response',          kind: 'ongoing',   timing: 'attest P6M',                  assignees: 2 },
  { clause: '4.b',   id: 'coordinate-with-dic',      kind: 'ongoing',   timing: 'attest P6M',                  assignees: 2 },
  { clause: '5',     id: 'prioritise-budget',        kind: 'ongoing',   timing: 'attest P1Y',                  assignees: 1 },
  { clause: '5',     id: 'team-funding',             kind: 'ongoing',   timing: 'attest P1Y',                  assignees: 1 },
  { clause: '0.1',   id: 'monitor-implementation',   kind: 'ongoing',   timing: 'attest P6M',                  assignees: 1 },
  { clause: '0.1',   id: 'consolidated-report',      kind: 'ongoing',   timing: 'attest P6M',                  assignees: 1 },
];

describe('Binh Thuan 4052/UBND-TTTT at its date (2022-11-28)', async () => {
  const { plan, diagnostics } = await compileSeed(FILE, ISSUED);

  it('compiles without errors or warnings', () => {
    expect(diagnostics).toEqual([]);
    expect(plan.directive).toMatchObject({ id: 'binhthuan-4052-2022', number: '4052/UBND-TTTT', issued: ISSUED });
    expect(plan.roles).toEqual({ coordinator: 'so-tttt', leadership: 'chu-tich-ubnd', office: 'vp-ubnd' });
  });

  it('has every obligation of the text, nothing missing, nothing extra', () => {
    expect(plan.obligations.map(row)).toEqual(EXPECTED);
    expect(plan.obligations).toHaveLength(29);
  });

  it('numbers clauses as the text does: letters with đ, 2.b dashes one level deeper, section 5 bare', () => {
    for (const o of plan.obligations) expect(o.clause).toMatch(CLAUSE);
    const clauses = new Set(plan.obligations.map((o) => o.clause));
    expect(clauses).toContain('1.đ');
    expect(clauses).toContain('2.đ');
    expect(clauses).not.toContain('2.b'); // 2.b is only an instruction to direct the centre
    expect([...clauses].filter((c) => c.startsWith('2.b.'))).toEqual(['2.b.1', '2.b.2']);
  });

  it('section 1 goes to the 20 bodies under the People\'s Committee and the 10 districts', () => {
    expect(districts).toHaveLength(10);
    expect(coQuan).toHaveLength(20);
    for (const o of plan.obligations.filter((x) => x.clause.startsWith('1.'))) expect(o.assignees).toEqual(ids(section1));
    expect(obligation(plan, 'raise-awareness').assignees).toContain('huyen-phu-quy');
    expect(obligation(plan, 'raise-awareness').assignees).not.toContain('cong-an'); // section 4 only
    expect(obligation(plan, 'remediate-vulnerability').cooperating).toEqual(['doi-ung-cuu']);
  });

  it('2.a: the DIC drills the level-3+ systems; their operators co-operate', () => {
    const o = obligation(plan, 'live-drill');
    expect(o.assignees).toEqual(['so-tttt']);
    expect(o.cooperating).toEqual(ids(units.filter((u) => maxLevel(u) >= 3)));
    expect(o.cooperating).toEqual(['cong-an', 'so-tai-chinh', 'so-tnmt', 'tt-cntt-tt', 'vp-ubnd']);
  });

  it('2.b: the ICT centre does the work, reviewed by the DIC', () => {
    for (const o of plan.obligations.filter((x) => x.clause.startsWith('2.b.'))) {
      expect(o.assignees).toEqual(['tt-cntt-tt']);
      expect(o.reviewer).toBe('so-tttt');
    }
  });

  it('3: the response team issues its plan by 31/12/2022 and keeps it current', () => {
    const o = obligation(plan, 'response-plan');
    expect(o.assignees).toEqual(['doi-ung-cuu']);
    if (o.kind !== 'deadline') throw new Error('kind');
    expect(o.due).toBe('2022-12-31');
    expect(obligation(plan, 'update-response-plan').dependsOn).toEqual(['response-plan']);
  });

  it('4 and 5: police/military and finance', () => {
    expect(obligation(plan, 'sector-response').assignees).toEqual(['bch-quan-su', 'cong-an']);
    expect(obligation(plan, 'coordinate-with-dic').cooperating).toEqual(['so-tttt']);
    expect(obligation(plan, 'team-funding').assignees).toEqual(['so-tai-chinh']);
  });
});

describe('Binh Thuan 4052 at 2026-01-01: merged into Lâm Đồng', async () => {
  const AS_OF = '2026-01-01';
  const { plan, diagnostics } = await compileSeed(FILE, AS_OF);

  it('only warnings (dissolved districts)', () => {
    expect(diagnostics.every((d) => d.severity === 'warning' && d.code === 'dissolved-unit')).toBe(true);
    expect(diagnostics.length).toBeGreaterThan(0);
  });

  it('every assignee, reviewer and role is now a Lâm Đồng unit', () => {
    expect(plan.roles).toEqual({ coordinator: 'lam-dong-so-khcn', leadership: 'lam-dong-chu-tich-ubnd', office: 'lam-dong-vp-ubnd' });
    for (const o of plan.obligations) {
      for (const a of o.assignees) expect(a, o.id).toMatch(/^lam-dong-/);
      expect(o.reviewer).toMatch(/^lam-dong-/);
    }
  });

  it('section 1 resolves through the 2025-03 mergers, then the province merger', () => {
    const o = obligation(plan, 'raise-awareness');
    expect(o.assignees).toEqual(resolvedAt(units, ids(section1), AS_OF));
    expect(o.assignees).toHaveLength(15);
    expect(plan.units['lam-dong-so-khcn']!.succeededFrom).toEqual(expect.arrayContaining(['so-tttt', 'so-khcn']));
    expect(obligation(plan, 'response-plan').assignees).toEqual(['lam-dong-doi-ung-cuu']);
    expect(obligation(plan, 'sector-response').assignees).toEqual(['lam-dong-bch-quan-su', 'lam-dong-cong-an']);
  });
});
