import type pg from 'pg';
import type { StatusUpdate } from '../workflows/types.js';

/**
 * recordStatus: upserts the status projection that reports and `chithi status` read. Guarded so
 * it never goes backwards: an update for an older cycle, or older than the stored one (a delayed
 * retry), leaves the row as it is. A later generation of the instance (a unit re-added after it
 * was withdrawn) replaces the row whatever its cycle, `ever_completed` included: the re-added unit
 * was given the task anew; an earlier generation's late write changes nothing.
 */
export function createRecordStatus(pool: pg.Pool): (update: StatusUpdate) => Promise<void> {
  return (u) => upsertStatus(pool, u);
}

export async function upsertStatus(db: pg.Pool | pg.PoolClient, u: StatusUpdate): Promise<void> {
  await db.query(
    `INSERT INTO instances AS i (workflow_id, directive_id, obligation_id, unit_id, event_id, cycle, status,
                                 due, original_due, completed_at, ever_completed, updated_at, generation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
             $7 IN ('completed-on-time', 'completed-late'), $11, $12)
     ON CONFLICT (workflow_id) DO UPDATE SET
       cycle = EXCLUDED.cycle, status = EXCLUDED.status, due = EXCLUDED.due,
       original_due = EXCLUDED.original_due, completed_at = EXCLUDED.completed_at,
       event_id = EXCLUDED.event_id,
       ever_completed = EXCLUDED.ever_completed OR (i.ever_completed AND EXCLUDED.generation = i.generation),
       generation = EXCLUDED.generation,
       updated_at = EXCLUDED.updated_at
     WHERE EXCLUDED.generation > i.generation
        OR (EXCLUDED.generation = i.generation
            AND (EXCLUDED.cycle > i.cycle OR (EXCLUDED.cycle = i.cycle AND EXCLUDED.updated_at >= i.updated_at)))`,
    [
      u.workflowId,
      u.directiveId,
      u.obligationId,
      u.unitId,
      u.eventId ?? null,
      u.cycle,
      u.status,
      u.due ?? null,
      u.originalDue ?? u.due ?? null,
      u.completedAt ?? null,
      u.at,
      u.generation ?? 1,
    ],
  );
}
