import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_NOTIFY } from '../../compiler/plan.js';
import type { Plan } from '../../compiler/plan.js';
import { compileText, FIXTURES, lines, mutate, validText } from './helpers.js';

const REGISTRY = readFileSync(join(FIXTURES, 'registries', 'test-province.yaml'), 'utf8');

/** The fixture registry with `notify` lines added after a unit's `kind:` line. */
function registryWith(settings: Record<string, string>): string {
  let text = REGISTRY;
  for (const [id, notify] of Object.entries(settings)) {
    const anchor = new RegExp(`(  - id: ${id}\\n(?:    .*\\n)*?    kind: .*\\n)`);
    if (!anchor.test(text)) throw new Error(`no unit ${id} in the fixture registry`);
    text = text.replace(anchor, `$1    notify: ${notify}\n`);
  }
  return text;
}

async function plan(directive: string, registry?: string, asOf = '2024-06-01'): Promise<{ plan: Plan; warnings: string[] }> {
  const r = await compileText(directive, asOf, registry);
  if (!r.ok) throw new Error(lines(r.diagnostics).join('\n'));
  return { plan: r.plan, warnings: lines(r.diagnostics) };
}

function cadences(p: Plan): Record<string, unknown> {
  return Object.fromEntries(Object.values(p.units).map((u) => [u.id, u.notify ?? '-']));
}

const ROLES_WITH_NOTIFY = mutate(
  '  coordinator: so-a\n  leadership: chu-tich\n',
  '  coordinator: { unit: so-a, notify: { cadence: daily, at: "07:30" } }\n  leadership: { unit: chu-tich, notify: { cadence: weekly, weekday: 5, at: "16:00" } }\n',
);
const WITH_DEFAULTS = (text: string) => mutate('  reviewer: coordinator\n', '  reviewer: coordinator\n  notify:\n    units: { cadence: weekly }\n    escalations: { cadence: daily, at: "17:00" }\n', text);

