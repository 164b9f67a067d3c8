import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../common/root.js';
import { parseCalendarText, readCalendarFile } from '../../compiler/calendar/load.js';
import { precompileCalendars, precompiledCalendar } from '../../compiler/calendar/precompiled.js';

describe("the build's reading of the shipped calendars (dist/calendars/)", () => {
  const file = join(ROOT, 'directives', 'calendars', 'vn.yaml');
  const text = readFileSync(file, 'utf8');

  it('holds what parsing the YAML gives, under the digest of that YAML text', () => {
    const built = precompileCalendars(parseCalendarText);
    const entry = JSON.parse(built['vn']!) as { id: string; sha256: string; data: unknown };
    expect(entry.id).toBe('vn');
    expect(entry.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(entry.data).toStrictEqual(readCalendarFile(file, 'vn'));
  });

  it('leaves out a calendar that does not read, so its error is reported when it is loaded', () => {
    expect(precompileCalendars(() => { throw new Error('bad'); })).toEqual({});
  });

  it('is not used from the sources (tsx, vitest): they always parse the YAML', () => {
    expect(precompiledCalendar('vn', text)).toBeUndefined();
  });
});
