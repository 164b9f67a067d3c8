/**
 * Audience selectors → sets of registry unit ids (before succession: a directive names units as
 * they were when it was written; succession is applied afterwards in resolve.ts).
 */
import type { Selector, UnitRef } from './schema/directive.generated.js';
import type { Registry, Unit } from './registry.js';

export interface AudienceContext {
  registry: Registry;
  audiences: Record<string, Selector>;
  memo: Map<string, ReadonlySet<string>>;
  /** Audiences being expanded, to stop on a cycle (reported separately, by the semantic checks). */
  expanding: Set<string>;
}

export function audienceContext(registry: Registry, audiences: Record<string, Selector> | undefined): AudienceContext {
  return { registry, audiences: audiences ?? {}, memo: new Map(), expanding: new Set() };
}

const EMPTY: ReadonlySet<string> = new Set();

export function expandAudience(ctx: AudienceContext, name: string): ReadonlySet<string> {
  const hit = ctx.memo.get(name);
  if (hit) return hit;
  const sel = ctx.audiences[name];
  if (!sel || ctx.expanding.has(name)) return EMPTY;
  ctx.expanding.add(name);
  const result = evaluate(ctx, sel);
  ctx.expanding.delete(name);
  ctx.memo.set(name, result);
  return result;
}

/** A string in `assignees`/`cooperating` is an audience name first, else a unit id. */
export function expandRef(ctx: AudienceContext, ref: UnitRef): ReadonlySet<string> {
  if (typeof ref === 'string') {
    if (ref in ctx.audiences) return expandAudience(ctx, ref);
    return ctx.registry.units.has(ref) ? new Set([ref]) : EMPTY;
  }
  return evaluate(ctx, ref);
}

function matchesProperties(unit: Unit, sel: Selector): boolean {
  if (sel.kind !== undefined && unit.kind !== sel.kind) return false;
  if (sel.tags && !sel.tags.every((t) => unit.tags?.includes(t))) return false;
  if (sel.systems && !(unit.systems ?? []).some((s) => s.level >= sel.systems!.minLevel)) return false;
  if (sel.attribute) {
    const a = sel.attribute;
    const v = unit.attributes?.[a.name];
    if (v === undefined) return false;
    if (a.equals !== undefined && v !== a.equals) return false;
    if (a.in !== undefined && !a.in.includes(v)) return false;
    if (a.gte !== undefined && !(typeof v === 'number' && v >= a.gte)) return false;
    if (a.lte !== undefined && !(typeof v === 'number' && v <= a.lte)) return false;
  }
  return true;
}

export function evaluate(ctx: AudienceContext, sel: Selector): ReadonlySet<string> {
  const all = ctx.registry.units;
  if (sel.units) return new Set(sel.units.filter((u) => all.has(u)));
  if (sel.audience !== undefined) return expandAudience(ctx, sel.audience);
  if (sel.anyOf) {
    const out = new Set<string>();
    for (const s of sel.anyOf) for (const id of evaluate(ctx, s)) out.add(id);
    return out;
  }
  if (sel.allOf) {
    const [first, ...rest] = sel.allOf.map((s) => evaluate(ctx, s));
    return new Set([...(first ?? [])].filter((id) => rest.every((r) => r.has(id))));
  }
  if (sel.not) {
    const excluded = evaluate(ctx, sel.not);
    return new Set([...all.keys()].filter((id) => !excluded.has(id)));
  }
  return new Set([...all.values()].filter((u) => matchesProperties(u, sel)).map((u) => u.id));
}

/** Which exclusive forms a selector uses; more than one is an error (see the format doc). */
export function selectorForms(sel: Selector): string[] {
  const forms: string[] = [];
  if (sel.kind !== undefined || sel.tags || sel.systems || sel.attribute) forms.push('kind/tags/systems/attribute');
  for (const k of ['units', 'audience', 'anyOf', 'allOf', 'not'] as const) if (sel[k] !== undefined) forms.push(k);
  return forms;
}
