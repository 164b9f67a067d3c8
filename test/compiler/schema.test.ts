import { describe, expect, it } from 'vitest';
import { compileText, lines, mutate } from './helpers.js';

async function messages(text: string): Promise<string[]> {
  const r = await compileText(text);
  expect(r.ok).toBe(false);
  return lines(r.diagnostics);
}

describe('schema diagnostics read like a colleague, not a validator', () => {
  it('a field of another kind is named with its kind', async () => {
    const ds = await messages(mutate('    due: 2024-04-27\n', '    due: 2024-04-27\n    every: P1M\n'));
    expect(ds).toEqual([
      'directive.yaml:46:5: error[property-not-allowed]: `every` does not apply to a deadline obligation\n  → a deadline obligation uses: due',
    ]);
  });

  it('a missing kind-specific field', async () => {
    const ds = await messages(mutate('    within: PT4H\n', ''));
    expect(ds).toEqual(['directive.yaml:58:5: error[missing-property]: an event obligation needs `within`\n  → add `within: …`']);
  });

  it('bad formats: clause, duration, id, date', async () => {
    const text = mutate('clause: "1.b"', 'clause: "1..b"', mutate('every: P6M', 'every: 6 months', mutate('  - id: scan', '  - id: Scan_1', mutate('issued: 2024-04-22', 'issued: 22/04/2024'))));
    const ds = await messages(text);
    expect(ds.map((l) => l.split('\n')[0]!.replace(/^directive\.yaml:\d+:\d+: /, ''))).toEqual([
      'error[invalid-format]: `issued`: `22/04/2024` is not a date YYYY-MM-DD',
      'error[invalid-format]: `id`: `Scan_1` is not an id (lower-case letters, digits, dashes)',
      'error[invalid-format]: `clause`: `1..b` is not a clause number as the text prints it',
      'error[invalid-format]: `every`: `6 months` is not an ISO-8601 duration',
    ]);
  });

  it('Vietnamese clause letters are accepted', async () => {
    const r = await compileText(mutate('clause: "1.b"', 'clause: "3.đ.2"'));
    expect(r.ok).toBe(true);
  });

  it('const and enum values', async () => {
    const ds = await messages(mutate('apiVersion: chithi/v1', 'apiVersion: chithi/v2', mutate('type: cong-van', 'type: congvan')));
    expect(ds).toEqual([
      'directive.yaml:2:13: error[invalid-value]: `apiVersion` must be one of chithi/v1, chithi/v1.1 — did you mean `chithi/v1`?\n  → got: "chithi/v2"',
      'directive.yaml:7:9: error[invalid-value]: `type` must be one of chi-thi, cong-van, quyet-dinh, ke-hoach — did you mean `cong-van`?\n  → got: "congvan"',
    ]);
  });

  it('an assignee that is neither a name nor a selector; a selector with a typo', async () => {
    const ds = await messages(mutate('assignees: [not-a]', 'assignees: [42]', mutate('telecoms: { tags: [telecom] }', 'telecoms: { tag: [telecom] }')));
    expect(ds.map((l) => l.split('\n')[0])).toEqual([
      'directive.yaml:23:15: error[unknown-property]: unknown property `tag` — did you mean `tags`?',
      'directive.yaml:69:17: error[wrong-type]: `assignees[0]` must be an audience name, a unit id or a selector',
    ]);
  });

  it('invalid names in roles and audiences', async () => {
    const ds = await messages(mutate('  telecoms: { tags: [telecom] }', '  Viễn_thông: { tags: [telecom] }').replace('assignees: [level3, telecoms]', 'assignees: [level3]'));
    expect(ds.map((l) => l.split('\n')[0])).toEqual(['directive.yaml:23:3: error[invalid-format]: name `Viễn_thông` is invalid: use lower-case letters, digits and dashes']);
  });

  it('missing top-level sections and an empty obligation list', async () => {
    const ds = await messages('apiVersion: chithi/v1\nkind: Directive\nobligations: []\n');
    expect(ds).toEqual([
      'directive.yaml:1:1: error[missing-property]: missing required property `metadata`\n  → add `metadata: …`',
      'directive.yaml:3:14: error[invalid-value]: `obligations` needs at least 1 item(s)',
    ]);
  });
});

describe('semantics skip what the schema rejected', () => {
  it('a malformed reportingPeriod is one format error, not a crash in the reminder check', async () => {
    const r = await compileText(mutate('reportingPeriod: P6M', 'reportingPeriod: 6 months'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['invalid-format']);
  });

  it('malformed durations anywhere never become internal errors', async () => {
    for (const [from, to] of [
      ['reminders: [P1D, P7D]', 'reminders: [P1D, 7 days]'],
      ['{ after: P7D, to: [leadership] }', '{ after: 7d, to: [leadership] }'],
      ['within: PT4H', 'within: 4 hours'],
      ['every: P6M', 'every: P6Q'],
    ] as const) {
      const r = await compileText(mutate(from, to));
      expect(r.ok).toBe(false);
      expect(r.diagnostics.map((d) => d.code)).not.toContain('internal-error');
    }
  });
});
