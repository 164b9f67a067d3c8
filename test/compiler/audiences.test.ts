// Nhóm đối tượng không chọn được đơn vị nào, và thuộc tính không đơn vị nào có: lỗi, kèm cách sửa.
// Audiences that select no unit, and attributes no unit has: errors, with the fix.
import { describe, expect, it } from 'vitest';
import { codes, compileText, lines, mutate } from './helpers.js';

const EMPTY_TELECOMS = mutate('telecoms: { tags: [telecom] }', 'telecoms: { tags: [telecon] }');

describe('an audience that selects no unit', () => {
  it('is an error at the obligation entry that uses it, naming the audience and its line, vi and en', async () => {
    const r = await compileText(EMPTY_TELECOMS);
    expect(r.ok).toBe(false);
    expect(lines(r.diagnostics, 'en')).toEqual([
      'directive.yaml:52:25: error[empty-audience]: audience `telecoms` selects no unit in the registry registries/test-province.yaml, so this assignee entry of `scan` reaches nobody\n' +
        '  → check the selector of `telecoms` (line 23) against the registry; if the text allows none (e.g. "if any"), add `mayBeEmpty: true` to that audience, or write `{ audience: telecoms, mayBeEmpty: true }` here',
    ]);
    expect(lines(r.diagnostics, 'vi')).toEqual([
      'directive.yaml:52:25: lỗi[empty-audience]: nhóm đối tượng `telecoms` không chọn được đơn vị nào trong danh mục registries/test-province.yaml, nên mục đơn vị chủ trì này của `scan` không đến được ai\n' +
        '  → kiểm tra bộ chọn của `telecoms` (dòng 23) với danh mục; nếu văn bản cho phép không có đơn vị nào (vd. “nếu có”), thêm `mayBeEmpty: true` vào nhóm đó, hoặc viết ở đây `{ audience: telecoms, mayBeEmpty: true }`',
    ]);
  });

  it('an inline selector, and a co-operating entry, are checked too', async () => {
    const r = await compileText(mutate('    cooperating: [so-a]', '    cooperating: [{ kind: centre }]'));
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.message.en])).toEqual([
      ['error', 'empty-audience', 43, 19, 'this selector selects no unit in the registry registries/test-province.yaml, so this co-operating entry of `contact-point` reaches nobody'],
    ]);
    expect(r.diagnostics[0]!.hint.vi).toBe('kiểm tra bộ chọn với danh mục; nếu văn bản cho phép không có đơn vị nào (vd. “nếu có”), thêm `mayBeEmpty: true` vào bộ chọn');
  });

  it('`mayBeEmpty: true` on the audience: compiles, the obligation keeps its other assignees, no diagnostic', async () => {
    const r = await compileText(mutate('telecoms: { tags: [telecon] }', 'telecoms: { tags: [telecon], mayBeEmpty: true }', EMPTY_TELECOMS));
    expect(r.diagnostics).toEqual([]);
    expect(r.ok && r.plan.obligations.find((o) => o.id === 'scan')!.assignees).toEqual(['huyen-y', 'so-a']);
  });

  it('`mayBeEmpty: true` written by the obligation: `{ audience: …, mayBeEmpty: true }`', async () => {
    const r = await compileText(mutate('assignees: [level3, telecoms]', 'assignees: [level3, { audience: telecoms, mayBeEmpty: true }]', EMPTY_TELECOMS));
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('an obligation whose every entry may be empty and is: compiles with no assignee, no warning', async () => {
    const text = mutate('assignees: [level3, telecoms]', 'assignees: [{ audience: telecoms, mayBeEmpty: true }]', EMPTY_TELECOMS);
    const r = await compileText(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.ok && r.plan.obligations.find((o) => o.id === 'scan')!.assignees).toEqual([]);
  });

  it('an empty audience no obligation names itself stays a warning; mayBeEmpty silences it', async () => {
    const unused = mutate('  telecoms: { tags: [telecom] }', '  telecoms: { tags: [telecom] }\n  spare: { tags: [nothing] }');
    const r = await compileText(unused);
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line, d.message.en])).toEqual([['warning', 'empty-audience', 24, 'audience `spare` selects no unit']]);
    const flagged = await compileText(mutate('spare: { tags: [nothing] }', 'spare: { tags: [nothing], mayBeEmpty: true }', unused));
    expect(flagged.diagnostics).toEqual([]);
  });

  it('units dissolved by the as-of date leave an obligation empty: a warning, not an error (time, not a typo)', async () => {
    const r = await compileText(mutate('assignees: [{ units: [so-b, huyen-x] }]', 'assignees: [{ units: [huyen-x] }]'), '2025-08-01');
    expect(r.ok).toBe(true);
    expect(r.diagnostics.filter((d) => /report-attack/.test(d.message.en)).map((d) => [d.severity, d.code, d.message.en])).toEqual([
      ['warning', 'dissolved-unit', '`huyen-x` was dissolved on 2025-07-01: dropped from `report-attack`'],
      ['warning', 'empty-audience', 'obligation `report-attack` has no assignee (as of 2025-08-01)'],
    ]);
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('`mayBeEmpty` alone is not a selector', async () => {
    const r = await compileText(mutate('    cooperating: [so-a]', '    cooperating: [{ mayBeEmpty: true }]'));
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column, d.message.en])).toEqual([['selector-shape', 43, 19, 'the selector selects by nothing (it only has `mayBeEmpty`)']]);
  });

  it('the three seeds are unaffected (none of their selections is empty)', async () => {
    const { compileFile } = await import('../../compiler/index.js');
    for (const seed of ['hanoi-3968-2022', 'binhthuan-4052-2022', 'haiphong-24-2014']) {
      const r = await compileFile(`directives/${seed}.yaml`, { asOf: '2022-12-01' });
      expect(r.diagnostics.filter((d) => d.code === 'empty-audience')).toEqual([]);
      expect(r.ok).toBe(true);
    }
  });
});

