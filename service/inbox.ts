import type pg from 'pg';
import * as store from './store.js';

export type InboxMessage = store.InboxNotice;

/** A unit's notices, newest first: what would have been e-mailed, readable without a mail server. */
export async function inbox(pool: pg.Pool, unitId: string, opts: { unreadOnly?: boolean; limit?: number } = {}): Promise<InboxMessage[]> {
  return store.inbox(pool, unitId, opts);
}
