import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CalendarError, loadCalendar } from '../../compiler/calendar/index.js';

const original = readFileSync(fileURLToPath(new URL('../../directives/calendars/vn.yaml', import.meta.url)), 'utf8');
const lines = original.split('\n');
const lineOf = (needle: string): number => lines.findIndex((l) => l.includes(needle)) + 1;

/** Writes a variant of vn.yaml into a fresh directory and loads it. */
function loadVariant(edit: (text: string) => string): () => unknown {
  const dir = mkdtempSync(join(tmpdir(), 'chithi-cal-'));
  writeFileSync(join(dir, 'vn.yaml'), edit(original));
  return () => loadCalendar('vn', dir);
}

function errorOf(load: () => unknown): CalendarError {
  try {
    load();
  } catch (e) {
    if (e instanceof CalendarError) return e;
    throw e;
  }
  throw new Error('expected a CalendarError');
}

describe('loading a calendar file', () => {
  it('the shipped vn.yaml loads from a custom directory too', () => {
    expect(loadVariant((t) => t)()).toBeDefined();
  });

  it('a date that does not exist names its line', () => {
    const line = lineOf('off: [{ from: 2024-02-08, to: 2024-02-14 }]');
    const err = errorOf(loadVariant((t) => t.replace('to: 2024-02-14 }', 'to: 2024-02-30 }')));
    expect(err.message).toMatch(new RegExp(`vn\\.yaml:${line}:\\d+: 2024-02-30 is not a real date`));
    expect(err.location?.line).toBe(line);
  });

  it('a schema violation names its line', () => {
    const line = lineOf('compensation: next-working-day');
    const err = errorOf(loadVariant((t) => t.replace('compensation: next-working-day', 'compensation: sometimes')));
    expect(err.message).toMatch(new RegExp(`vn\\.yaml:${line}:\\d+: /ruleSets/0/compensation`));
  });

  it('an unknown holiday id in an arrangement names its line', () => {
    const line = lineOf('holidays: [reunification, labour]');
    const err = errorOf(loadVariant((t) => t.replace('holidays: [reunification, labour]', 'holidays: [reunion, labour]')));
    expect(err.location?.line).toBe(line);
    expect(err.message).toContain('unknown holiday id reunion');
  });

  it('a YAML syntax error names its line', () => {
    const line = lineOf('timezone: Asia/Ho_Chi_Minh');
    const err = errorOf(loadVariant((t) => t.replace('timezone: Asia/Ho_Chi_Minh', 'timezone: [Asia/Ho_Chi_Minh')));
    expect(err.message).toMatch(/vn\.yaml:\d+:\d+: YAML syntax/);
    expect(err.location?.line).toBeGreaterThanOrEqual(line);
  });

  it('a missing file or a path-like id is a CalendarError', () => {
    expect(() => loadCalendar('nowhere', tmpdir())).toThrow(CalendarError);
    expect(() => loadCalendar('../vn')).toThrow(CalendarError);
  });
});