describe('notification cadence: unit > role > directive default > built-in', () => {
  it('nothing set anywhere: no unit carries `notify`, and the plan hash is the one it had before the setting existed', async () => {
    const { plan: p } = await plan(validText());
    expect(Object.values(p.units).filter((u) => 'notify' in u)).toEqual([]);
    // Golden: the valid fixture's hash from before `notify` was added. A change here re-deploys every running directive.
    // Changed once since, on purpose (issue 11): the fixture's `due: { after: P9D }` deadline now carries
    // `dueAfter: P9D` in the plan, so readers no longer show its counted date as the text's. Plans whose
    // deadlines are dates (the three seeds) keep their hash.
    expect(p.hash).toBe('eb085a6d23fb33aa95ed1b6f1b2a5713952ce14b3cba9bd38176105b1d90cd29');
    expect(DEFAULT_NOTIFY).toEqual({ cadence: 'daily', at: '08:00' });
    expect(Object.isFrozen(DEFAULT_NOTIFY)).toBe(true);
  });

  it('each level applies where the more specific ones are silent', async () => {
    const registry = registryWith({ 'so-a': '{ cadence: immediate }', 'huyen-y': '{ cadence: weekly, weekday: 2 }' });
    const { plan: p, warnings } = await plan(WITH_DEFAULTS(ROLES_WITH_NOTIFY), registry);
    expect(warnings).toEqual([]);
    expect(cadences(p)).toEqual({
      // its own registry entry beats its coordinator role and the defaults
      'so-a': { cadence: 'immediate', at: '08:00' },
      'huyen-y': { cadence: 'weekly', at: '08:00', weekday: 2 },
      // its role
      'chu-tich': { cadence: 'weekly', at: '16:00', weekday: 5 },
      // assignees only: `units`; the weekday stays unset (the first working day of the week, at run time)
      'huyen-x': { cadence: 'weekly', at: '08:00' },
      'so-b': { cadence: 'weekly', at: '08:00' },
      'so-c': { cadence: 'weekly', at: '08:00' },
      'vien-thong-1': { cadence: 'weekly', at: '08:00' },
      // the issuer receives no escalation here: `units` too
      'ubnd-tinh': { cadence: 'weekly', at: '08:00' },
    });
  });

  it('a role holder, reviewer or escalation target takes `escalations`, even when it is also an assignee', async () => {
    const text = WITH_DEFAULTS(mutate('    - { after: P7D, to: [leadership] }\n', '    - { after: P7D, to: [leadership] }\n    - { after: P14D, to: [ubnd-tinh] }\n'));
    const { plan: p } = await plan(text);
    const c = cadences(p);
    expect(p.obligations[0]!.assignees).toContain('so-a');
    expect(c['so-a']).toEqual({ cadence: 'daily', at: '17:00' });
    expect(c['chu-tich']).toEqual({ cadence: 'daily', at: '17:00' });
    expect(c['ubnd-tinh']).toEqual({ cadence: 'daily', at: '17:00' });
    expect(c['so-b']).toEqual({ cadence: 'weekly', at: '08:00' });
  });

  it('only the level that is set appears: `escalations` alone leaves assignees without `notify`', async () => {
    const text = mutate('  reviewer: coordinator\n', '  reviewer: coordinator\n  notify: { escalations: { cadence: immediate } }\n');
    const { plan: p } = await plan(text);
    expect(cadences(p)).toEqual({
      'chu-tich': { cadence: 'immediate', at: '08:00' },
      'so-a': { cadence: 'immediate', at: '08:00' },
      'huyen-x': '-',
      'huyen-y': '-',
      'so-b': '-',
      'so-c': '-',
      'ubnd-tinh': '-',
      'vien-thong-1': '-',
    });
    const roleOnly = await plan(ROLES_WITH_NOTIFY);
    expect(Object.keys(roleOnly.plan.units).filter((id) => roleOnly.plan.units[id]!.notify)).toEqual(['chu-tich', 'so-a']);
    expect(roleOnly.plan.roles).toEqual({ coordinator: 'so-a', leadership: 'chu-tich' });
  });

  it('the plain and the { unit } role forms compile to the same plan', async () => {
    const plain = await plan(validText());
    const object = await plan(mutate('  coordinator: so-a\n', '  coordinator: { unit: so-a }\n'));
    expect(object.plan.hash).toBe(plain.plan.hash);
  });

  it('after succession the successor\'s own setting applies, and a role follows its holder', async () => {
    const registry = registryWith({ 'so-b': '{ cadence: immediate }' });
    const text = mutate('  leadership: chu-tich\n', '  leadership: chu-tich\n  health: { unit: so-b, notify: { cadence: weekly, at: "09:00" } }\n');
    const before = await plan(text, registry);
    expect(before.plan.units['so-b']!.notify).toEqual({ cadence: 'immediate', at: '08:00' });
    const after = await plan(text, registry, '2025-08-01');
    expect(after.plan.roles.health).toBe('so-c');
    // so-b's own `immediate` went with so-b; so-c has none, so the role it now holds decides
    expect(after.plan.units['so-c']!.notify).toEqual({ cadence: 'weekly', at: '09:00' });
  });

  it('one unit, two roles that disagree: the more frequent letter wins, with a warning at the other role', async () => {
    const text = mutate(
      '  coordinator: so-a\n  leadership: chu-tich\n',
      '  coordinator: { unit: so-a, notify: { cadence: weekly } }\n  leadership: chu-tich\n  ict: { unit: so-a, notify: { cadence: daily, at: "10:00" } }\n',
    );
    const { plan: p, warnings } = await plan(text);
    expect(p.units['so-a']!.notify).toEqual({ cadence: 'daily', at: '10:00' });
    expect(warnings).toEqual([
      'directive.yaml:18:38: warning[notify-conflict]: `so-a` holds both roles ict and coordinator with different notify settings: using daily at 10:00 of ict\n' +
        "  → give both roles the same setting, or set the unit's own `notify` in the registry",
    ]);
    const r = await compileText(text);
    expect(r.diagnostics[0]!.message.vi).toBe('`so-a` giữ cả vai trò ict và coordinator với nhịp gửi thư khác nhau: dùng hằng ngày lúc 10:00 của ict');
    const agreeing = await plan(text.replace('{ cadence: weekly }', '{ cadence: daily, at: "10:00" }'));
    expect(agreeing.warnings).toEqual([]);
  });
});

