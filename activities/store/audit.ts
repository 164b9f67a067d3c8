import type pg from 'pg';
import type { AuditEvent } from '../../workflows/types.js';
import { auditContent, chainHash, encodeContent, GENESIS_HASH, type AuditContent } from '../audit-chain.js';
import { inTransaction } from '../db/tx.js';
import { AuditConflictError, InvalidRequestError } from '../errors.js';
import { needsOrigin, withOrigin } from './origins.js';
import { instant, type Db, type Params } from './rows.js';

/**
 * Appends one audit line to its directive's hash chain (activities/audit-chain.ts). A retried
 * activity with the same key and content appends nothing; the same key with other content is an
 * AuditConflictError, never silently skipped.
 *
 * Appends to one chain are serialised on the directive's row of `audit_heads`, locked until the
 * caller's transaction ends: two appends computing their hash from the same head would fork the
 * chain (the unique (directive_id, seq) index would then refuse the second). Callers append their
 * audit lines last in their transaction, so the lock is held only until the commit. Two statements
 * on the usual path: lock and read the head; insert the row and move the head.
 */
export async function appendAudit(db: pg.Pool | pg.PoolClient, event: AuditEvent): Promise<void> {
  const content = await contentOf(db, event);
  // A bare pool: the head's lock needs a transaction of its own.
  if (!('release' in db)) return inTransaction(db, (client) => appendInTransaction(client, content));
  await appendInTransaction(db, content);
}

/**
 * A workflow step's audit lines, in order, in the caller's transaction (`client`): the chain head
 * locked and read once, then every line inserted and the head moved in one statement, where one
 * appendAudit per line took two statements each (a step writes two or three lines; a round trip
 * costs the worker more than a row). Only when no line's key is taken yet: a step retried after
 * its commit finds them all taken, and then each line goes through appendAudit's checks.
 */
export async function appendAudits(client: pg.PoolClient, events: AuditEvent[]): Promise<void> {
  if (events.length <= 1 || !oneChainEachKeyOnce(events)) {
    for (const e of events) await appendAudit(client, e);
    return;
  }
  const contents: AuditContent[] = [];
  for (const e of events) contents.push(await contentOf(client, e));
  const directiveId = contents[0]!.directiveId;
  const head = await lockHead(client, directiveId);
  let seq = Number(head.seq);
  let prev = head.hash;
  const chained = contents.map((c) => {
    const hash = chainHash(prev, c);
    const row = { c, seq: ++seq, prev, hash };
    prev = hash;
    return row;
  });
  // The head is locked: no other append of this directive (every line with these keys is one)
  // runs until the commit, so "none taken" cannot change between the check and the insert.
  const { rows } = await client.query<{ inserted: number }>(
    `WITH taken AS (SELECT 1 FROM audit WHERE idempotency_key = ANY($1::text[]) LIMIT 1),
          ins AS (
            INSERT INTO audit (idempotency_key, workflow_id, directive_id, obligation_id, unit_id, actor, action, at, detail, seq, prev_hash, hash)
            SELECT k, w, $2, o, u, a, act, at::timestamptz, d::jsonb, sq, ph, h
              FROM unnest($1::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                          $10::bigint[], $11::text[], $12::text[]) AS r(k, w, o, u, a, act, at, d, sq, ph, h)
             WHERE NOT EXISTS (SELECT 1 FROM taken)
            RETURNING 1
          ),
          moved AS (
            UPDATE audit_heads SET seq = $13, hash = $14
             WHERE directive_id = $2 AND (SELECT count(*) FROM ins) = $15
            RETURNING 1
          )
     SELECT (SELECT count(*) FROM ins)::int AS inserted`,
    [
      chained.map((r) => r.c.key),
      directiveId,
      chained.map((r) => r.c.workflowId),
      chained.map((r) => r.c.obligationId),
      chained.map((r) => r.c.unitId),
      chained.map((r) => r.c.actor),
      chained.map((r) => r.c.action),
      chained.map((r) => r.c.at),
      chained.map((r) => JSON.stringify(r.c.detail)),
      chained.map((r) => r.seq),
      chained.map((r) => r.prev),
      chained.map((r) => r.hash),
      seq,
      prev,
      chained.length,
    ],
  );
  const inserted = rows[0]?.inserted ?? 0;
  if (inserted === chained.length) return;
  if (inserted > 0) throw new Error(`audit: ${inserted} of ${chained.length} lines of directive ${directiveId} inserted at once; the step is rolled back`);
  // A key is taken: the step's lines were committed before (or a key bug, which appendAudit refuses).
  for (const c of contents) await appendInTransaction(client, c);
}

