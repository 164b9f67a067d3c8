import type { ChithiDirective } from '../schema/directive.generated.js';
import type { ParsedFile } from '../parse.js';
import type { Registry } from '../registry.js';
import type { JsonPath } from '../positions.js';

/** What every directive check needs; `clean(path)` is false where the schema already complained. */
export interface DirectiveContext {
  parsed: ParsedFile;
  data: ChithiDirective;
  /** null when the registry could not be loaded (already reported): unit checks are skipped. */
  registry: Registry | null;
  clean(path: JsonPath): boolean;
}

export function cleanFilter(badPointers: readonly string[]): (path: JsonPath) => boolean {
  return (path) => {
    const p = path.length === 0 ? '' : '/' + path.join('/');
    return !badPointers.some((b) => b === p || b.startsWith(p + '/'));
  };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
