import type pg from 'pg';

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
