/**
 * Checking the audit trail's hash chains (activities/audit-chain.ts) against what is stored: the
 * CLI's `chithi audit verify` and `chithi audit heads`, and later the API server, call these.
 */
import type pg from 'pg';
import { chainHash, GENESIS_HASH } from '../activities/audit-chain.js';
import { inTransaction } from '../activities/db/tx.js';
import { auditChainRows, auditHeads, countUnchainedAudit } from '../activities/store/audit.js';
import type { Bilingual } from '../common/cli-spec.js';

/** A chain's last row: what to write down outside the database (`chithi audit heads`). */
export interface ChainHead {
  directiveId: string;
  seq: number;
  hash: string;
}

/**
 * Where a chain first stops matching.
 * - content: the row's stored hash is not the hash of its content: the row was altered.
 * - link: the row does not follow the previous one (its seq or prev_hash): a row before it was
 *   removed, altered together with its hash, or slipped in.
 * - head: the chain ends elsewhere than audit_heads says: rows were cut off its end.
 * - anchor: a head written down earlier (--heads) is not in the chain any more.
 */
export interface ChainBreak {
  kind: 'content' | 'link' | 'head' | 'anchor';
  directiveId: string;
  /** The row, when the break is at a row. */
  seq?: number;
  id?: string;
  key?: string;
  expected: string;
  found: string;
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  chains: number;
  /** Rows written before the chain existed (migration 007): nothing vouches for them. */
  unchained: number;
  heads: ChainHead[];
  /** The first break found; verification stops there. */
  broken?: ChainBreak;
}

/**
 * verifyAudit(pool, { directiveId?, anchors? }) walks every chain (or one directive's) from its
 * first row, recomputing each hash, and stops at the first row that does not match. `anchors`:
 * heads written down earlier; each must still be in its chain, at its seq with its hash (a chain
 * rewritten consistently from there on, which only a superuser can do, is caught this way only).
 */
export async function verifyAudit(pool: pg.Pool, opts: { directiveId?: string; anchors?: readonly ChainHead[] } = {}): Promise<AuditVerification> {
  // One snapshot for the heads and the rows: workers append while it reads, and a head read
  // before a step committed, beside that step's rows read after, looked like rows cut off the
  // end of the chain (a false alarm, seen in CI with workers running).
  return inTransaction(pool, (client) => verifyIn(client, opts), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
}

async function verifyIn(db: pg.PoolClient, opts: { directiveId?: string; anchors?: readonly ChainHead[] }): Promise<AuditVerification> {
  const filter = opts.directiveId !== undefined ? { directiveId: opts.directiveId } : {};
  const recorded = new Map((await auditHeads(db, filter)).map((h) => [h.directiveId, h]));
  const anchors = new Map((opts.anchors ?? []).filter((a) => opts.directiveId === undefined || a.directiveId === opts.directiveId).map((a) => [a.directiveId, a]));
  const heads: ChainHead[] = [];
  let rows = 0;
  const result = (broken?: ChainBreak): AuditVerification => ({ ok: broken === undefined, rows, chains: heads.length, unchained: 0, heads, ...(broken && { broken }) });

  let current: ChainHead | undefined;
  // The end of a chain: compare with audit_heads and the anchor, then forget them (what is left in
  // the two maps afterwards has no chain at all).
  const close = (): ChainBreak | undefined => {
    if (!current) return undefined;
    const { directiveId, seq, hash } = current;
    heads.push(current);
    const head = recorded.get(directiveId);
    recorded.delete(directiveId);
    if (!head || head.seq !== seq || head.hash !== hash) {
      return { kind: 'head', directiveId, expected: `#${seq} ${hash}`, found: head ? `#${head.seq} ${head.hash}` : '—' };
    }
    const anchor = anchors.get(directiveId);
    anchors.delete(directiveId);
    if (anchor && anchor.seq > seq) return { kind: 'anchor', directiveId, expected: `#${anchor.seq} ${anchor.hash}`, found: `#${seq} ${hash}` };
    return undefined;
  };

  for await (const row of auditChainRows(db, filter)) {
    const directiveId = row.content.directiveId;
    if (current?.directiveId !== directiveId) {
      const broken = close();
      if (broken) return result(broken);
      current = { directiveId, seq: 0, hash: GENESIS_HASH };
    }
    const at = { directiveId, seq: row.seq, id: row.id, key: row.content.key };
    if (row.seq !== current.seq + 1 || row.prevHash !== current.hash) {
      return result({ kind: 'link', ...at, expected: `#${current.seq + 1} ← ${current.hash}`, found: `#${row.seq} ← ${row.prevHash}` });
    }
    const hash = chainHash(row.prevHash, row.content);
    if (hash !== row.hash) return result({ kind: 'content', ...at, expected: hash, found: row.hash });
    const anchor = anchors.get(directiveId);
    if (anchor && anchor.seq === row.seq && anchor.hash !== row.hash) {
      return result({ kind: 'anchor', ...at, expected: anchor.hash, found: row.hash });
    }
    current = { directiveId, seq: row.seq, hash: row.hash };
    rows++;
  }
  const broken = close();
  if (broken) return result(broken);
  // A head with no row behind it: every row of that chain is gone (an empty head, seq 0, is a
  // first append that rolled back after taking its lock).
  for (const head of recorded.values()) {
    if (head.seq !== 0) return result({ kind: 'head', directiveId: head.directiveId, expected: '—', found: `#${head.seq} ${head.hash}` });
  }
  for (const anchor of anchors.values()) {
    return result({ kind: 'anchor', directiveId: anchor.directiveId, expected: `#${anchor.seq} ${anchor.hash}`, found: '—' });
  }
  return { ...result(), unchained: await countUnchainedAudit(db, filter) };
}

/** Heads as lines `<directive> <seq> <hash>`: what `chithi audit heads` prints and --heads reads. */
export function formatHeads(heads: readonly ChainHead[]): string {
  return heads.map((h) => `${h.directiveId} ${h.seq} ${h.hash}\n`).join('');
}

/** Parses formatHeads' lines (blank lines and `#` comments ignored); a bad line is named. */
export function parseHeads(text: string): { heads: ChainHead[] } | { error: Bilingual } {
  const heads: ChainHead[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+)\s+(\d+)\s+([0-9a-f]{64})$/.exec(line);
    if (!m) {
      return {
        error: {
          vi: `dòng ${i + 1} không có dạng "<mã-chỉ-thị> <số-thứ-tự> <mã-băm>" (như chithi audit heads in ra): ${line}`,
          en: `line ${i + 1} is not "<directive-id> <seq> <hash>" (as chithi audit heads prints): ${line}`,
        },
      };
    }
    heads.push({ directiveId: m[1]!, seq: Number(m[2]), hash: m[3]! });
  }
  return { heads };
}