/** Lines of one directive's chain, each key once: what can go in at once (a key twice is appendAudit's to judge). */
function oneChainEachKeyOnce(events: AuditEvent[]): boolean {
  return new Set(events.map((e) => e.directiveId)).size <= 1 && new Set(events.map((e) => e.key)).size === events.length;
}

/** The line as chained, its origin looked up first (not part of what the head's lock serialises). */
async function contentOf(db: Db, event: AuditEvent): Promise<AuditContent> {
  return checkedContent(await withOrigin(db, event));
}

function checkedContent(e: AuditEvent): AuditContent {
  try {
    return auditContent(e);
  } catch (err) {
    throw new InvalidRequestError(
      {
        vi: `Dòng nhật ký "${e.key}" có thời điểm không hợp lệ (${String(e.at)}); cần thời điểm ISO có múi giờ`,
        en: `Audit line "${e.key}" has an invalid time (${String(e.at)}); an ISO instant with offset is needed`,
      },
      { cause: err },
    );
  }
}

/**
 * A step's lines as chainedAuditSql takes them, or undefined when they go the long way
 * (appendAudits): lines of several directives, a key twice, or an action whose origin is looked up
 * (origins.ts: a person's action).
 */
export function chainableContents(events: AuditEvent[]): AuditContent[] | undefined {
  if (!oneChainEachKeyOnce(events) || events.some(needsOrigin)) return undefined;
  return events.map(checkedContent);
}

/**
 * A step's lines (chainableContents, at least one) as parts of one statement (store/steps.ts);
 * `directive` is the `$n` of their directive, `after` the parts that must write before the lock:
 * - `head`: the directive's chain head, locked. FOR UPDATE in READ COMMITTED waits for an append in
 *   flight and returns the head it left, not the statement's snapshot of it;
 * - `chain`: each line's seq, prev_hash and hash, computed from the head in SQL over the same bytes
 *   as chainHash (the previous hash, a newline, encodeContent), so the chain verifies as before;
 * - the lines inserted and the head moved.
 * No head yet (a directive's first line) leaves `head` empty and writes nothing: the caller goes the
 * long way, which creates it. A key already taken (a step retried after its commit) fails the
 * statement with a unique violation on `audit`, and nothing of it is written.
 */
export function chainedAuditSql(p: Params, directive: string, contents: AuditContent[], after: string[]): string[] {
  // Reading the `after` parts runs them to completion before the head is locked.
  const first = after.map((name) => ` AND (SELECT count(*) FROM ${name}) >= 0`).join('');
  return [
    `head AS (SELECT seq, hash FROM audit_heads WHERE directive_id = ${directive}${first} FOR UPDATE)`,
    `line AS (SELECT * FROM unnest(${p.column(contents, (c) => c.key)}, ${p.column(contents, (c) => c.workflowId)}, ${p.column(contents, (c) => c.obligationId)}, ${p.column(contents, (c) => c.unitId)},
                                   ${p.column(contents, (c) => c.actor)}, ${p.column(contents, (c) => c.action)}, ${p.column(contents, (c) => c.at)}, ${p.column(contents, (c) => JSON.stringify(c.detail))},
                                   ${p.column(contents, encodeContent)})
                     WITH ORDINALITY AS l(k, w, o, u, a, act, at, d, enc, n))`,
    `chain AS (SELECT 0::bigint AS n, seq, NULL::text AS prev, hash FROM head
               UNION ALL
               SELECT line.n, chain.seq + 1, chain.hash, encode(sha256(convert_to(chain.hash || E'\\n' || line.enc, 'UTF8')), 'hex')
                 FROM chain JOIN line ON line.n = chain.n + 1)`,
    `lines_in AS (INSERT INTO audit (idempotency_key, workflow_id, directive_id, obligation_id, unit_id, actor, action, at, detail, seq, prev_hash, hash)
                  SELECT line.k, line.w, ${directive}, line.o, line.u, line.a, line.act, line.at::timestamptz, line.d::jsonb, chain.seq, chain.prev, chain.hash
                    FROM line JOIN chain USING (n))`,
    `head_moved AS (UPDATE audit_heads h SET seq = last.seq, hash = last.hash
                      FROM (SELECT seq, hash FROM chain ORDER BY n DESC LIMIT 1) last
                     WHERE h.directive_id = ${directive})`,
  ];
}

