import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';
import type { Position } from './diagnostics.js';

export type JsonPath = readonly (string | number)[];

/** Where a value (or its key) sits in the source, so diagnostics can point at it. */
export interface SourceMap {
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export function offsetToPosition(lineCounter: LineCounter, offset: number): Position {
  const p = lineCounter.linePos(offset);
  return { line: p.line, column: p.col };
}

/**
 * Position of the node at `path`. With `at: 'key'` the map key of the last segment is used, for
 * "unknown property" style messages. A path that does not exist (a missing property) resolves to
 * the deepest existing ancestor.
 */
export function locate(map: SourceMap, path: JsonPath, at: 'key' | 'value' = 'value'): Position {
  let node: unknown = map.doc.contents;
  let best: Node | null = (node as Node | null) ?? null;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const key = pair.key as Node;
      if (last && at === 'key') {
        best = key;
        break;
      }
      const value = pair.value as Node | null;
      // `due:` with nothing after it has no value node; the key is the best place to point.
      best = value && value.range ? value : key;
      node = value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      best = item;
      node = item;
    } else break;
  }
  const offset = best?.range?.[0] ?? 0;
  return offsetToPosition(map.lineCounter, offset);
}

/** `/obligations/0/due` (ajv instancePath) → ['obligations', 0, 'due']. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function pathToString(path: JsonPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}
