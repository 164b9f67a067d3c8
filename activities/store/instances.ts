import type { InstanceStatus, StatusUpdate } from '../../workflows/types.js';
import { instant, type Db } from './rows.js';

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
  /** The actor's unit: the one unit `own` admits and `others` excludes. */
  unit: string;
  /** Obligations whose every unit's instance is readable. */
  all: string[];
  /** Obligations readable for every unit but the actor's own (a reviewer's: `reviews-it`). */
  others: string[];
  /** Obligations readable only for the actor's unit (an officer's: `own-unit`). */
  own: string[];
}


/**
 * The scope as a WHERE fragment on `instances`, its four values bound from `$n` on: obligations
 * readable for all units, for all but the reader's, for the reader's only, and the reader's unit.
 */
function scopeSql(n: number): string {
  return `(obligation_id = ANY($${n}::text[])
           OR (unit_id <> $${n + 3} AND obligation_id = ANY($${n + 1}::text[]))
           OR (unit_id = $${n + 3} AND obligation_id = ANY($${n + 2}::text[])))`;
}
const scopeValues = (s: InstanceScope) => [s.all, s.others, s.own, s.unit];

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

/** listInstances(pool, directiveId, filter?) → status projection rows, by obligation, unit, event. */
export async function listInstances(pool: Db, directiveId: string, f: InstanceFilter = {}): Promise<InstanceRow[]> {
  const statuses = f.status === undefined ? null : Array.isArray(f.status) ? f.status : [f.status];
  const { rows } = await pool.query<Row>(
    `SELECT ${COLUMNS} FROM instances
     WHERE directive_id = $1
       AND ($2::text IS NULL OR unit_id = $2)
       AND ($3::text IS NULL OR obligation_id = $3)
       AND ($4::text[] IS NULL OR status = ANY($4::text[]))
       AND (NOT $5::boolean OR ${lateSql(6)})
       AND (NOT $7::boolean OR ${scopeSql(8)})
     ORDER BY obligation_id, unit_id, event_id NULLS FIRST`,
    [directiveId, f.unitId ?? null, f.obligationId ?? null, statuses, f.overdue ?? false, f.asOf ?? null, f.scope !== undefined, ...scopeValues(f.scope ?? { unit: '', all: [], others: [], own: [] })],
  );
  return rows.map(toInstance);
}

/** getInstance(pool, workflowId) → one projection row, or undefined. */
export async function getInstance(pool: Db, workflowId: string): Promise<InstanceRow | undefined> {
  const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM instances WHERE workflow_id = $1`, [workflowId]);
  return rows[0] && toInstance(rows[0]);
}

/** One unit's instances in one status, as the dashboard counts them. */
export interface UnitStatusCount {
  unitId: string;
  status: InstanceStatus;
  n: number;
  /** Of them, overdue (marked, or open and past due on `asOf`). */
  late: number;
  /** Days past due on `asOf`, summed over the overdue ones. */
  lateDays: number;
}

/**
 * countInstances(pool, directiveId, scope, asOf) → per unit and status, the number of instances the
 * reader may see, and how many of them are overdue by how many days: the dashboard's counts and
 * its lateness ranking in one grouped query (at 100,000 instances ~40 ms, where reading the rows
 * and counting in JS took ~600 ms; bench/portal.ts).
 */
export async function countInstances(pool: Db, directiveId: string, scope: InstanceScope, asOf: string): Promise<UnitStatusCount[]> {
  const { rows } = await pool.query<{ unit_id: string; status: InstanceStatus; n: number; late: number; late_days: number }>(
    `SELECT unit_id, status, count(*)::int AS n, count(*) FILTER (WHERE late)::int AS late,
            COALESCE(sum(GREATEST(0, $2::date - due)) FILTER (WHERE late AND due IS NOT NULL), 0)::int AS late_days
     FROM (SELECT unit_id, status, due, ${lateSql(2)} AS late FROM instances
           WHERE directive_id = $1 AND ${scopeSql(3)}) AS readable
     GROUP BY unit_id, status`,
    [directiveId, asOf, ...scopeValues(scope)],
  );
  return rows.map((r) => ({ unitId: r.unit_id, status: r.status, n: r.n, late: r.late, lateDays: r.late_days }));
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
  const { rows } = await pool.query<{ obligation_id: string; unit_id: string; n: number; status: InstanceStatus; workflow_id: string }>(
    `SELECT DISTINCT ON (obligation_id, unit_id) obligation_id, unit_id, status, workflow_id,
            count(*) OVER (PARTITION BY obligation_id, unit_id)::int AS n
     FROM instances
     WHERE directive_id = $1 AND unit_id = ANY($2::text[]) AND ${scopeSql(4)}
     ORDER BY obligation_id, unit_id, array_position($3::text[], status), event_id NULLS FIRST`,
    [directiveId, unitIds, urgency, ...scopeValues(scope)],
  );
  return rows.map((r) => ({ obligationId: r.obligation_id, unitId: r.unit_id, n: r.n, status: r.status, workflowId: r.workflow_id }));
}
