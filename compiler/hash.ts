import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal plans hash equal whatever the build order. */
export function canonicalJson(value: unknown): string {
  // Sort keys into fresh objects, then let the native serialiser do the (large) string work.
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    // Arrays of strings (assignee lists: thousands of ids) need no copying.
    return value.every((v) => typeof v !== 'object' || v === null) ? value : value.map(sortKeys);
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = sortKeys(v);
  }
  return out;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
