import type pg from 'pg';
import type { StatusUpdate } from '../workflows/types.js';
import { upsertStatus } from './store/instances.js';

/**
 * recordStatus: upserts the status projection that reports and `chithi status` read
 * (store/instances.ts upsertStatus: never backwards).
 */
export function createRecordStatus(pool: pg.Pool): (update: StatusUpdate) => Promise<void> {
  return (u) => upsertStatus(pool, u);
}
