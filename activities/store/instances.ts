import type { InstanceStatus, StatusUpdate } from '../../workflows/types.js';
import { instant, Params, type Db } from './rows.js';

/** What recordStatus wrote (less the workflow time of the change), plus what the store keeps itself. */
export interface InstanceRow extends Omit<StatusUpdate, 'at'> {
  /** Which run of the workflow id wrote the row (InstanceInput.generation); 1 for the first. */
  generation: number;
  everCompleted: boolean;
  updatedAt: string;
}

/**
 * Các phiên một người đọc được thấy (server/authz.ts instanceScope tính nó từ bảng quyền), để lọc
 * ngay trong SQL.
 * The instances a reader may see (server/authz.ts instanceScope derives it from the permissions
 * table), so that the filter runs in SQL rather than on every row in memory.
 */
export interface InstanceScope {
  /** Every instance of the directive (leadership named in it, an author): no filter at all. */
  every?: boolean;
  /** The actor's unit: the one unit `own` admits and `others` excludes. */
  unit: string;
  /** Obligations whose every unit's instance is readable. */
  all: string[];
  /** Obligations readable for every unit but the actor's own (a reviewer's: `reviews-it`). */
  others: string[];
  /** Obligations readable only for the actor's unit (an officer's: `own-unit`). */
  own: string[];
  /**
   * Single (obligation, unit) instances readable besides those: an obligation whose reviewer is
   * relational (`assignee.parent`) is reviewed by a different unit for each assignee, so a reviewer
   * reads some of its units' instances and not others. Parallel arrays.
   */
  pairs?: { obligations: string[]; units: string[] };
}


/**
 * The scope as a WHERE fragment on `instances`, with its values bound from `$n` on (the caller
 * appends them last): obligations readable for all units, for all but the reader's, for the
 * reader's only, and the reader's unit. Unrestricted, the filter is left out rather than evaluated
 * on every row (30 array compares on each of 100,000 rows were ~40 ms of the dashboard's query).
 */
function scopeSql(n: number, scope: InstanceScope | undefined): { sql: string; values: unknown[] } {
  if (scope === undefined || scope.every) return { sql: 'TRUE', values: [] };
  return { sql: scopeCondition(n), values: scopeValues(scope) };
}

/**
 * The scope's condition on a table with obligation_id and unit_id (instances, audit), its six values
 * (scopeValues) bound from `$n` on: the store's one spelling of it, for the counts and the trend.
 */
export function scopeCondition(n: number): string {
  return `(obligation_id = ANY($${n}::text[])
           OR (unit_id <> $${n + 3} AND obligation_id = ANY($${n + 1}::text[]))
           OR (unit_id = $${n + 3} AND obligation_id = ANY($${n + 2}::text[]))
           OR (obligation_id, unit_id) IN (SELECT * FROM unnest($${n + 4}::text[], $${n + 5}::text[])))`;
}

export function scopeValues(scope: InstanceScope): unknown[] {
  return [scope.all, scope.others, scope.own, scope.unit, scope.pairs?.obligations ?? [], scope.pairs?.units ?? []];
}

/**
 * Overdue as `chithi status --overdue` counts it: marked overdue by its workflow, or open and past
 * due by the calendar (`$n`, a date) while a stopped worker has not marked it yet. One definition
 * for the status list, the dashboard's counts and its ranking.
 */
function lateSql(n: number): string {
  return `(status = 'overdue' OR ($${n}::date IS NOT NULL AND status IN ('in-progress', 'awaiting-review') AND due < $${n}::date))`;
}

export interface InstanceFilter {
  unitId?: string;
  obligationId?: string;
  status?: InstanceStatus | InstanceStatus[];
  /**
   * Only overdue instances: status `overdue`, plus (when `asOf`, a date, is given) open ones whose
   * due date is before it, which the workflow has not marked yet.
   */
  overdue?: boolean;
  asOf?: string;
  /** Only what a reader may see (server/authz.ts instanceScope). */
  scope?: InstanceScope;
}

interface Row {
  workflow_id: string;
  directive_id: string;
  obligation_id: string;
  unit_id: string;
  event_id: string | null;
  generation: number;
  cycle: number;
  status: InstanceStatus;
  due: string | null;
  original_due: string | null;
  completed_at: Date | null;
  ever_completed: boolean;
  updated_at: Date;
}

const COLUMNS = `workflow_id, directive_id, obligation_id, unit_id, event_id, generation, cycle, status,
  due::text AS due, original_due::text AS original_due, completed_at, ever_completed, updated_at`;

function toInstance(r: Row): InstanceRow {
  return {
    workflowId: r.workflow_id,
    directiveId: r.directive_id,
    obligationId: r.obligation_id,
    unitId: r.unit_id,
    ...(r.event_id !== null && { eventId: r.event_id }),
    generation: r.generation,
    cycle: r.cycle,
    status: r.status,
    ...(r.due !== null && { due: r.due }),
    ...(r.original_due !== null && { originalDue: r.original_due }),
    ...(r.completed_at !== null && { completedAt: instant(r.completed_at) }),
    everCompleted: r.ever_completed,
    updatedAt: instant(r.updated_at)!,
  };
}

