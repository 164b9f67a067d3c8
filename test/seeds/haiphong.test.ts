/**
 * Hai Phong, Chỉ thị 24/CT-UBND (2014-10-31): the compiled plan checked clause by clause against
 * the text. The source's numbering is kept as printed: no section 5, and section 4 runs d → e
 * without đ. Sections 1-2 go to departments, the 15 districts, public service units and SOEs;
 * 3 to the city police; 4 to the DIC; 6 to planning and finance; 7 to the media; 8 to ISPs; the
 * second closing paragraph (0.2) to everyone. Interpretations: docs/interpretations.md.
 */
import { describe, expect, it } from 'vitest';
import { CLAUSE, compileSeed, hasTag, ids, obligation, rawRegistry, resolvedAt, row } from './helpers.js';
import type { Row } from './helpers.js';

const FILE = 'directives/haiphong-24-2014.yaml';
const ISSUED = '2014-10-31';
const units = rawRegistry('directives/registries/haiphong-2014.yaml');

const districts = units.filter((u) => u.kind === 'district');
const addressees = units.filter(
  (u) => hasTag(u, 'so-ban-nganh') || u.kind === 'district' || hasTag(u, 'public-service-unit') || hasTag(u, 'soe'),
);
const isps = units.filter((u) => u.kind === 'enterprise' && hasTag(u, 'isp'));
const keyBodies = units.filter((u) => hasTag(u, 'key-body'));
const A = addressees.length; // 20 departments/boards + 15 districts + 4 public service units + 3 SOEs = 42

