/**
 * Hanoi, Công văn 3968/UBND-KGVX (2022-11-28): the compiled plan checked clause by clause
 * against the text. Section 1 goes to the city's departments/boards, the 30 districts and the
 * providers that are members of the national response network; section 2 to the DIC (Sở TTTT);
 * section 3 to every telecom/Internet/security provider; the closing paragraph (clause 0.1) to all
 * addressees. Interpretations: docs/interpretations.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/index.js';
import {
  CLAUSE,
  compileSeed,
  hasTag,
  ids,
  lineOf,
  maxLevel,
  obligation,
  rawRegistry,
  resolvedAt,
  root,
  row,
} from './helpers.js';
import type { Row } from './helpers.js';

const FILE = 'directives/hanoi-3968-2022.yaml';
const ISSUED = '2022-11-28';
const units = rawRegistry('directives/registries/hanoi-2022.yaml');

const soBanNganh = units.filter((u) => hasTag(u, 'so-ban-nganh'));
const districts = units.filter((u) => u.kind === 'district');
const networkMembers = units.filter((u) => u.kind === 'enterprise' && hasTag(u, 'network-member'));
const providers = units.filter(
  (u) => u.kind === 'enterprise' && (hasTag(u, 'telecom') || hasTag(u, 'isp') || hasTag(u, 'security-provider')),
);
const section1 = [...soBanNganh, ...districts, ...networkMembers];
const section1Level3 = section1.filter((u) => maxLevel(u) >= 3);
const closing = [...soBanNganh, ...districts, ...providers];

const S1 = section1.length; // 30 departments/boards + 30 districts + 6 network members = 66
const P = providers.length; // 8 example providers
const PRIORITY = 10; // the text says 11 sectors but lists 10 bodies

// prettier-ignore
const EXPECTED: Row[] = [
  { clause: '1.1', id: 'raise-awareness',            kind: 'ongoing',   timing: 'attest P6M',                        assignees: S1 },
  { clause: '1.2', id: 'vulnerability-scan',         kind: 'recurring', timing: 'P6M/completion',                    assignees: S1 },
  { clause: '1.2', id: 'response-plan',              kind: 'deadline',  timing: '2022-12-31',                        assignees: S1 },
  { clause: '1.2', id: 'update-response-plan',       kind: 'event',     timing: 'system-changed+P30D',               assignees: S1 },
  { clause: '1.2', id: 'live-drill',                 kind: 'recurring', timing: 'P1Y/window',                        assignees: 8 },
  { clause: '1.2', id: 'remediate-vulnerability',    kind: 'event',     timing: 'vulnerability-found+PT72H',         assignees: S1 },
  { clause: '1.3', id: 'anti-malware',               kind: 'ongoing',   timing: 'attest P6M',                        assignees: S1 },
  { clause: '1.4', id: 'assign-security-officer',    kind: 'deadline',  timing: '2022-11-30',                        assignees: S1 },
  { clause: '1.4', id: 'contact-point',              kind: 'deadline',  timing: '2022-11-30',                        assignees: S1 },
  { clause: '1.5', id: 'coordinate-with-dic',        kind: 'ongoing',   timing: 'attest P6M',                        assignees: PRIORITY },
  { clause: '1.5', id: 'nominate-team-members',      kind: 'event',     timing: 'team-guidance-issued+P15D',         assignees: PRIORITY },
  { clause: '2.1', id: 'city-vulnerability-scan',    kind: 'recurring', timing: 'P6M/completion',                    assignees: 1 },
  { clause: '2.1', id: 'city-response-plan',         kind: 'deadline',  timing: '2022-12-31',                        assignees: 1 },
  { clause: '2.1', id: 'update-city-response-plan',  kind: 'event',     timing: 'system-changed+P30D',               assignees: 1 },
  { clause: '2.1', id: 'city-live-drill',            kind: 'recurring', timing: 'P1Y/window',                        assignees: 1 },
  { clause: '2.2', id: 'network-member-duties',      kind: 'ongoing',   timing: 'attest P6M',                        assignees: 1 },
  { clause: '2.2', id: 'national-coordination',      kind: 'event',     timing: 'coordination-request+PT24H',        assignees: 1 },
  { clause: '2.3', id: 'establish-response-team',    kind: 'deadline',  timing: '2022-12-31',                        assignees: 1 },
  { clause: '2.4', id: 'guide-state-agencies',       kind: 'ongoing',   timing: 'attest P6M',                        assignees: 1 },
  { clause: '2.5', id: 'public-awareness',           kind: 'ongoing',   timing: 'attest P6M',                        assignees: 1 },
  { clause: '2.6', id: 'monitor-implementation',     kind: 'ongoing',   timing: 'attest P6M',                        assignees: 1 },
  { clause: '2.6', id: 'consolidated-report',        kind: 'recurring', timing: 'P6M/window',                        assignees: 1 },
  { clause: '3.1', id: 'comply-coordination',        kind: 'event',     timing: 'coordination-request+PT24H',        assignees: P },
  { clause: '3.2', id: 'cooperate-incident-response',kind: 'ongoing',   timing: 'attest P6M',                        assignees: P },
  { clause: '3.3', id: 'publish-contact-point',      kind: 'deadline',  timing: '2022-11-30',                        assignees: P },
  { clause: '3.3', id: 'customer-reporting-guidance',kind: 'ongoing',   timing: 'attest P6M',                        assignees: P },
  { clause: '3.4', id: 'warn-customers',             kind: 'event',     timing: 'customer-threat-detected+PT24H',    assignees: P },
  { clause: '3.4', id: 'support-customers',          kind: 'event',     timing: 'customer-incident+PT24H',           assignees: P },
  { clause: '0.1', id: 'periodic-report',            kind: 'recurring', timing: 'P6M/window',                        assignees: closing.length },
];

describe('Hanoi 3968/UBND-KGVX at its date (2022-11-28)', async () => {
  const { plan, diagnostics } = await compileSeed(FILE, ISSUED);

  it('compiles without errors or warnings', () => {
    expect(diagnostics).toEqual([]);
    expect(plan.directive).toMatchObject({ id: 'hanoi-3968-2022', number: '3968/UBND-KGVX', issued: ISSUED, asOf: ISSUED });
    expect(plan.roles).toEqual({ coordinator: 'so-tttt', leadership: 'chu-tich-ubnd', office: 'vp-ubnd' });
  });

  it('has every obligation of the text, nothing missing, nothing extra', () => {
    expect(plan.obligations.map(row)).toEqual(EXPECTED);
    expect(plan.obligations).toHaveLength(29);
  });

  it('numbers clauses as the text does (dashes: section.ordinal; closing paragraph 0.1)', () => {
    for (const o of plan.obligations) expect(o.clause).toMatch(CLAUSE);
    const sections = new Set(plan.obligations.map((o) => o.clause.split('.')[0]));
    expect([...sections].sort()).toEqual(['0', '1', '2', '3']);
    // Section 1 has five dashes, section 2 six, section 3 four: no ordinal beyond them.
    const max = { '1': 5, '2': 6, '3': 4 } as Record<string, number>;
    for (const o of plan.obligations) {
      const [s, d] = o.clause.split('.');
      if (s !== '0') expect(Number(d)).toBeLessThanOrEqual(max[s!]!);
    }
  });

  it('registry has the expected shape behind the counts', () => {
    expect(districts).toHaveLength(30);
    expect(soBanNganh).toHaveLength(30);
    expect(networkMembers).toHaveLength(6);
    expect(providers).toHaveLength(8);
    expect(S1).toBe(66);
  });

  it('1.4: contact point goes to all departments/boards, the 30 districts and the network-member providers', () => {
    const o = obligation(plan, 'contact-point');
    expect(o.assignees).toEqual(ids(section1));
    for (const d of districts) expect(o.assignees).toContain(d.id);
    expect(o.assignees).not.toContain('cmc-telecom'); // a provider that is not a network member
    expect(o.assignees).not.toContain('cong-an'); // named only among the priority sectors (1.5)
    expect(o.cooperating).toEqual(['so-tttt']);
    expect(o.dependsOn).toEqual(['assign-security-officer']);
    if (o.kind !== 'deadline') throw new Error('contact-point must be a deadline');
    expect(o.due).toBe('2022-11-30');
    expect(o.effectiveDue).toBe('2022-11-30'); // a Wednesday
    expect(o.reminders).toEqual(['P1D']); // two days after issue: short reminders
    const fields = o.evidence.filter((e) => e.kind === 'field').map((e) => [e.name, 'format' in e ? e.format : '']);
    expect(fields).toEqual([
      ['officer', 'text'],
      ['phone', 'phone'],
      ['email', 'email'],
      ['other-channel', 'text'],
    ]);
  });

  it('1.2: scan every 6 months from completion; plan by 31/12/2022 (moved off the weekend); drill yearly', () => {
    const scan = obligation(plan, 'vulnerability-scan');
    if (scan.kind !== 'recurring') throw new Error('kind');
    expect(scan).toMatchObject({ every: 'P6M', periodFrom: 'completion', anchor: ISSUED });
    const rp = obligation(plan, 'response-plan');
    if (rp.kind !== 'deadline') throw new Error('kind');
    expect(rp.due).toBe('2022-12-31');
    expect(rp.effectiveDue > rp.due).toBe(true); // Saturday, then the New Year holiday
    expect(obligation(plan, 'update-response-plan').dependsOn).toEqual(['response-plan']);
  });

  it('1.2: the live drill goes only to units with a level-3+ system', () => {
    const o = obligation(plan, 'live-drill');
    expect(o.assignees).toEqual(ids(section1Level3));
    expect(o.assignees).toEqual(['so-gddt', 'so-tai-chinh', 'so-tnmt', 'so-tttt', 'so-y-te', 'viettel-hanoi', 'vnpt-hanoi', 'vp-ubnd']);
    // Units with only level-2 systems are left out.
    expect(o.assignees).not.toContain('quan-ba-dinh');
    expect(o.assignees).not.toContain('so-cong-thuong');
    if (o.kind !== 'recurring') throw new Error('kind');
    expect(o).toMatchObject({ every: 'P1Y', periodFrom: 'window' });
  });

  it('1.5: the 10 listed priority-sector bodies (the text says 11)', () => {
    const o = obligation(plan, 'coordinate-with-dic');
    expect(o.assignees).toEqual(
      ['bo-tu-lenh-thu-do', 'cong-an', 'nhnn-hanoi', 'so-cong-thuong', 'so-gtvt', 'so-tai-chinh', 'so-tnmt', 'so-y-te', 'ubnd-hanoi', 'vp-ubnd'].sort(),
    );
    expect(obligation(plan, 'nominate-team-members').assignees).toEqual(o.assignees);
  });

  it('2.1: the city drill informs the other operators of level-3+ systems', () => {
    const o = obligation(plan, 'city-live-drill');
    expect(o.cooperating).toEqual(ids(section1Level3).filter((id) => id !== 'so-tttt'));
  });

  it('section 2 is the DIC alone, reviewed by the People\'s Committee office', () => {
    for (const o of plan.obligations.filter((x) => x.clause.startsWith('2.'))) {
      expect(o.assignees).toEqual(['so-tttt']);
      expect(o.reviewer).toBe('vp-ubnd');
      expect(o.escalation[0]!.to).toEqual(['vp-ubnd']);
    }
  });

  it('3.3: the impossible 31/11/2022 is encoded as 2022-11-30 with a note', () => {
    const o = obligation(plan, 'publish-contact-point');
    if (o.kind !== 'deadline') throw new Error('kind');
    expect(o.due).toBe('2022-11-30');
    expect(o.note).toMatch(/31\/11\/2022/);
    expect(o.assignees).toEqual(ids(providers));
    expect(o.evidence.map((e) => e.kind)).toContain('link');
  });

  it('section 3 is a request to enterprises: escalation stops at the DIC', () => {
    for (const o of plan.obligations.filter((x) => x.clause.startsWith('3.'))) {
      expect(o.escalation.map((s) => s.to)).toEqual([['so-tttt']]);
    }
  });

  it('closing paragraph: periodic report from every addressee, providers included', () => {
    expect(obligation(plan, 'periodic-report').assignees).toEqual(ids(closing));
  });

  it('every obligation that needed an interpretation carries a note', () => {
    for (const id of ['vulnerability-scan', 'live-drill', 'remediate-vulnerability', 'update-response-plan', 'contact-point', 'coordinate-with-dic', 'publish-contact-point', 'periodic-report', 'consolidated-report']) {
      expect(obligation(plan, id).note, id).toBeTruthy();
    }
  });
});

describe('Hanoi 3968 at 2026-01-01: successions and dissolutions resolve', async () => {
  const { plan, diagnostics } = await compileSeed(FILE, '2026-01-01');

  it('drops the 30 dissolved districts with warnings, not errors', () => {
    expect(diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    const warned = diagnostics.filter((d) => d.code === 'dissolved-unit').map((d) => d.message.en ?? d.message.vi);
    expect(warned.length).toBeGreaterThan(0);
    // The compiler groups them per obligation: the count of all 30, the first few by name.
    expect(warned.some((m) => m.startsWith(`${districts.length} units were dissolved`))).toBe(true);
    const named = new Set(warned.flatMap((m) => [...m.matchAll(/`([a-z0-9-]+)`/g)].map((x) => x[1]!)));
    const districtIds = new Set(districts.map((d) => d.id));
    for (const id of named) if (id.startsWith('huyen-') || id.startsWith('quan-') || id.startsWith('thi-xa-')) expect(districtIds.has(id), id).toBe(true);
    for (const o of plan.obligations) for (const d of districts) expect(o.assignees).not.toContain(d.id);
  });

  it('merged departments are replaced by their successors', () => {
    const o = obligation(plan, 'contact-point');
    expect(o.assignees).toEqual(resolvedAt(units, ids(section1), '2026-01-01'));
    for (const gone of ['so-tttt', 'so-khdt', 'so-gtvt', 'so-tnmt', 'so-nnptnt', 'so-ldtbxh']) expect(o.assignees).not.toContain(gone);
    for (const successor of ['so-khcn', 'so-tai-chinh', 'so-xay-dung', 'so-nnmt', 'so-noi-vu']) expect(o.assignees).toContain(successor);
    expect(o.assignees).toHaveLength(30 - 6 + 1 + 6);
    expect(plan.units['so-khcn']!.succeededFrom).toEqual(['so-tttt']);
    expect(plan.units['so-nnmt']!.succeededFrom).toEqual(['so-nnptnt', 'so-tnmt']);
  });

  it('the coordinator role follows Sở TTTT into Sở KH&CN', () => {
    expect(plan.roles.coordinator).toBe('so-khcn');
    expect(obligation(plan, 'city-response-plan').assignees).toEqual(['so-khcn']);
    expect(obligation(plan, 'raise-awareness').reviewer).toBe('so-khcn');
  });

  it('level-3 filtering still holds after succession', () => {
    expect(obligation(plan, 'live-drill').assignees).toEqual(resolvedAt(units, ids(section1Level3), '2026-01-01'));
  });
});

describe('Hanoi 3968 as printed: 31/11/2022 is rejected', () => {
  const FIXTURE = 'test/seeds/fixtures/hanoi-3968-2022-nov31.yaml';

  it('fails with a diagnostic on the line of the impossible date', async () => {
    const r = await compileFile(`${root}/${FIXTURE}`, { asOf: ISSUED, cwd: root });
    expect(r.ok).toBe(false);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: FIXTURE, line: lineOf(FIXTURE, 'due: 2022-11-31'), code: 'impossible-date' });
    expect(errors[0]!.message.en).toMatch(/2022-11-31/);
  });

  it('the full seed with the printed date fails on that line only', async () => {
    const src = readFileSync(`${root}/${FILE}`, 'utf8').split('\n');
    const start = src.findIndex((l) => l.trim() === '- id: publish-contact-point');
    const at = src.findIndex((l, i) => i > start && l.trim() === 'due: 2022-11-30');
    src[at] = src[at]!.replace('2022-11-30', '2022-11-31');
    const reg = src.findIndex((l) => l.trim().startsWith('registry:'));
    src[reg] = `  registry: ${root}/directives/registries/hanoi-2022.yaml`;
    const dir = mkdtempSync(join(tmpdir(), 'chithi-seed-'));
    try {
      writeFileSync(join(dir, 'hanoi-3968-2022.yaml'), src.join('\n'));
      const r = await compileFile(join(dir, 'hanoi-3968-2022.yaml'), { asOf: ISSUED, cwd: root });
      expect(r.ok).toBe(false);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => [d.code, d.line])).toEqual([['impossible-date', at + 1]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