/** The filter as a WHERE condition on `instances`, its values bound from `$1` on (the caller's come after). */
function filterSql(directiveId: string, f: InstanceFilter): { sql: string; values: unknown[] } {
  const statuses = f.status === undefined ? null : Array.isArray(f.status) ? f.status : [f.status];
  const scope = scopeSql(7, f.scope);
  return {
    sql: `directive_id = $1
       AND ($2::text IS NULL OR unit_id = $2)
       AND ($3::text IS NULL OR obligation_id = $3)
       AND ($4::text[] IS NULL OR status = ANY($4::text[]))
       AND (NOT $5::boolean OR ${lateSql(6)})
       AND ${scope.sql}`,
    values: [directiveId, f.unitId ?? null, f.obligationId ?? null, statuses, f.overdue ?? false, f.asOf ?? null, ...scope.values],
  };
}

/** listInstances(pool, directiveId, filter?) → status projection rows, by obligation, unit, event. */
export async function listInstances(pool: Db, directiveId: string, f: InstanceFilter = {}): Promise<InstanceRow[]> {
  const where = filterSql(directiveId, f);
  const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM instances WHERE ${where.sql} ORDER BY obligation_id, unit_id, event_id NULLS FIRST`, where.values);
  return rows.map(toInstance);
}

/**
 * countByObligation(pool, directiveId, filter?) → how many instances match, per obligation and
 * status: a status report's counts without reading its rows (100,000 of a national directive).
 */
export async function countByObligation(pool: Db, directiveId: string, f: InstanceFilter = {}): Promise<{ obligationId: string; status: InstanceStatus; n: number }[]> {
  const where = filterSql(directiveId, f);
  const { rows } = await pool.query<{ obligation_id: string; status: InstanceStatus; n: number }>(
    `SELECT obligation_id, status, count(*)::int AS n FROM instances WHERE ${where.sql} GROUP BY obligation_id, status`,
    where.values,
  );
  return rows.map((r) => ({ obligationId: r.obligation_id, status: r.status, n: r.n }));
}

/**
 * pageInstances(pool, directiveId, filter, order, page) → one page of the matching rows, ordered by
 * unit (bytewise: the same in every database, so pages never overlap), then the obligations in
 * `order` (the plan's; others after, by id), then event.
 */
export async function pageInstances(pool: Db, directiveId: string, f: InstanceFilter, order: string[], page: { limit: number; offset: number }): Promise<InstanceRow[]> {
  const where = filterSql(directiveId, f);
  const n = where.values.length;
  const { rows } = await pool.query<Row>(
    `SELECT ${COLUMNS} FROM instances WHERE ${where.sql}
     ORDER BY unit_id COLLATE "C", array_position($${n + 1}::text[], obligation_id) NULLS LAST, obligation_id COLLATE "C", event_id COLLATE "C" NULLS FIRST
     LIMIT $${n + 2} OFFSET $${n + 3}`,
    [...where.values, order, page.limit, page.offset],
  );
  return rows.map(toInstance);
}

/** getInstance(pool, workflowId) → one projection row, or undefined. */
export async function getInstance(pool: Db, workflowId: string): Promise<InstanceRow | undefined> {
  const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM instances WHERE workflow_id = $1`, [workflowId]);
  return rows[0] && toInstance(rows[0]);
}

/** One unit's instances, as the dashboard counts them. */
export interface UnitCounts {
  unitId: string;
  /** Instances in each status (statuses with none left out). */
  counts: Partial<Record<InstanceStatus, number>>;
  /** Of them, overdue (marked, or open and past due on `asOf`). */
  late: number;
  /** Days past due on `asOf`, summed over the overdue ones. */
  lateDays: number;
}

const STATUSES: InstanceStatus[] = ['not-yet-due', 'in-progress', 'awaiting-review', 'completed-on-time', 'completed-late', 'overdue', 'withdrawn'];

/**
 * countInstances(pool, directiveId, scope, asOf) → per unit, the instances the reader may see in
 * each status, and how many of them are overdue by how many days: the dashboard's counts and its
 * lateness ranking from one scan, grouped by unit with a column per status. At 100,000 instances of
 * 3,334 units this is ~45 ms; grouped by unit and status (20,000 groups) it was ~90 ms, and reading
 * the rows to count them in JS ~600 ms (bench/portal.ts, on the 2-core development machine).
 */
