import type { InstanceStatus, StatusUpdate } from '../../workflows/types.js';
import { instant, type Db } from './rows.js';

/** What recordStatus wrote (less the workflow time of the change), plus what the store keeps itself. */
export interface InstanceRow extends Omit<StatusUpdate, 'at'> {
  /** Which run of the workflow id wrote the row (InstanceInput.generation); 1 for the first. */
  generation: number;
  everCompleted: boolean;
  updatedAt: string;
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
       AND (NOT $5::boolean OR status = 'overdue'
            OR ($6::date IS NOT NULL AND status IN ('in-progress', 'awaiting-review') AND due < $6::date))
     ORDER BY obligation_id, unit_id, event_id NULLS FIRST`,
    [directiveId, f.unitId ?? null, f.obligationId ?? null, statuses, f.overdue ?? false, f.asOf ?? null],
  );
  return rows.map(toInstance);
}

/** getInstance(pool, workflowId) → one projection row, or undefined. */
export async function getInstance(pool: Db, workflowId: string): Promise<InstanceRow | undefined> {
  const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM instances WHERE workflow_id = $1`, [workflowId]);
  return rows[0] && toInstance(rows[0]);
}
