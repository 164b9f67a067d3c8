/**
 * Loading a unit registry (with the files it includes) and answering "who is this unit at date X"
 * (succession, dissolution).
 */
import type { ChithiUnitRegistry, Unit } from './schema/registry.generated.js';
import type { Diagnostic } from './diagnostics.js';
import { diag, hasErrors } from './diagnostics.js';
import { locate } from './positions.js';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { MAX_FILE_BYTES, parseYamlBytes, readYamlFile } from './parse.js';
import type { ParsedFile } from './parse.js';
import { validateSchema } from './schema-validate.js';
import { checkRegistry } from './semantics/registry.js';

export type { Unit };

/** One unit as written: the file and the index in its `units:` list, so diagnostics can point at it. */
export interface UnitEntry {
  unit: Unit;
  parsed: ParsedFile;
  index: number;
}

export interface Registry {
  /** The file a directive or a command named (its display name); `include:`d files are in `files`. */
  file: string;
  parsed: ParsedFile;
  data: ChithiUnitRegistry;
  /** By id, across every included file; the first entry wins when an id is duplicated (that is reported as an error). */
  units: Map<string, Unit>;
  /** Every entry of every file, duplicates included: the file's own units, then each included file's, depth first. */
  entries: UnitEntry[];
  /** Where each id is first written. */
  origin: Map<string, UnitEntry>;
  /** The file named, then each included file once, in that order. */
  files: ParsedFile[];
}

export type RegistryResult = { ok: true; registry: Registry; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export function buildRegistry(files: readonly ParsedFile[]): Registry {
  const root = files[0]!;
  const units = new Map<string, Unit>();
  const origin = new Map<string, UnitEntry>();
  const entries: UnitEntry[] = [];
  for (const parsed of files) {
    ((parsed.data as unknown as ChithiUnitRegistry).units ?? []).forEach((unit, index) => {
      const entry = { unit, parsed, index };
      entries.push(entry);
      if (!units.has(unit.id)) {
        units.set(unit.id, unit);
        origin.set(unit.id, entry);
      }
    });
  }
  return { file: root.file, parsed: root, data: root.data as unknown as ChithiUnitRegistry, units, entries, origin, files: [...files] };
}

/**
 * A file read for the registry, relative to the named file's folder, with the hash that tells a
 * cached result it is still the same file (null: it was missing, and must still be).
 */
interface Dependency {
  path: string;
  hash: string | null;
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The file's bytes when it is a regular file within the size limit; null otherwise (readYamlFile then says why). */
async function readBytes(path: string): Promise<Buffer | null> {
  try {
    const s = await stat(path);
    return s.isFile() && s.size <= MAX_FILE_BYTES ? await readFile(path) : null;
  } catch {
    return null;
  }
}

/**
 * Reads the registry at `path` and, depth first, every file it includes (each once, however many
 * files include it), then checks the units of all of them as one registry. `root`: the named file
 * already parsed (validateFile has it) or read (loadRegistry hashed those bytes).
 */
async function loadTree(path: string, display: string, root: { parsed?: ParsedFile; bytes?: Buffer } = {}): Promise<{ result: RegistryResult; deps: Dependency[] }> {
  const files: ParsedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const deps: Dependency[] = [];
  const visited = new Set<string>();
  // Một danh mục chỉ gộp tệp nằm trong thư mục của nó (hoặc thư mục con): máy chủ biên dịch danh mục
  // tải lên, và `include: [../../etc/…]` không được đọc tệp nào khác trên máy chủ.
  // A registry includes files in its own folder or below only: the server compiles uploaded
  // registries, and `include: [../../etc/…]` must not read any other file on it.
  const base = dirname(path);

  // `chain`: the files from the named one down to this one, to tell a cycle from a file included twice.
  async function visit(file: string, shown: string, chain: readonly { path: string; shown: string }[], from?: { parsed: ParsedFile; index: number }): Promise<void> {
    visited.add(file);
    let parsed = file === path ? root.parsed : undefined;
    if (!parsed) {
      const bytes = file === path && root.bytes ? root.bytes : await readBytes(file);
      // The named file is in the cache's key already.
      if (file !== path) deps.push({ path: relative(base, file), hash: bytes ? sha(bytes) : null });
      const read = bytes ? parseYamlBytes(bytes, shown) : await readYamlFile(file, shown);
      if (!read.ok) {
        if (from && read.diagnostics.some((d) => d.code === 'file-not-found')) diagnostics.push(includeNotFound(from.parsed, from.index, shown));
        else diagnostics.push(...read.diagnostics);
        return;
      }
      parsed = read.parsed;
    }
    if (parsed.data.kind !== 'UnitRegistry') {
      diagnostics.push(notARegistry(parsed));
      return;
    }
    const schema = validateSchema(parsed, 'registry');
    if (schema.diagnostics.length > 0) {
      diagnostics.push(...schema.diagnostics);
      return;
    }
    files.push(parsed);
    const includes = (parsed.data as unknown as ChithiUnitRegistry).include ?? [];
    for (const [index, ref] of includes.entries()) {
      const target = resolve(dirname(file), ref);
      const targetShown = normalize(join(dirname(shown), ref));
      const inside = relative(base, target);
      if (isAbsolute(ref) || inside.startsWith('..') || isAbsolute(inside)) diagnostics.push(includeOutside(parsed, index, ref));
      else if (chain.some((c) => c.path === target)) {
        const cycle = [...chain.slice(chain.findIndex((c) => c.path === target)).map((c) => c.shown), targetShown];
        diagnostics.push(includeCycle(parsed, index, cycle));
      } else if (!visited.has(target)) await visit(target, targetShown, [...chain, { path: target, shown: targetShown }], { parsed, index });
    }
  }

  await visit(path, display, [{ path, shown: display }]);
  if (hasErrors(diagnostics)) return { result: { ok: false, diagnostics }, deps };
  const registry = buildRegistry(files);
  diagnostics.push(...checkRegistry(registry));
  return { result: hasErrors(diagnostics) ? { ok: false, diagnostics } : { ok: true, registry, diagnostics }, deps };
}

function includeNotFound(parsed: ParsedFile, index: number, shown: string): Diagnostic {
  return diag(
    parsed.file,
    locate(parsed, ['include', index]),
    'include-not-found',
    { vi: `không tìm thấy tệp danh mục được gộp ${shown}`, en: `included registry file not found: ${shown}` },
    {
      vi: 'đường dẫn trong `include` tính từ thư mục của tệp này; danh mục tải lên cổng thông tin không gộp được tệp khác: tải lên bản gộp (`chithi registry merge <tệp>`)',
      en: 'a path in `include` is relative to this file\'s folder; a registry uploaded to the portal cannot include other files: upload it merged (`chithi registry merge <file>`)',
    },
  );
}

function includeOutside(parsed: ParsedFile, index: number, ref: string): Diagnostic {
  return diag(
    parsed.file,
    locate(parsed, ['include', index]),
    'include-outside',
    { vi: `\`${ref}\` nằm ngoài thư mục của danh mục`, en: `\`${ref}\` is outside the registry's folder` },
    {
      vi: 'chỉ gộp được tệp trong thư mục của danh mục được chỉ thị (hoặc lệnh) nêu tên, hoặc thư mục con của nó; chép tệp vào đó',
      en: 'only files in the folder of the registry a directive (or command) names, or below it, can be included; copy the file there',
    },
  );
}

function includeCycle(parsed: ParsedFile, index: number, cycle: readonly string[]): Diagnostic {
  const text = cycle.join(' → ');
  return diag(parsed.file, locate(parsed, ['include', index]), 'include-cycle', { vi: `gộp vòng tròn: ${text}`, en: `include cycle: ${text}` }, {
    vi: 'một tệp không thể (gián tiếp) gộp chính nó; bỏ một mục `include`',
    en: 'a file cannot (indirectly) include itself; remove one `include` entry',
  });
}

/** A parsed file already known to be `kind: UnitRegistry`, at `path` (its includes are relative to it). */
export async function validateRegistryParsed(parsed: ParsedFile, path: string): Promise<RegistryResult> {
  return (await loadTree(resolve(path), parsed.file, { parsed })).result;
}

// A registry is shared by every directive of a province and is large (thousands of units) while a
// directive is small: a long-lived process (worker, deploy of many directives, tests) parses each
// registry version once. Keyed by content, so an edited file is never served stale: the named file's
// bytes, and each included file's (by its path from the named file's folder) checked again on every hit.
const cache = new Map<string, { result: RegistryResult; deps: Dependency[] }>();
const CACHE_LIMIT = 8;

export async function loadRegistry(path: string, displayName = path): Promise<RegistryResult> {
  const absolute = resolve(path);
  const bytes = await readBytes(absolute);
  const key = bytes ? `${displayName}\0${sha(bytes)}` : null;
  const hit = key ? cache.get(key) : undefined;
  if (hit && (await unchanged(dirname(absolute), hit.deps))) return hit.result;
  const loaded = await loadTree(absolute, displayName, bytes ? { bytes } : {});
  if (key) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, loaded);
  }
  return loaded.result;
}