export async function countInstances(pool: Db, directiveId: string, scope: InstanceScope, asOf: string): Promise<UnitCounts[]> {
  const readable = scopeSql(3, scope);
  const { rows } = await pool.query<Record<string, number> & { unit_id: string; late: number; late_days: number }>(
    `SELECT unit_id, ${STATUSES.map((st, i) => `count(*) FILTER (WHERE status = '${st}')::int AS s${i}`).join(', ')},
            count(*) FILTER (WHERE ${lateSql(2)})::int AS late,
            COALESCE(sum(GREATEST(0, $2::date - due)) FILTER (WHERE ${lateSql(2)} AND due IS NOT NULL), 0)::int AS late_days
     FROM instances
     WHERE directive_id = $1 AND ${readable.sql}
     GROUP BY unit_id`,
    [directiveId, asOf, ...readable.values],
  );
  return rows.map((r) => {
    const counts: Partial<Record<InstanceStatus, number>> = {};
    STATUSES.forEach((st, i) => {
      if (r[`s${i}`]) counts[st] = r[`s${i}`];
    });
    return { unitId: r.unit_id, counts, late: r.late, lateDays: r.late_days };
  });
}

/** A clause × unit cell: how many instances, and the one most in need of attention. */
export interface InstanceCell {
  obligationId: string;
  unitId: string;
  n: number;
  status: InstanceStatus;
  workflowId: string;
}

/**
 * instanceCells(pool, directiveId, scope, unitIds, urgency) → one cell per (obligation, unit) of
 * the given units: the count, and the instance whose status comes first in `urgency` (an
 * obligation with one instance per reported event has several in a cell).
 */
export async function instanceCells(pool: Db, directiveId: string, scope: InstanceScope, unitIds: string[], urgency: InstanceStatus[]): Promise<InstanceCell[]> {
  const readable = scopeSql(4, scope);
  const { rows } = await pool.query<{ obligation_id: string; unit_id: string; n: number; status: InstanceStatus; workflow_id: string }>(
    `SELECT DISTINCT ON (obligation_id, unit_id) obligation_id, unit_id, status, workflow_id,
            count(*) OVER (PARTITION BY obligation_id, unit_id)::int AS n
     FROM instances
     WHERE directive_id = $1 AND unit_id = ANY($2::text[]) AND ${readable.sql}
     ORDER BY obligation_id, unit_id, array_position($3::text[], status), event_id NULLS FIRST`,
    [directiveId, unitIds, urgency, ...readable.values],
  );
  return rows.map((r) => ({ obligationId: r.obligation_id, unitId: r.unit_id, n: r.n, status: r.status, workflowId: r.workflow_id }));
}

/**
 * upsertStatus(db, StatusUpdate): the status projection that reports and `chithi status` read.
 * Guarded so it never goes backwards: an update for an older cycle, or older than the stored one
 * (a delayed retry), leaves the row as it is. A later generation of the instance (a unit re-added
 * after it was withdrawn) replaces the row whatever its cycle, `ever_completed` included: the
 * re-added unit was given the task anew; an earlier generation's late write changes nothing.
 */
export async function upsertStatus(db: Db, u: StatusUpdate): Promise<void> {
  const p = new Params();
  await db.query(statusUpsertSql(p, u), p.values);
}

/** upsertStatus' statement, to be part of a larger one (store/steps.ts): only when `when` holds. */
export function statusUpsertSql(p: Params, u: StatusUpdate, when = 'TRUE'): string {
  const status = p.add(u.status, 'text');
  return `INSERT INTO instances AS i (workflow_id, directive_id, obligation_id, unit_id, event_id, cycle, status,
                                 due, original_due, completed_at, ever_completed, updated_at, generation)
     SELECT ${p.add(u.workflowId, 'text')}, ${p.add(u.directiveId, 'text')}, ${p.add(u.obligationId, 'text')}, ${p.add(u.unitId, 'text')},
            ${p.add(u.eventId ?? null, 'text')}, ${p.add(u.cycle, 'int')}, ${status}, ${p.add(u.due ?? null, 'date')},
            ${p.add(u.originalDue ?? u.due ?? null, 'date')}, ${p.add(u.completedAt ?? null, 'timestamptz')},
            ${status} IN ('completed-on-time', 'completed-late'), ${p.add(u.at, 'timestamptz')}, ${p.add(u.generation ?? 1, 'int')}
      WHERE ${when}
     ON CONFLICT (workflow_id) DO UPDATE SET
       cycle = EXCLUDED.cycle, status = EXCLUDED.status, due = EXCLUDED.due,
       original_due = EXCLUDED.original_due, completed_at = EXCLUDED.completed_at,
       event_id = EXCLUDED.event_id,
       ever_completed = EXCLUDED.ever_completed OR (i.ever_completed AND EXCLUDED.generation = i.generation),
       generation = EXCLUDED.generation,
       updated_at = EXCLUDED.updated_at
     WHERE EXCLUDED.generation > i.generation
        OR (EXCLUDED.generation = i.generation
            AND (EXCLUDED.cycle > i.cycle OR (EXCLUDED.cycle = i.cycle AND EXCLUDED.updated_at >= i.updated_at)))`;
}
