import { describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/index.js';
import type { Plan } from '../../compiler/plan.js';
import { CALENDARS, compileText, FIXTURES, mutate, VALID } from './helpers.js';

async function planAt(asOf: string): Promise<Plan> {
  const r = await compileFile(VALID, { asOf, calendarDir: CALENDARS, cwd: FIXTURES });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan;
}

describe('resolution into a plan', () => {
  it('expands audiences, dedupes and sorts assignees, keeps cooperating apart', async () => {
    const p = await planAt('2024-06-01');
    const byId = Object.fromEntries(p.obligations.map((o) => [o.id, o]));
    expect(byId['contact-point']!.assignees).toEqual(['huyen-x', 'huyen-y', 'so-a', 'so-b', 'so-c']);
    expect(byId['contact-point']!.cooperating).toEqual(['so-a']);
    // allOf(anyOf(departments, districts), systems ≥ 3) plus tags [telecom]
    expect(byId.scan!.assignees).toEqual(['huyen-y', 'so-a', 'vien-thong-1']);
    // departments except so-a
    expect(byId.awareness!.assignees).toEqual(['so-b', 'so-c']);
    // attribute staff ≥ 100
    expect(byId['by-offset']!.assignees).toEqual(['so-a']);
  });

  it('applies succession at asOf and records succeededFrom; drops dissolved units with a warning', async () => {
    const r = await compileFile(VALID, { asOf: '2025-08-01', calendarDir: CALENDARS, cwd: FIXTURES });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const byId = Object.fromEntries(r.plan.obligations.map((o) => [o.id, o]));
    expect(byId['contact-point']!.assignees).toEqual(['huyen-y', 'so-a', 'so-c']);
    expect(byId['report-attack']!.assignees).toEqual(['so-c']);
    expect(r.plan.units['so-c']!.succeededFrom).toEqual(['so-b']);
    expect(r.plan.units['so-b']).toBeUndefined();
    expect(r.plan.units['huyen-x']).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.message.en])).toEqual([
      ['warning', 'dissolved-unit', '`huyen-x` was dissolved on 2025-07-01: dropped from `contact-point`'],
      ['warning', 'dissolved-unit', '`huyen-x` was dissolved on 2025-07-01: dropped from `report-attack`'],
    ]);
  });

  it('merges defaults: reminders longest first, escalation by `after`, roles resolved', async () => {
    const p = await planAt('2024-06-01');
    const [cp, scan] = p.obligations;
    expect(cp!.reminders).toEqual(['P7D', 'P1D']);
    expect(scan!.reminders).toEqual(['P14D', 'P3D']);
    expect(cp!.escalation).toEqual([
      { after: 'P0D', to: ['so-a'], roles: ['coordinator'] },
      { after: 'P7D', to: ['chu-tich'], roles: ['leadership'] },
    ]);
    expect(cp!.reviewer).toBe('so-a');
    expect(cp!.evidence).toEqual([{ kind: 'field', name: 'phone', title: { vi: 'Số điện thoại' }, required: true, format: 'phone' }]);
    expect(scan!.evidence).toEqual([{ kind: 'document', name: 'report', title: { vi: 'Báo cáo', en: 'Report' }, required: true }]);
    expect(p.roles).toEqual({ coordinator: 'so-a', leadership: 'chu-tich' });
  });

  it('computes due dates on the working calendar', async () => {
    const p = await planAt('2024-06-01');
    const o = Object.fromEntries(p.obligations.map((x) => [x.id, x]));
    expect(o['contact-point']).toMatchObject({ kind: 'deadline', due: '2024-04-27', effectiveDue: '2024-04-29' }); // Saturday → Monday
    expect(o['by-offset']).toMatchObject({ kind: 'deadline', due: '2024-05-01', effectiveDue: '2024-05-02' }); // issued + P9D = 1 May holiday
    expect(o.scan).toMatchObject({ kind: 'recurring', every: 'P6M', anchor: '2024-04-22', periodFrom: 'completion', firstDue: '2024-10-22', until: '2030-12-31' });
    expect(o.awareness).toMatchObject({ kind: 'ongoing', attestEvery: 'P6M', anchor: '2024-04-22', firstDue: '2024-10-22' });
    expect(o['report-attack']).toMatchObject({ kind: 'event', event: 'attack-detected', within: 'PT4H', eventTitle: { vi: 'Phát hiện tấn công' } });
  });

  it('keeps a due date on a day off with dueOnDayOff: keep', async () => {
    const r = await compileText(mutate('dueOnDayOff: next-working-day', 'dueOnDayOff: keep'));
    expect(r.ok && r.plan.obligations[0]).toMatchObject({ due: '2024-04-27', effectiveDue: '2024-04-27' });
  });

  it('lists every mentioned unit with its name, and plain-JSON only', async () => {
    const p = await planAt('2024-06-01');
    expect(Object.keys(p.units)).toEqual(['chu-tich', 'huyen-x', 'huyen-y', 'so-a', 'so-b', 'so-c', 'ubnd-tinh', 'vien-thong-1']);
    expect(p.units['so-a']).toEqual({ id: 'so-a', name: { vi: 'Sở A', en: 'Department A' }, kind: 'department', email: 'so-a@example.test' });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    expect(p.directive).toEqual({
      id: 'test-1-2024',
      number: '1/UBND-TEST',
      issued: '2024-04-22',
      timezone: 'Asia/Ho_Chi_Minh',
      title: { vi: 'Công văn thử nghiệm', en: 'Test directive' },
      issuer: 'ubnd-tinh',
      implements: ['18/CT-TTg'],
      revision: 1,
      calendar: { id: 'test', dueOnDayOff: 'next-working-day' },
      asOf: '2024-06-01',
      registry: 'registries/test-province.yaml',
    });
  });

  it('hash: stable across runs and key order, changes with content', async () => {
    const a = await planAt('2024-06-01');
    const b = await planAt('2024-06-01');
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).toBe(b.hash);
    const reordered = await compileText(mutate('  number: 1/UBND-TEST\n  type: cong-van\n', '  type: cong-van\n  number: 1/UBND-TEST\n'));
    expect(reordered.ok && reordered.plan.hash).toBe(a.hash);
    const changed = await compileText(mutate('title: { vi: Rà quét, en: Scan }', 'title: { vi: Rà quét lỗ hổng, en: Scan }'));
    expect(changed.ok && changed.plan.hash).not.toBe(a.hash);
    expect((await planAt('2025-08-01')).hash).not.toBe(a.hash);
  });

  it('--units overrides metadata.registry', async () => {
    const r = await compileFile(VALID, { asOf: '2024-06-01', calendarDir: CALENDARS, registryPath: 'registries/missing.yaml', cwd: FIXTURES });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['registry-not-found']);
  });
});

