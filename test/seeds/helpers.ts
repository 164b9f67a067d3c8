/**
 * Shared helpers for the seed-directive tests: compile a seed, read its registry straight from
 * YAML (independently of the compiler's selector code), and describe an obligation's timing in
 * one comparable string.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { compileFile, formatDiagnostic } from '../../compiler/index.js';
import type { Diagnostic } from '../../compiler/index.js';
import type { Plan, PlanObligation } from '../../compiler/plan.js';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** One row of a seed's expected table: what the text says, clause by clause. */
export interface Row {
  clause: string;
  id: string;
  kind: PlanObligation['kind'];
  /**
   * deadline: the due date; recurring: `every/periodFrom`; event: `type+within`;
   * ongoing: `attest every`.
   */
  timing: string;
  /** Number of assignees after audience expansion at the directive's date. */
  assignees: number;
}

export function timing(o: PlanObligation): string {
  switch (o.kind) {
    case 'deadline':
      return o.due;
    case 'recurring':
      return `${o.every}/${o.periodFrom}`;
    case 'event':
      return `${o.event}+${o.within}`;
    case 'ongoing':
      return `attest ${o.attestEvery}`;
  }
}

export function row(o: PlanObligation): Row {
  return { clause: o.clause, id: o.id, kind: o.kind, timing: timing(o), assignees: o.assignees.length };
}

export interface Compiled {
  plan: Plan;
  diagnostics: Diagnostic[];
}

export async function compileSeed(file: string, asOf: string): Promise<Compiled> {
  const r = await compileFile(resolve(root, file), { asOf, cwd: root });
  if (!r.ok) {
    throw new Error(`${file} does not compile:\n${r.diagnostics.map((d) => formatDiagnostic(d, 'en')).join('\n')}`);
  }
  return { plan: r.plan, diagnostics: r.diagnostics };
}

export function obligation(plan: Plan, id: string): PlanObligation {
  const o = plan.obligations.find((x) => x.id === id);
  if (!o) throw new Error(`no obligation \`${id}\` in ${plan.directive.id}`);
  return o;
}

/** A registry unit as written in YAML (only the fields the tests look at). */
export interface RawUnit {
  id: string;
  kind: string;
  name?: { vi: string; en?: string };
  tags?: string[];
  email?: string;
  example?: boolean;
  attributes?: Record<string, string | number | boolean>;
  systems?: { id: string; name?: string; level: number }[];
  succeededBy?: { unit: string; on: string; note?: string };
  dissolved?: { on: string; note?: string };
  parent?: string;
  note?: string;
}

export function rawRegistry(file: string): RawUnit[] {
  const doc = parse(readFileSync(resolve(root, file), 'utf8')) as { units: RawUnit[] };
  return doc.units;
}

export const hasTag = (u: RawUnit, tag: string): boolean => (u.tags ?? []).includes(tag);
export const maxLevel = (u: RawUnit): number => Math.max(0, ...(u.systems ?? []).map((s) => s.level));
export const ids = (units: RawUnit[]): string[] => units.map((u) => u.id).sort();

/** Follows succession in effect at `asOf`; null when the unit ends dissolved. */
export function successorAt(units: RawUnit[], id: string, asOf: string): string | null {
  const byId = new Map(units.map((u) => [u.id, u]));
  let cur = id;
  for (let i = 0; i < 20; i++) {
    const u = byId.get(cur);
    if (!u) throw new Error(`unknown unit ${cur}`);
    if (u.succeededBy && u.succeededBy.on <= asOf) {
      cur = u.succeededBy.unit;
      continue;
    }
    if (u.dissolved && u.dissolved.on <= asOf) return null;
    return cur;
  }
  throw new Error(`succession too deep from ${id}`);
}

/** The set a list of 2022 assignees becomes at `asOf`: successors, dissolved dropped, deduplicated, sorted. */
export function resolvedAt(units: RawUnit[], list: string[], asOf: string): string[] {
  const out = new Set<string>();
  for (const id of list) {
    const s = successorAt(units, id, asOf);
    if (s !== null) out.add(s);
  }
  return [...out].sort();
}

/** Line (1-based) of the first line of `file` that is exactly `needle` once indented (comments don't count). */
export function lineOf(file: string, needle: string): number {
  const lines = readFileSync(resolve(root, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.trim() === needle);
  if (i < 0) throw new Error(`${needle} not in ${file}`);
  return i + 1;
}

/** The clause pattern of the format: section, then letters (with đ) or numbers. */
export const CLAUSE = /^[0-9]+(\.([a-zđ]|[0-9]+))*$/u;