async function unchanged(base: string, deps: readonly Dependency[]): Promise<boolean> {
  for (const dep of deps) {
    const bytes = await readBytes(resolve(base, dep.path));
    if ((bytes ? sha(bytes) : null) !== dep.hash) return false;
  }
  return true;
}

function notARegistry(parsed: ParsedFile): Diagnostic {
  const kind = parsed.data.kind;
  return diag(
    parsed.file,
    kind === undefined ? { line: 1, column: 1 } : locate(parsed, ['kind']),
    'unknown-kind',
    { vi: `đây không phải danh mục đơn vị (\`kind: ${String(kind)}\`)`, en: `not a unit registry (\`kind: ${String(kind)}\`)` },
    { vi: 'danh mục đơn vị có `kind: UnitRegistry`', en: 'a unit registry has `kind: UnitRegistry`' },
  );
}

/** For benchmarks and tests that want a cold start. */
export function clearRegistryCache(): void {
  cache.clear();
}

/**
 * The registry as one file: the named file's text when it includes nothing, else its metadata and
 * every unit of every file it includes, in one YAML document (what `chithi deploy` sends the server,
 * which compiles an uploaded registry on its own).
 */
export function registryText(registry: Registry): string {
  if (registry.files.length === 1) return registry.parsed.text;
  const merged = { apiVersion: registry.data.apiVersion, kind: registry.data.kind, metadata: registry.data.metadata, units: [...registry.units.values()] };
  const from = registry.files.map((f) => f.file).join(', ');
  return `# Gộp từ / merged from: ${from}\n${stringify(merged, { lineWidth: 0 })}`;
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
