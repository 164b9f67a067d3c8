/**
 * Conversions between PostgreSQL values and the plain JSON the rest of chithi uses. `date`
 * columns are selected as text (`::text`) so no local-timezone Date ever stands in for a
 * calendar day; `timestamptz` arrives as a Date and leaves as an ISO instant.
 */
import type pg from 'pg';

/** A pool, or one connection of it: a transaction's, or the one holding a lock (withDeployLock). */
export type Db = pg.Pool | pg.PoolClient;

export function instant(v: Date | string | null): string | undefined {
  if (v === null) return undefined;
  return (typeof v === 'string' ? new Date(v) : v).toISOString();
}

export function opt<T>(v: T | null): T | undefined {
  return v === null ? undefined : v;
}

/**
 * The values of one statement built from parts (store/steps.ts writes a workflow step in one):
 * each part adds its values and writes the `$n` it was given, so parts compose in any order.
 */
export class Params {
  readonly values: unknown[] = [];
  /** `$n` for `value`, cast with `type` (`text[]`, `bigint`…): every parameter of a part is typed. */
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
  /** `$n` for one column of `rows` as an array (what `unnest` takes), `text[]` unless said. */
  column<T>(rows: T[], f: (row: T) => unknown, type = 'text[]'): string {
    return this.add(rows.map(f), type);
  }
}
