import type pg from 'pg';
import type { PrerequisiteCompletionRequest } from '../workflows/types.js';
import { acceptedAt } from './store/audit.js';

export interface CompletedObligationsRequest {
  directiveId: string;
  unitId: string;
  obligationIds: string[];
}

/** Ids among `obligationIds` this unit has completed at least once, in any cycle. */
export function createCompletedObligations(pool: pg.Pool): (req: CompletedObligationsRequest) => Promise<string[]> {
  return async ({ directiveId, unitId, obligationIds }) => {
    if (obligationIds.length === 0) return [];
    const { rows } = await pool.query<{ obligation_id: string }>(
      `SELECT DISTINCT obligation_id FROM instances
       WHERE directive_id = $1 AND unit_id = $2 AND obligation_id = ANY($3::text[]) AND ever_completed
       ORDER BY obligation_id`,
      [directiveId, unitId, obligationIds],
    );
    return rows.map((r) => r.obligation_id);
  };
}

/**
 * Language 1.1 (workflows/relative-due.ts): when the prerequisite instance was completed, for a due
 * date counted from it: the earliest completion after `after`, else the latest. From the audit
 * trail, which keeps every cycle's (store/audit.ts acceptedAt).
 */
export function createPrerequisiteCompletion(pool: pg.Pool): (req: PrerequisiteCompletionRequest) => Promise<string | undefined> {
  return (req) => acceptedAt(pool, req);
}