/**
 * Locks the directive's chain head until the transaction ends and reads it. ON CONFLICT DO UPDATE
 * locks the row, waiting for a concurrent append to commit, and returns its latest version: lock
 * and read in one statement, a first append included.
 */
async function lockHead(client: pg.PoolClient, directiveId: string): Promise<{ seq: string; hash: string }> {
  const { rows } = await client.query<{ seq: string; hash: string }>(
    `INSERT INTO audit_heads (directive_id, seq, hash) VALUES ($1, 0, $2)
     ON CONFLICT (directive_id) DO UPDATE SET seq = audit_heads.seq
     RETURNING seq, hash`,
    [directiveId, GENESIS_HASH],
  );
  return rows[0]!;
}

/** `client` is inside a transaction (the caller's). */
async function appendInTransaction(client: pg.PoolClient, c: AuditContent): Promise<void> {
  const head = await lockHead(client, c.directiveId);
  const seq = Number(head.seq) + 1;
  const hash = chainHash(head.hash, c);
  const inserted = await client.query(
    `WITH row AS (
       INSERT INTO audit (idempotency_key, workflow_id, directive_id, obligation_id, unit_id, actor, action, at, detail, seq, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING directive_id, seq, hash
     )
     UPDATE audit_heads h SET seq = row.seq, hash = row.hash FROM row WHERE h.directive_id = row.directive_id
     RETURNING h.seq`,
    [c.key, c.workflowId, c.directiveId, c.obligationId, c.unitId, c.actor, c.action, c.at, JSON.stringify(c.detail), seq, head.hash, hash],
  );
  if (inserted.rowCount) return;
  // The key is taken: a retry of this very line is fine, anything else is not.
  const { rows } = await client.query<AuditRow>(`SELECT ${ROW_COLUMNS} FROM audit WHERE idempotency_key = $1`, [c.key]);
  const stored = rows[0];
  if (stored && encodeContent(rowContent(stored)) === encodeContent(c)) return;
  // The same step of the same workflow, run again: a local activity whose result was not yet in
  // history when the worker's cache evicted the run is executed again on replay, in a later
  // workflow task, so its business time (and times in its detail) can differ. The key names the
  // step (workflow, run generation, sequence), so the line first written stands; what would be a
  // forgery or a key bug (another workflow, actor or action under the key) is still refused.
  // Seen with maxCachedWorkflows 0 (test/workflows/cycle-scoped.test.ts) once appends compared content.
  if (stored) {
    const first = rowContent(stored);
    if (first.workflowId === c.workflowId && first.directiveId === c.directiveId && first.actor === c.actor && first.action === c.action && first.obligationId === c.obligationId && first.unitId === c.unitId) return;
  }
  throw new AuditConflictError(c.key, c.directiveId);
}

export function createRecordAudit(pool: pg.Pool): (e: AuditEvent) => Promise<void> {
  return (e) => appendAudit(pool, e);
}

const ROW_COLUMNS = `id, idempotency_key, workflow_id, directive_id, obligation_id, unit_id, actor, action, at, detail,
  seq, prev_hash, hash`;

interface AuditRow {
  id: string;
  idempotency_key: string;
  workflow_id: string;
  directive_id: string;
  obligation_id: string | null;
  unit_id: string | null;
  actor: string;
  action: string;
  at: Date;
  detail: unknown;
  seq: string | null;
  prev_hash: string | null;
  hash: string | null;
}

function rowContent(r: AuditRow): AuditContent {
  return {
    key: r.idempotency_key,
    workflowId: r.workflow_id,
    directiveId: r.directive_id,
    obligationId: r.obligation_id,
    unitId: r.unit_id,
    actor: r.actor,
    action: r.action,
    at: r.at.toISOString(),
    detail: r.detail,
  };
}

/** One chained row as stored, for verification. */
export interface ChainedAuditRow {
  id: string;
  seq: number;
  prevHash: string;
  hash: string;
  content: AuditContent;
}

/**
 * auditChainRows(pool, { directiveId? }) → every chained row, by directive then seq, read a page at
 * a time (a year's trail need not fit in memory at once).
 */