describe('an attribute no unit has', () => {
  it('is an error with did-you-mean and the attribute names the registry has', async () => {
    const r = await compileText(mutate('{ attribute: { name: staff, gte: 100 } }', '{ attribute: { name: staf, gte: 100 } }'));
    expect(r.ok).toBe(false);
    expect(lines(r.diagnostics, 'en')).toEqual([
      'directive.yaml:74:38: error[unknown-attribute]: no unit in the registry registries/test-province.yaml has the attribute `staf` — did you mean `staff`?\n' +
        '  → attributes in the registry: `sector`, `staff`',
    ]);
    expect(lines(r.diagnostics, 'vi')).toEqual([
      'directive.yaml:74:38: lỗi[unknown-attribute]: không đơn vị nào trong danh mục registries/test-province.yaml có thuộc tính `staf` — có phải ý bạn là `staff`?\n' +
        '  → các thuộc tính có trong danh mục: `sector`, `staff`',
    ]);
  });

  it('inside a named audience and nested selectors too; it hides the empty-audience it causes', async () => {
    const r = await compileText(mutate('telecoms: { tags: [telecom] }', 'telecoms: { anyOf: [{ tags: [telecom] }, { attribute: { name: sectr, equals: ict } }] }'));
    expect(codes(r.diagnostics)).toEqual(['unknown-attribute']);
    expect(r.diagnostics[0]!.message.en).toContain('did you mean `sector`?');
  });

  it('a registry without attributes says so', async () => {
    const registry = (await import('node:fs')).readFileSync(new URL('./fixtures/registries/test-province.yaml', import.meta.url), 'utf8').replace(/    attributes: .*\n/g, '');
    const r = await compileText(mutate('issued: 2024-04-22', 'issued: 2024-04-22'), '2024-06-01', registry);
    expect(r.diagnostics.map((d) => [d.code, d.hint.en])).toEqual([['unknown-attribute', 'no unit in the registry has `attributes`: select by kind, tags or units']]);
  });
});