describe('notification cadence: checked where it is written', () => {
  it('`at` is HH:mm from 00:00 to 23:59; weekday is 1..7 and only for weekly; `at` not for immediate', async () => {
    const text = mutate(
      '  coordinator: so-a\n  leadership: chu-tich\n',
      [
        '  coordinator: { unit: so-a, notify: { cadence: daily, at: "8:00" } }',
        '  leadership: { unit: chu-tich, notify: { cadence: weekly, at: "24:00", weekday: 0 } }',
        '  a: { unit: so-b, notify: { cadence: daily, weekday: 3 } }',
        '  b: { unit: so-c, notify: { cadence: immediate, at: "09:00" } }',
        '  c: { unit: so-c, notify: { cadence: weekly, weekday: 8, at: "23:59" } }',
        '  d: { unit: so-c, notify: { cadence: hourly } }',
        '  e: { unit: so-c, notify: { at: "00:00" } }',
        '  f: 5',
        '',
      ].join('\n'),
    );
    const r = await compileText(text);
    expect(r.ok).toBe(false);
    expect(lines(r.diagnostics)).toEqual([
      'directive.yaml:18:60: error[invalid-format]: `at`: `8:00` is not a time HH:mm, 00:00 to 23:59\n  → for example: "08:00", "16:30"',
      'directive.yaml:19:64: error[invalid-format]: `at`: `24:00` is not a time HH:mm, 00:00 to 23:59\n  → for example: "08:00", "16:30"',
      'directive.yaml:19:82: error[invalid-value]: `weekday` must be ≥ 1\n  → got: 0',
      'directive.yaml:20:46: error[property-not-allowed]: `weekday` does not apply to `cadence: daily`\n  → `weekday` is only for `cadence: weekly`',
      'directive.yaml:21:50: error[property-not-allowed]: `at` does not apply to `cadence: immediate`\n  → `at` is only for `cadence: daily` or `weekly`; `immediate` letters leave at once',
      'directive.yaml:22:56: error[invalid-value]: `weekday` must be ≤ 7\n  → got: 8',
      'directive.yaml:23:39: error[invalid-value]: `cadence` must be one of immediate, daily, weekly\n  → got: "hourly"',
      'directive.yaml:24:28: error[missing-property]: missing required property `cadence`\n  → add `cadence: …`',
      'directive.yaml:25:6: error[wrong-type]: `f` must be a unit id or { unit, notify }\n  → for example: so-tttt or { unit: so-tttt, notify: { cadence: daily } }',
    ]);
    const vi = lines(r.diagnostics, 'vi');
    expect(vi[0]).toBe('directive.yaml:18:60: lỗi[invalid-format]: `at`: `8:00` không phải giờ dạng HH:mm, từ 00:00 đến 23:59\n  → ví dụ: "08:00", "16:30"');
    expect(vi[3]).toBe('directive.yaml:20:46: lỗi[property-not-allowed]: `weekday` không áp dụng cho `cadence: daily`\n  → `weekday` chỉ dùng với `cadence: weekly`');
  });

  it('directive defaults: a misspelt key is named; an unknown role unit is reported at `unit`', async () => {
    const text = mutate('  reviewer: coordinator\n', '  reviewer: coordinator\n  notify: { units: { cadence: daily, at: "12:00" }, escalation: { cadence: immediate } }\n', mutate('  leadership: chu-tich\n', '  leadership: { unit: chu-tch }\n'));
    const r = await compileText(text);
    expect(lines(r.diagnostics)).toEqual([
      'directive.yaml:19:23: error[unknown-unit]: unit `chu-tch` is not in the registry registries/test-province.yaml — did you mean `chu-tich`?\n  → fix the unit id or add the unit to the registry',
      'directive.yaml:36:53: error[unknown-property]: unknown property `escalation` — did you mean `escalations`?\n  → allowed here: units, escalations',
    ]);
  });

  it('in the registry, at the unit\'s line', async () => {
    const registry = registryWith({ 'so-a': '{ cadence: daily, at: "25:00" }', 'so-c': '{ cadence: daily, weekday: 1 }', 'huyen-y': '{ cadence: weekly, weekday: 1, at: "06:45" }' });
    const r = await compileText(validText(), '2024-06-01', registry);
    expect(lines(r.diagnostics)).toEqual([
      'registries/test-province.yaml:19:35: error[invalid-format]: `at`: `25:00` is not a time HH:mm, 00:00 to 23:59\n  → for example: "08:00", "16:30"',
      'registries/test-province.yaml:32:31: error[property-not-allowed]: `weekday` does not apply to `cadence: daily`\n  → `weekday` is only for `cadence: weekly`',
    ]);
    const fine = await plan(validText(), registryWith({ 'huyen-y': '{ cadence: weekly, weekday: 1, at: "06:45" }' }));
    expect(fine.plan.units['huyen-y']!.notify).toEqual({ cadence: 'weekly', at: '06:45', weekday: 1 });
  });
});
