import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UNIT_KINDS } from '../../compiler/unit-kinds.js';
import { codes, compileText, mutate, validText } from './helpers.js';

const schema = (name: string) => JSON.parse(readFileSync(new URL(`../../compiler/schema/${name}.schema.json`, import.meta.url), 'utf8'));

describe('unit kinds', () => {
  it('the registry schema, the directive schema and the table of names list the same kinds, each named in both languages', () => {
    const registryKinds = schema('registry').$defs.unit.properties.kind.enum;
    const directiveKinds = schema('directive').$defs.unitKind.enum;
    expect(directiveKinds).toEqual(registryKinds);
    expect(Object.keys(UNIT_KINDS)).toEqual(registryKinds);
    expect(registryKinds).toEqual(expect.arrayContaining(['ministry', 'province', 'central-city', 'commune', 'state-enterprise']));
    for (const [kind, name] of Object.entries(UNIT_KINDS)) {
      expect(name.vi, kind).not.toBe('');
      expect(name.en, kind).not.toBe('');
    }
    expect(UNIT_KINDS['central-city']).toEqual({ vi: 'thành phố trực thuộc trung ương', en: 'centrally-run city' });
  });

  it('a registry may hold ministries, provinces, communes and state enterprises, and a directive selects them by kind', async () => {
    const registry = readFileSync(new URL('./fixtures/registries/test-province.yaml', import.meta.url), 'utf8').replace(
      /\nunits:\n/,
      `\nunits:
  - { id: bo-a, name: { vi: Bộ A }, kind: ministry, email: bo-a@example.test }
  - { id: tinh-b, name: { vi: Tỉnh B }, kind: province, email: tinh-b@example.test }
  - { id: tp-c, name: { vi: Thành phố C }, kind: central-city, email: tp-c@example.test }
  - { id: xa-d, name: { vi: Xã D }, kind: commune, parent: tinh-b, email: xa-d@example.test }
  - { id: dn-e, name: { vi: Tổng công ty E }, kind: state-enterprise, email: dn-e@example.test }
`,
    );
    const text = mutate('audiences:\n', 'audiences:\n  provinces: { anyOf: [{ kind: province }, { kind: central-city }] }\n', validText());
    const r = await compileText(mutate('assignees: [not-a]', 'assignees: [provinces]', text), '2024-06-01', registry);
    expect(codes(r.diagnostics)).toEqual([]);
    if (!r.ok) throw new Error('should compile');
    expect(r.plan.obligations.find((o) => o.id === 'awareness')!.assignees).toEqual(['tinh-b', 'tp-c']);
  });
});
