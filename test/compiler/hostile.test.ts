import { describe, expect, it } from 'vitest';
import { mkdtempSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFile, validateFile } from '../../compiler/index.js';
import type { Diagnostic } from '../../compiler/index.js';
import { CALENDARS } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'chithi-hostile-'));
const MB = 1024 * 1024;

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Runs `f`, asserting it finishes in < 2 s and grows the heap and RSS by < 200 MB. */
async function bounded(f: () => Promise<{ ok: boolean; diagnostics: Diagnostic[] }>): Promise<Diagnostic[]> {
  global.gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const r = await f();
  const ms = performance.now() - t0;
  const after = process.memoryUsage();
  expect(ms).toBeLessThan(2000);
  expect((after.heapUsed - before.heapUsed) / MB).toBeLessThan(200);
  expect((after.rss - before.rss) / MB).toBeLessThan(200);
  expect(r.ok).toBe(false);
  return r.diagnostics;
}

const compile = (p: string) => () => compileFile(p, { asOf: '2024-06-01', calendarDir: CALENDARS });

describe('hostile input: clean errors, bounded time and memory, never a throw', () => {
  it('a 50 MB file is refused before it is read', async () => {
    const p = join(dir, 'huge.yaml');
    const fd = openSync(p, 'w');
    ftruncateSync(fd, 50 * MB);
    closeSync(fd);
    const ds = await bounded(compile(p));
    expect(ds.map((d) => [d.code, d.line, d.column, d.message.en])).toEqual([['file-too-large', 1, 1, 'file too large (50.0 MB, at most 2 MB)']]);
  });

  it('a file just over 2 MB of real YAML is refused too', async () => {
    const p = write('big.yaml', 'a: ' + 'x'.repeat(2 * MB) + '\n');
    expect((await bounded(compile(p)))[0]!.code).toBe('file-too-large');
  });

  it('NUL bytes: binary file, with position', async () => {
    const p = write('nul.yaml', Buffer.from('apiVersion: chithi/v1\nkind: Dir\0ective\n'));
    const ds = await bounded(compile(p));
    expect(ds.map((d) => [d.code, d.line, d.column])).toEqual([['binary-file', 2, 10]]);
  });

  it('invalid UTF-8 (a legacy encoding), with position', async () => {
    const p = write('latin1.yaml', Buffer.concat([Buffer.from('apiVersion: chithi/v1\ntitle: Ch'), Buffer.from([0xe1, 0xbb]), Buffer.from(' th\n')]));
    const ds = await bounded(compile(p));
    expect(ds.map((d) => [d.code, d.line, d.column])).toEqual([['invalid-utf8', 2, 10]]);
  });

  it('duplicate keys', async () => {
    const p = write('dup.yaml', 'apiVersion: chithi/v1\nkind: Directive\nkind: Directive\n');
    const ds = await bounded(compile(p));
    expect(ds.map((d) => [d.code, d.line, d.column])).toEqual([['duplicate-key', 3, 1]]);
  });

  it('a billion-laughs alias bomb', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill('*' + prev).join(',')}]`);
    }
    const p = write('bomb.yaml', levels.join('\n') + '\n');
    const ds = await bounded(compile(p));
    expect(ds.map((d) => d.code)).toEqual(['alias-bomb']);
  });

  it('10,000-deep flow sequences [[[[…', async () => {
    const p = write('deep-flow.yaml', '['.repeat(10_000) + ']'.repeat(10_000) + '\n');
    const ds = await bounded(compile(p));
    expect(ds.map((d) => [d.code, d.line, d.column])).toEqual([['too-deep', 1, 65]]);
  });

  it('10,000-deep flow mappings a: {a: {…}}', async () => {
    const p = write('deep-map.yaml', 'a: {'.repeat(10_000) + '}'.repeat(10_000) + '\n');
    const ds = await bounded(compile(p));
    expect(ds.map((d) => d.code)).toEqual(['too-deep']);
  });

  it('10,000-deep block sequences - - - …', async () => {
    const p = write('deep-block.yaml', '- '.repeat(10_000) + 'x\n');
    const ds = await bounded(compile(p));
    expect(ds.map((d) => d.code)).toEqual(['too-deep']);
  });

  it('deep indentation-nested block mappings', async () => {
    const text = Array.from({ length: 1500 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' x\n';
    const p = write('deep-indent.yaml', text);
    const ds = await bounded(compile(p));
    expect(ds.map((d) => d.code)).toEqual(['too-deep']);
  });

  it('64 levels are accepted by the parser (then fail the schema, not the parser)', async () => {
    const p = write('depth-64.yaml', 'a: ' + '['.repeat(63) + ']'.repeat(63) + '\n');
    const ds = await bounded(compile(p));
    expect(ds.map((d) => d.code)).not.toContain('too-deep');
  });

  it('several YAML documents', async () => {
    const p = write('multi.yaml', 'apiVersion: chithi/v1\n---\nkind: Directive\n');
    const ds = await bounded(compile(p));
    expect(ds.map((d) => [d.code, d.line])).toEqual([['multiple-documents', 2]]);
  });

  it('a root that is not a mapping', async () => {
    for (const text of ['- a\n- b\n', '"just a string"\n', '42\n']) {
      const p = write('root.yaml', text);
      expect((await bounded(compile(p))).map((d) => d.code)).toEqual(['root-not-mapping']);
    }
  });

  it('empty file and missing file', async () => {
    expect((await bounded(compile(write('empty.yaml', '')))).map((d) => d.code)).toEqual(['root-not-mapping']);
    expect((await bounded(compile(join(dir, 'nope.yaml')))).map((d) => d.code)).toEqual(['file-not-found']);
    expect((await bounded(compile(dir))).map((d) => d.code)).toEqual(['file-not-found']);
  });

  it('YAML syntax errors have positions', async () => {
    const p = write('syntax.yaml', 'apiVersion: chithi/v1\nkind: [Directive\n');
    const ds = await bounded(compile(p));
    // At the `[` that is never closed (compiler/yaml-errors.ts), not the end of the file.
    expect(ds.map((d) => [d.code, d.line, d.column])).toEqual([['yaml-unclosed-bracket', 2, 7]]);
  });

  it('wrong kind, and shapes of every type where objects are expected, never throw', async () => {
    const shapes = ['null', '42', '"s"', '[]', '[1, "x", null]', '{}', '{ a: 1 }'];
    const fields = ['metadata', 'roles', 'audiences', 'defaults', 'obligations'];
    for (const f of fields) {
      for (const s of shapes) {
        const p = write('shape.yaml', `apiVersion: chithi/v1\nkind: Directive\n${f}: ${s}\n`);
        const r = await compileFile(p, { asOf: '2024-06-01', calendarDir: CALENDARS });
        expect(r.ok).toBe(false);
        expect(r.diagnostics.length).toBeGreaterThan(0);
      }
    }
    for (const s of shapes) {
      const p = write('ob.yaml', `apiVersion: chithi/v1\nkind: Directive\nobligations: [${s}, { id: x, kind: deadline, assignees: ${s}, dependsOn: ${s}, reminders: ${s}, escalation: ${s} }]\n`);
      const r = await validateFile(p);
      expect(r.ok).toBe(false);
    }
    const nested = (s: string) => [
      `roles: { a: ${s} }`,
      `roles: { a: { unit: ${s} }, b: { unit: b, notify: ${s} }, c: { unit: c, notify: { cadence: ${s}, at: ${s}, weekday: ${s} } } }`,
      `defaults: { notify: ${s} }`,
      `defaults: { notify: { units: ${s}, escalations: ${s} } }`,
      `audiences: { a: ${s} }`,
      `audiences: { a: { anyOf: ${s} }, b: { not: ${s} }, c: { allOf: [${s}] }, d: { units: ${s} }, e: { attribute: ${s} } }`,
      `defaults: { reminders: ${s}, escalation: [${s}], evidence: ${s}, reviewer: ${s} }`,
      `metadata: { id: x, issued: ${s}, calendar: ${s}, registry: ${s}, until: ${s}, timezone: ${s} }`,
    ];
    for (const s of shapes) {
      for (const line of nested(s)) {
        const p = write('nested.yaml', `apiVersion: chithi/v1\nkind: Directive\n${line}\nobligations: [{ id: a, clause: "1", title: { vi: t }, kind: deadline, due: 2024-01-01, assignees: [a] }]\n`);
        expect((await validateFile(p)).ok).toBe(false);
      }
      for (const line of [`units: ${s}`, `units: [${s}]`, `units: [{ id: a, kind: team, succeededBy: ${s}, dissolved: ${s}, systems: ${s}, attributes: ${s} }]`, `units: [{ id: a, kind: team, email: ${s}, notify: ${s} }]`]) {
        const p = write('reg.yaml', `apiVersion: chithi/v1\nkind: UnitRegistry\nmetadata: { id: r }\n${line}\n`);
        expect((await validateFile(p)).ok).toBe(false);
      }
    }
    const p = write('kind.yaml', 'apiVersion: chithi/v1\nkind: Something\n');
    expect((await validateFile(p)).diagnostics.map((d) => d.code)).toEqual(['unknown-kind']);
  });
});

describe('extreme but well-formed values end as diagnostics', () => {
  it('year 9999 plus a thousand years', async () => {
    const { compileText, mutate } = await import('./helpers.js');
    for (const [from, to] of [
      ['every: P6M', 'every: P999999Y'],
      ['due: { after: P9D }', 'due: { after: P99999999999999999999D }'],
      ['due: 2024-04-27', 'due: 9999-12-31'],
    ] as const) {
      const r = await compileText(mutate(from, to));
      for (const d of r.diagnostics) expect(d.message.en).not.toMatch(/\n\s+at /);
      if (r.ok) expect(JSON.parse(JSON.stringify(r.plan))).toEqual(r.plan);
    }
  });
});

describe('random mutations of the valid fixture', () => {
  it('never throw, never hit internal-error, always point inside the file', async () => {
    const { compileText, validText } = await import('./helpers.js');
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const base = validText();
    const lineCount = base.split('\n').length;
    const tokens = base.match(/[A-Za-z0-9_\-./]+/g)!;
    const replacements = ['', '-P1D', 'P0D', 'x', '[]', '{}', 'null', '42', '2024-02-30', 'P99999Y', 'scan', 'so-b', 'coordinator', 'level3', '"1.4"', 'event', '- a', ': b', '&a', '*a', '[a]', 'huyen-x'];
    for (let k = 0; k < 150; k++) {
      let text = base;
      for (let j = 0; j < 1 + Math.floor(rnd() * 3); j++) {
        const tok = tokens[Math.floor(rnd() * tokens.length)]!;
        const at = text.indexOf(tok, Math.floor((rnd() * text.length) / 2));
        if (at >= 0) text = text.slice(0, at) + replacements[Math.floor(rnd() * replacements.length)] + text.slice(at + tok.length);
      }
      const r = await compileText(text, rnd() > 0.5 ? '2024-06-01' : '2025-08-01');
      for (const d of r.diagnostics) {
        expect(d.code).not.toBe('internal-error');
        if (d.file === 'directive.yaml') expect(d.line).toBeLessThanOrEqual(lineCount + 1);
      }
    }
  }, 60_000);
});