describe('resolution details', () => {
  it('reviewer defaults to the coordinator role, then to the issuer', async () => {
    const noDefault = await compileText(mutate('  reviewer: coordinator\n', ''));
    expect(noDefault.ok && noDefault.plan.obligations.map((o) => o.reviewer)).toEqual(['so-a', 'so-a', 'so-a', 'so-a', 'so-a']);
    const noRole = await compileText(mutate('  reviewer: coordinator\n', '').replace('    - { after: P0D, to: [coordinator] }\n', '').replace('  coordinator: so-a\n', ''));
    expect(noRole.ok && noRole.plan.obligations[0]!.reviewer).toBe('ubnd-tinh');
  });

  it('CRLF line endings and a BOM keep positions right', async () => {
    const text = '\uFEFF' + mutate('to: [leadership]', 'to: [leadershp]').replace(/\n/g, '\r\n');
    const r = await compileText(text);
    expect(r.ok).toBe(false);
    const d = r.diagnostics[0]!;
    expect([d.code, d.line, d.column]).toEqual(['unknown-role', 34, 26]);
  });
});

describe('registry option', () => {
  it('--units pointing at a directive says so, once', async () => {
    const r = await compileFile(VALID, { asOf: '2024-06-01', calendarDir: CALENDARS, registryPath: 'valid.yaml', cwd: FIXTURES });
    expect(r.diagnostics.map((d) => [d.file, d.code, d.message.en])).toEqual([['valid.yaml', 'unknown-kind', 'not a unit registry (`kind: Directive`)']]);
  });
});