const DIC = 1;
// prettier-ignore
const EXPECTED: Row[] = [
  { clause: '1.a',   id: 'coordinate-security',                 kind: 'ongoing',   timing: 'attest P1Y',                   assignees: A },
  { clause: '1.a',   id: 'staff-awareness',                     kind: 'ongoing',   timing: 'attest P1Y',                   assignees: A },
  { clause: '1.a',   id: 'protect-state-secrets',               kind: 'ongoing',   timing: 'attest P1Y',                   assignees: A },
  { clause: '1.b',   id: 'invest-security',                     kind: 'ongoing',   timing: 'attest P1Y',                   assignees: A },
  { clause: '1.b',   id: 'annual-assessment',                   kind: 'recurring', timing: 'P1Y/window',                   assignees: A },
  { clause: '1.c',   id: 'security-regulation',                 kind: 'ongoing',   timing: 'attest P1Y',                   assignees: A },
  { clause: '1.d',   id: 'report-attack',                       kind: 'event',     timing: 'attack-detected+PT4H',         assignees: A },
  { clause: '2.a',   id: 'leadership-awareness',                kind: 'ongoing',   timing: 'attest P1Y',                   assignees: A },
  { clause: '2.b',   id: 'direct-staff',                        kind: 'ongoing',   timing: 'attest P1Y',                   assignees: A },
  { clause: '2.c',   id: 'head-accountability',                 kind: 'ongoing',   timing: 'attest P1Y',                   assignees: A },
  { clause: '3.a',   id: 'security-inspection',                 kind: 'ongoing',   timing: 'attest P1Y',                   assignees: 1 },
  { clause: '3.a',   id: 'guide-security-solutions',            kind: 'ongoing',   timing: 'attest P1Y',                   assignees: 1 },
  { clause: '3.a',   id: 'prevention-plan',                     kind: 'ongoing',   timing: 'attest P1Y',                   assignees: 1 },
  { clause: '3.a',   id: 'investigate-violations',              kind: 'ongoing',   timing: 'attest P1Y',                   assignees: 1 },
  { clause: '3.b',   id: 'key-body-contingency-plans',          kind: 'ongoing',   timing: 'attest P1Y',                   assignees: 1 },
  { clause: '3.c',   id: 'project-security-appraisal-guidance', kind: 'ongoing',   timing: 'attest P1Y',                   assignees: 1 },
  { clause: '3.d',   id: 'rapid-response-steering',             kind: 'ongoing',   timing: 'attest P1Y',                   assignees: 1 },
  { clause: '4.a',   id: 'security-propaganda',                 kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.a',   id: 'disseminate-legislation',             kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.b',   id: 'inspection-enforcement',              kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.b',   id: 'security-supervision',                kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.c',   id: 'software-appraisal-guidance',         kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.d',   id: 'legal-review',                        kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.e',   id: 'network-management',                  kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.f',   id: 'annual-drill-plan',                   kind: 'recurring', timing: 'P1Y/window',                   assignees: DIC },
  { clause: '4.g',   id: 'propose-response-unit',               kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.g',   id: 'repair-focal-point',                  kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.h',   id: 'expert-attraction-policy',            kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.h',   id: 'training-programme',                  kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.h',   id: 'upgrade-equipment',                   kind: 'ongoing',   timing: 'attest P1Y',                   assignees: DIC },
  { clause: '4.i',   id: 'annual-maintenance',                  kind: 'recurring', timing: 'P1Y/window',                   assignees: DIC },
  { clause: '4.i',   id: 'portal-vulnerability-scan',           kind: 'recurring', timing: 'P1Y/window',                   assignees: DIC },
  { clause: '4.i.2', id: 'annual-report',                       kind: 'recurring', timing: 'P1Y/window',                   assignees: DIC },
  { clause: '6',     id: 'security-budget',                     kind: 'ongoing',   timing: 'attest P1Y',                   assignees: 2 },
  { clause: '7',     id: 'publicise-directive',                 kind: 'ongoing',   timing: 'attest P1Y',                   assignees: 3 },
  { clause: '8',     id: 'isp-infrastructure-security',         kind: 'ongoing',   timing: 'attest P1Y',                   assignees: 3 },
  { clause: '8',     id: 'detect-violators',                    kind: 'ongoing',   timing: 'attest P1Y',                   assignees: 3 },
  { clause: '0.2',   id: 'report-difficulties',                 kind: 'event',     timing: 'implementation-difficulty+P7D', assignees: A + 3 },
];

describe('Hai Phong 24/CT-UBND at its date (2014-10-31)', async () => {
  const { plan, diagnostics } = await compileSeed(FILE, ISSUED);

  it('compiles without errors or warnings', () => {
    expect(diagnostics).toEqual([]);
    expect(plan.directive).toMatchObject({ id: 'haiphong-24-2014', number: '24/CT-UBND', issued: ISSUED });
    expect(plan.roles).toEqual({ coordinator: 'so-tttt', police: 'cong-an', leadership: 'chu-tich-ubnd', office: 'vp-ubnd' });
  });

  it('has every obligation of the text, nothing missing, nothing extra', () => {
    expect(plan.obligations.map(row)).toEqual(EXPECTED);
    expect(plan.obligations).toHaveLength(38);
  });

  it('keeps the broken numbering: no section 5, section 4 letters without đ', () => {
    for (const o of plan.obligations) expect(o.clause).toMatch(CLAUSE);
    expect(plan.obligations.filter((o) => o.clause === '5' || o.clause.startsWith('5.'))).toEqual([]);
    const sections = [...new Set(plan.obligations.map((o) => o.clause.split('.')[0]))];
    expect(sections).toEqual(['1', '2', '3', '4', '6', '7', '8', '0']);
    const letters4 = [...new Set(plan.obligations.filter((o) => o.clause.startsWith('4.')).map((o) => o.clause.split('.')[1]))];
    expect(letters4).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
  });

  it('sections 1-2 go to departments, the 15 districts, public service units and SOEs', () => {
    expect(districts).toHaveLength(15);
    expect(A).toBe(42);
    for (const o of plan.obligations.filter((x) => /^[12]\./.test(x.clause))) expect(o.assignees).toEqual(ids(addressees));
    const a = obligation(plan, 'coordinate-security').assignees;
    for (const id of ['quan-duong-kinh', 'quan-do-son', 'huyen-bach-long-vi', 'huyen-cat-hai', 'dai-ptth', 'cap-nuoc-hai-phong']) expect(a).toContain(id);
    for (const id of ['cong-an', 'vp-thanh-uy', 'vnpt-hai-phong']) expect(a).not.toContain(id);
  });

  it('1.d: report-attack is an event reported within hours to the DIC and the police', () => {
    const o = obligation(plan, 'report-attack');
    expect(o.clause).toBe('1.d');
    if (o.kind !== 'event') throw new Error('kind');
    expect(o.event).toBe('attack-detected');
    expect(o.within).toBe('PT4H');
    expect(o.reviewer).toBe('so-tttt');
    expect(o.cooperating).toEqual(['cong-an']);
    expect(o.escalation[0]).toMatchObject({ after: 'P0D', to: ['cong-an', 'so-tttt'] });
    expect(o.note).toMatch(/ngay/);
    expect(plan.obligations.filter((x) => x.clause.startsWith('1.d'))).toHaveLength(1);
  });

  it('3: the police lead, reviewed by the People\'s Committee office; 3.b informs the key bodies', () => {
    for (const o of plan.obligations.filter((x) => x.clause.startsWith('3.'))) {
      expect(o.assignees).toEqual(['cong-an']);
      expect(o.reviewer).toBe('vp-ubnd');
    }
    const kb = obligation(plan, 'key-body-contingency-plans');
    expect(kb.cooperating).toEqual([...new Set([...ids(keyBodies), 'so-tttt'])].sort());
    for (const id of ['vp-thanh-uy', 'vp-doan-dbqh-hdnd', 'vp-ubnd', 'dai-ptth', 'trung-tam-du-lieu', 'bch-quan-su', 'bch-bien-phong']) {
      expect(kb.cooperating).toContain(id);
    }
  });

  it('4.i.2: the DIC reports yearly after the 4.i plans', () => {
    const o = obligation(plan, 'annual-report');
    expect(o.dependsOn).toEqual(['annual-maintenance', 'portal-vulnerability-scan']);
    expect(o.reviewer).toBe('vp-ubnd');
  });

  it('6, 7, 8: finance/planning, media, ISPs', () => {
    expect(obligation(plan, 'security-budget').assignees).toEqual(['so-khdt', 'so-tai-chinh']);
    expect(obligation(plan, 'publicise-directive').assignees).toEqual(['bao-hai-phong', 'cong-ttdt', 'dai-ptth']);
    expect(obligation(plan, 'detect-violators').assignees).toEqual(ids(isps));
  });
});

describe('Hai Phong 24/CT-UBND at 2026-01-01', async () => {
  const AS_OF = '2026-01-01';
  const { plan, diagnostics } = await compileSeed(FILE, AS_OF);

  it('drops the 15 dissolved districts with warnings only', () => {
    expect(diagnostics.every((d) => d.severity === 'warning' && d.code === 'dissolved-unit')).toBe(true);
    for (const o of plan.obligations) for (const d of districts) expect(o.assignees).not.toContain(d.id);
  });

  it('the DIC is now the Department of Science and Technology; planning merged into finance', () => {
    expect(plan.roles.coordinator).toBe('so-khcn');
    expect(obligation(plan, 'report-attack').escalation[0]!.to).toEqual(['cong-an', 'so-khcn']);
    expect(obligation(plan, 'security-budget').assignees).toEqual(['so-tai-chinh']);
    expect(obligation(plan, 'coordinate-security').assignees).toEqual(resolvedAt(units, ids(addressees), AS_OF));
  });
});