export async function* auditChainRows(db: Db, opts: { directiveId?: string; pageSize?: number } = {}): AsyncGenerator<ChainedAuditRow> {
  const pageSize = opts.pageSize ?? 5000;
  let after: { directiveId: string; seq: number } | undefined;
  for (;;) {
    const { rows } = await db.query<AuditRow>(
      `SELECT ${ROW_COLUMNS} FROM audit
       WHERE hash IS NOT NULL AND ($1::text IS NULL OR directive_id = $1)
         AND ($2::text IS NULL OR (directive_id, seq) > ($2, $3::bigint))
       ORDER BY directive_id, seq LIMIT $4`,
      [opts.directiveId ?? null, after?.directiveId ?? null, after?.seq ?? null, pageSize],
    );
    for (const r of rows) {
      yield { id: String(r.id), seq: Number(r.seq), prevHash: r.prev_hash!, hash: r.hash!, content: rowContent(r) };
    }
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { directiveId: last.directive_id, seq: Number(last.seq) };
  }
}

/** auditHeads(pool, { directiveId? }) → each chain's recorded head (the lock row appends move). */
export async function auditHeads(db: Db, opts: { directiveId?: string } = {}): Promise<{ directiveId: string; seq: number; hash: string }[]> {
  const { rows } = await db.query<{ directive_id: string; seq: string; hash: string }>(
    'SELECT directive_id, seq, hash FROM audit_heads WHERE ($1::text IS NULL OR directive_id = $1) ORDER BY directive_id',
    [opts.directiveId ?? null],
  );
  return rows.map((r) => ({ directiveId: r.directive_id, seq: Number(r.seq), hash: r.hash }));
}

/** Rows written before the chain existed (migration 007): kept, but nothing vouches for them. */
export async function countUnchainedAudit(db: Db, opts: { directiveId?: string } = {}): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM audit WHERE hash IS NULL AND ($1::text IS NULL OR directive_id = $1)',
    [opts.directiveId ?? null],
  );
  return rows[0]!.n;
}

/** listAudit(pool, directiveId, { workflowId?, limit? }) → audit events in order of `at` (default 1000). */
export async function listAudit(
  pool: pg.Pool,
  directiveId: string,
  opts: { workflowId?: string; limit?: number } = {},
): Promise<AuditEvent[]> {
  const { rows } = await pool.query<{
    idempotency_key: string; workflow_id: string; directive_id: string; obligation_id: string | null;
    unit_id: string | null; actor: string; action: string; at: Date; detail: Record<string, unknown>;
  }>(
    `SELECT idempotency_key, workflow_id, directive_id, obligation_id, unit_id, actor, action, at, detail
     FROM audit WHERE directive_id = $1 AND ($2::text IS NULL OR workflow_id = $2)
     ORDER BY at, id LIMIT $3`,
    [directiveId, opts.workflowId ?? null, opts.limit ?? 1000],
  );
  return rows.map((r) => ({
    key: r.idempotency_key,
    workflowId: r.workflow_id,
    directiveId: r.directive_id,
    ...(r.obligation_id !== null && { obligationId: r.obligation_id }),
    ...(r.unit_id !== null && { unitId: r.unit_id }),
    actor: r.actor,
    action: r.action,
    at: instant(r.at)!,
    detail: r.detail,
  }));
}

/**
 * Lúc một phiên được chấp nhận minh chứng (dòng nhật ký `accepted`), cho hạn tính từ lúc hoàn thành
 * nhiệm vụ khác (ngôn ngữ 1.1): lần sớm nhất sau `after`, hoặc lần gần nhất khi không có `after`.
 * When an instance's evidence was accepted (its `accepted` audit lines), for due dates counted
 * from another obligation's completion (language 1.1, workflows/relative-due.ts): the earliest
 * after `after` (the completion the dependent's previous cycle counted from), or the latest when
 * there is no `after` (the first cycle a dependent tracks counts from the latest completion, not
 * from one years before it was deployed). The audit keeps every cycle's completion with its time;
 * the `instances` projection only the current cycle's. Business time, as the workflows write it.
 * Read off the partial index audit_status_changes (migration 010).
 */
export async function acceptedAt(db: Db, q: { directiveId: string; workflowId: string; after?: string }): Promise<string | undefined> {
  const { rows } = await db.query<{ at: Date }>(
    q.after === undefined
      ? `SELECT at FROM audit WHERE directive_id = $1 AND workflow_id = $2 AND action = 'accepted' ORDER BY at DESC, id DESC LIMIT 1`
      : `SELECT at FROM audit WHERE directive_id = $1 AND workflow_id = $2 AND action = 'accepted' AND at > $3 ORDER BY at, id LIMIT 1`,
    q.after === undefined ? [q.directiveId, q.workflowId] : [q.directiveId, q.workflowId, q.after],
  );
  return rows[0] ? instant(rows[0].at) : undefined;
}
