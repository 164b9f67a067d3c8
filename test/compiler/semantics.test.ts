import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codes, compileText, FIXTURES, lines, mutate } from './helpers.js';

const REGISTRY = readFileSync(join(FIXTURES, 'registries', 'test-province.yaml'), 'utf8');

async function errorsOf(text: string, asOf?: string) {
  const r = await compileText(text, asOf);
  expect(r.ok).toBe(false);
  return r.diagnostics.filter((d) => d.severity === 'error');
}

describe('semantic checks', () => {
  it('the valid fixture compiles without diagnostics', async () => {
    const r = await compileText(mutate('  issued: 2024-04-22', '  issued: 2024-04-22'));
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('unknown unit in a selector, with a suggestion', async () => {
    const ds = await errorsOf(mutate('units: [so-b, huyen-x]', 'units: [so-bb, huyen-x]'));
    expect(lines(ds)[0]).toMatch(/^directive\.yaml:61:27: error\[unknown-unit\]: unit `so-bb` is not in the registry .* — did you mean `so-b`\?/);
  });

  it('unknown audience reference inside an audience', async () => {
    const ds = await errorsOf(mutate('{ audience: districts }', '{ audience: distrits }'));
    expect(codes(ds)).toEqual(['unknown-audience']);
    expect(ds[0]!.message.en).toBe('no audience named `distrits` — did you mean `districts`?');
  });

  it('unknown role in escalation', async () => {
    const ds = await errorsOf(mutate('to: [leadership]', 'to: [leadershp]'));
    expect(codes(ds)).toEqual(['unknown-role']);
    expect(ds[0]!.message.en).toContain('did you mean `leadership`');
  });

  it('unknown obligation in dependsOn', async () => {
    const ds = await errorsOf(mutate('dependsOn: [contact-point]', 'dependsOn: [contact-pont]'));
    expect(ds[0]!.code).toBe('unknown-obligation');
    expect(ds[0]!.message.en).toBe('no obligation with id `contact-pont` — did you mean `contact-point`?');
  });

  it('duplicate obligation ids', async () => {
    const ds = await errorsOf(mutate('  - id: scan\n', '  - id: contact-point\n').replace('dependsOn: [contact-point]', ''));
    expect(codes(ds)).toEqual(['duplicate-id']);
    expect(ds[0]!.hint.en).toMatch(/already used on line 39/);
  });

  it('duplicate audience names are duplicate YAML keys', async () => {
    const ds = await errorsOf(mutate('  telecoms: { tags: [telecom] }', '  telecoms: { tags: [telecom] }\n  telecoms: { kind: agency }'));
    expect(codes(ds)).toEqual(['duplicate-key']);
  });

  it('impossible dates name the month length', async () => {
    const ds = await errorsOf(mutate('due: 2024-04-27', 'due: 2023-02-29'));
    expect(ds.map((d) => d.message.en)).toContain('date `2023-02-29` does not exist: February 2023 has 28 days');
    const ds2 = await errorsOf(mutate('issued: 2024-04-22', 'issued: 2024-13-01'));
    expect(ds2[0]!.message.en).toBe('date `2024-13-01` does not exist: there is no month 13');
  });

  it('dependency cycles are named', async () => {
    const ds = await errorsOf(mutate('    note: A Saturday, moved to Monday.', '    note: A Saturday, moved to Monday.\n    dependsOn: [scan]'));
    expect(ds.map((d) => d.message.en)).toEqual(['dependency cycle: contact-point → scan → contact-point']);
  });

  it('self-dependency', async () => {
    const ds = await errorsOf(mutate('dependsOn: [contact-point]', 'dependsOn: [scan]'));
    expect(ds[0]!.message.en).toBe('`scan` depends on itself');
  });

  it('audience cycles are named', async () => {
    const ds = await errorsOf(mutate('  districts: { kind: district }', '  districts: { anyOf: [{ audience: level3 }] }'));
    expect(ds.map((d) => d.code)).toEqual(['audience-cycle']);
    expect(ds[0]!.message.en).toMatch(/districts → level3 → districts|level3 → districts → level3/);
  });

  it('due before issuance', async () => {
    const ds = await errorsOf(mutate('due: 2024-04-27', 'due: 2024-04-01'));
    expect(ds[0]!.code).toBe('due-before-issued');
  });

  it('zero and negative periods and durations', async () => {
    expect(codes(await errorsOf(mutate('every: P6M', 'every: P0M')))).toEqual(['non-positive-duration']);
    expect(codes(await errorsOf(mutate('within: PT4H', 'within: -PT4H')))).toEqual(['non-positive-duration']);
    expect(codes(await errorsOf(mutate('due: { after: P9D }', 'due: { after: P0D }')))).toEqual(['non-positive-duration']);
    expect(codes(await errorsOf(mutate('reportingPeriod: P6M', 'reportingPeriod: P0D')))).toContain('non-positive-duration');
  });

  it('reminders after due or as long as the period', async () => {
    const neg = await errorsOf(mutate('reminders: [P3D, P14D]', 'reminders: [P3D, -P1D]'));
    expect(neg.map((d) => d.message.en)).toEqual(['reminder -P1D falls after the due date']);
    const long = await errorsOf(mutate('reminders: [P3D, P14D]', 'reminders: [P3D, P6M]'));
    expect(long.map((d) => d.message.en)).toEqual(['reminder P6M is not shorter than the period P6M of `scan`']);
    const event = await errorsOf(mutate('reminders: [PT1H]', 'reminders: [PT5H]'));
    expect(event[0]!.code).toBe('reminder-too-long');
  });

  it('default reminders longer than an event window point at defaults', async () => {
    const ds = await errorsOf(mutate('    reminders: [PT1H]\n', ''));
    expect(ds.map((d) => [d.code, d.line])).toEqual([
      ['reminder-too-long', 31],
      ['reminder-too-long', 31],
    ]);
    expect(ds[0]!.hint.en).toBe('give `report-attack` its own `reminders:`');
  });

  it('escalation out of order, and before due', async () => {
    const ds = await errorsOf(mutate('    - { after: P7D, to: [leadership] }', '    - { after: P7D, to: [leadership] }\n    - { after: P3D, to: [leadership] }'));
    expect(ds.map((d) => d.message.en)).toEqual(['escalation steps out of order: P3D comes after P7D']);
    const neg = await errorsOf(mutate('{ after: P0D, to: [coordinator] }', '{ after: -P1D, to: [coordinator] }'));
    expect(neg[0]!.code).toBe('escalation-negative');
  });

  it('an ongoing duty needs a period', async () => {
    const ds = await errorsOf(mutate('  reportingPeriod: P6M\n', ''));
    expect(codes(ds)).toEqual(['missing-period']);
  });

  it('a missing registry is reported at metadata.registry', async () => {
    const ds = await errorsOf(mutate('registry: registries/test-province.yaml', 'registry: registries/nowhere.yaml'));
    expect(lines(ds)[0]).toMatch(/^directive\.yaml:14:13: error\[registry-not-found\]: unit registry not found: registries\/nowhere\.yaml/);
  });

  it('an unknown calendar is reported at metadata.calendar.id', async () => {
    const ds = await errorsOf(mutate('calendar: { id: test,', 'calendar: { id: nowhere,'));
    expect(ds[0]!.code).toBe('calendar-error');
    expect(ds[0]!.line).toBe(13);
  });

  it('an unknown time zone', async () => {
    expect(codes(await errorsOf(mutate('Asia/Ho_Chi_Minh', 'Asia/Hanoi_City')))).toEqual(['invalid-timezone']);
  });

  it('a selector mixing forms', async () => {
    const ds = await errorsOf(mutate('telecoms: { tags: [telecom] }', 'telecoms: { tags: [telecom], units: [so-a] }'));
    expect(codes(ds)).toEqual(['selector-shape']);
  });

  // Issue 11: an audience that selects no unit was a warning, and a duty silently reached nobody;
  // it is an error now, at the obligation's entry, unless it says `mayBeEmpty` (test/compiler/audiences.test.ts).
  it('an audience resolving to no unit is an error where an obligation uses it', async () => {
    const ds = await errorsOf(mutate('telecoms: { tags: [telecom] }', 'telecoms: { tags: [nothing-has-this] }'));
    expect(ds.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([['error', 'empty-audience', 52, 25]]);
  });

  it('a role pointing at a dissolved unit is an error at that date', async () => {
    const ds = await errorsOf(mutate('coordinator: so-a', 'coordinator: huyen-x'), '2025-08-01');
    expect(ds.map((d) => d.code)).toEqual(['dissolved-unit']);
  });

  it('registry problems are reported in the registry file', async () => {
    const bad = REGISTRY.replace('succeededBy: { unit: so-c,', 'succeededBy: { unit: so-cc,');
    const r = await compileText(mutate('issued: 2024-04-22', 'issued: 2024-04-22'), '2024-06-01', bad);
    expect(r.ok).toBe(false);
    expect(lines(r.diagnostics)[0]).toMatch(/^registries\/test-province\.yaml:27:26: error\[succession-unknown\]: successor `so-cc` is not in the registry — did you mean `so-c`\?/);
  });

  it('reports all errors of a file in one run', async () => {
    let text = mutate('due: 2024-04-27', 'due: 2024-04-31');
    text = mutate('to: [leadership]', 'to: [leadershp]', text);
    text = mutate('every: P6M', 'evry: P6M', text);
    const ds = await errorsOf(text);
    expect(codes(ds).sort()).toEqual(['impossible-date', 'missing-property', 'unknown-property', 'unknown-role']);
  });
});

describe('advisory cross-checks (warnings)', () => {
  it('a dependency between obligations with no common assignee', async () => {
    const r = await compileText(mutate('    dependsOn: [contact-point]\n', '').replace('    kind: ongoing\n', '    kind: ongoing\n    dependsOn: [by-offset]\n'));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.message.en])).toEqual([
      ['warning', 'dependency-unrelated', '`awareness` depends on `by-offset` but they share no assignee'],
    ]);
  });

  it('a reminder that would fall before the directive was issued', async () => {
    const r = await compileText(mutate('    due: 2024-04-27\n', '    due: 2024-04-24\n    reminders: [P7D, P1D]\n'));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line, d.message.en])).toEqual([
      ['warning', 'reminder-before-issued', 46, 'reminder P7D of `contact-point` falls before the issue date 2024-04-22'],
    ]);
  });
});
