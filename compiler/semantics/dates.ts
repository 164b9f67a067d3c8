import { diag } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { datePrecisely, IMPOSSIBLE_DATE_HINT } from '../messages.js';
import { locate } from '../positions.js';
import type { JsonPath } from '../positions.js';
import type { ParsedFile } from '../parse.js';

/** Impossible calendar dates (`2022-11-31`) in the dotted fields of `obj`, which sits at `base`. */
export function checkDates(parsed: ParsedFile, base: JsonPath, obj: unknown, fields: string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const field of fields) {
    const segs = field.split('.');
    let v: unknown = obj;
    for (const s of segs) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[s] : undefined;
    if (typeof v !== 'string') continue;
    const problem = datePrecisely(v);
    if (problem) {
      out.push(diag(parsed.file, locate(parsed, [...base, ...segs]), 'impossible-date', problem, IMPOSSIBLE_DATE_HINT));
    }
  }
  return out;
}
