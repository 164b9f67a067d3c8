/** Loading a unit registry and answering "who is this unit at date X" (succession, dissolution). */
import type { ChithiUnitRegistry, Unit } from './schema/registry.generated.js';
import type { Diagnostic } from './diagnostics.js';
import { diag, hasErrors } from './diagnostics.js';
import { locate } from './positions.js';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { MAX_FILE_BYTES, parseYamlBytes, readYamlFile } from './parse.js';
import type { ParsedFile } from './parse.js';
import { validateSchema } from './schema-validate.js';
import { checkRegistry } from './semantics/registry.js';

export type { Unit };

export interface Registry {
  file: string;
  parsed: ParsedFile;
  data: ChithiUnitRegistry;
  /** By id; the first entry wins when an id is duplicated (that is reported as an error). */
  units: Map<string, Unit>;
  /** Index in `units:` of each id, to point diagnostics at the entry. */
  indexOf: Map<string, number>;
}

export type RegistryResult = { ok: true; registry: Registry; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export function buildRegistry(parsed: ParsedFile): Registry {
  const data = parsed.data as unknown as ChithiUnitRegistry;
  const units = new Map<string, Unit>();
  const indexOf = new Map<string, number>();
  data.units.forEach((u, i) => {
    if (!units.has(u.id)) {
      units.set(u.id, u);
      indexOf.set(u.id, i);
    }
  });
  return { file: parsed.file, parsed, data, units, indexOf };
}

/** A parsed file already known to be `kind: UnitRegistry`. */
export function validateRegistryParsed(parsed: ParsedFile): RegistryResult {
  const schema = validateSchema(parsed, 'registry');
  if (schema.diagnostics.length > 0) return { ok: false, diagnostics: schema.diagnostics };
  const registry = buildRegistry(parsed);
  const diagnostics = checkRegistry(registry);
  return hasErrors(diagnostics) ? { ok: false, diagnostics } : { ok: true, registry, diagnostics };
}

// A registry is shared by every directive of a province and is large (thousands of units) while a
// directive is small: a long-lived process (worker, deploy of many directives, tests) parses each
// registry version once. Keyed by content, so an edited file is never served stale.
const cache = new Map<string, RegistryResult>();
const CACHE_LIMIT = 8;

export async function loadRegistry(path: string, displayName = path): Promise<RegistryResult> {
  let bytes: Buffer | null = null;
  try {
    const s = await stat(path);
    if (s.isFile() && s.size <= MAX_FILE_BYTES) bytes = await readFile(path);
  } catch {
    // Missing or unreadable: readYamlFile below produces the diagnostic.
  }
  const key = bytes ? `${displayName}\0${createHash('sha256').update(bytes).digest('hex')}` : null;
  const hit = key ? cache.get(key) : undefined;
  if (hit) return hit;
  const read = bytes ? parseYamlBytes(bytes, displayName) : await readYamlFile(path, displayName);
  const result: RegistryResult = !read.ok ? read : read.parsed.data.kind !== 'UnitRegistry' ? notARegistry(read.parsed) : validateRegistryParsed(read.parsed);
  if (key) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, result);
  }
  return result;
}

function notARegistry(parsed: ParsedFile): RegistryResult {
  const kind = parsed.data.kind;
  return {
    ok: false,
    diagnostics: [
      diag(
        parsed.file,
        kind === undefined ? { line: 1, column: 1 } : locate(parsed, ['kind']),
        'unknown-kind',
        { vi: `đây không phải danh mục đơn vị (\`kind: ${String(kind)}\`)`, en: `not a unit registry (\`kind: ${String(kind)}\`)` },
        { vi: 'danh mục đơn vị có `kind: UnitRegistry`', en: 'a unit registry has `kind: UnitRegistry`' },
      ),
    ],
  };
}

/** For benchmarks and tests that want a cold start. */
export function clearRegistryCache(): void {
  cache.clear();
}

export type Resolution =
  | { status: 'active'; id: string; from: string[] }
  | { status: 'dissolved'; id: string; on: string; from: string[] }
  | { status: 'unknown'; id: string };

/**
 * Follows `succeededBy` links in effect at `asOf` (transitively). Cycles are rejected when the
 * registry is checked, but the walk still stops on a revisit so a bad registry cannot hang it.
 */
export function resolveUnit(registry: Registry, id: string, asOf: string): Resolution {
  const from: string[] = [];
  let current = id;
  const seen = new Set<string>();
  for (;;) {
    const unit = registry.units.get(current);
    if (!unit) return from.length === 0 ? { status: 'unknown', id } : { status: 'unknown', id: current };
    if (seen.has(current)) return { status: 'active', id: current, from };
    seen.add(current);
    if (unit.succeededBy && unit.succeededBy.on <= asOf) {
      from.push(current);
      current = unit.succeededBy.unit;
      continue;
    }
    if (unit.dissolved && unit.dissolved.on <= asOf) return { status: 'dissolved', id: current, on: unit.dissolved.on, from };
    return { status: 'active', id: current, from };
  }
}
