/**
 * The audit trail's hash chain, one chain per directive: each row's `hash` is sha256 over its
 * previous row's hash followed by a canonical encoding of its own content, so a row altered,
 * removed or inserted after the fact breaks the chain at that point (`chithi audit verify`).
 * Pure functions, no SQL: the append (activities/store/audit.ts) and the verification
 * (service/audit.ts) must compute exactly the same bytes, so both go through here.
 */
import { createHash } from 'node:crypto';
import type { AuditEvent } from '../workflows/types.js';

/** prev_hash of a chain's first row. / prev_hash của dòng đầu tiên của một chuỗi. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Names the encoding, so a future change of it (another field, another hash) is a new version
 * that verify can tell apart rather than a silent mismatch of every row.
 */
const ENCODING = 'chithi-audit/1';

/** An audit row's content, as stored: what the hash covers. */
export interface AuditContent {
  key: string;
  workflowId: string;
  directiveId: string;
  obligationId: string | null;
  unitId: string | null;
  actor: string;
  action: string;
  /** ISO instant in UTC with milliseconds (`Date.toISOString()`): one spelling per instant. */
  at: string;
  detail: unknown;
}

/**
 * JSON with object keys sorted (recursively) and no whitespace: the same value always gives the
 * same string, whatever order its keys were built or jsonb returned them in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * What an event will look like once stored. The detail goes through JSON once (as it does on its
 * way into jsonb: `undefined` dropped, dates as strings), and `at` is spelled in UTC with
 * milliseconds and stored in that spelling, so the hash computed now and the hash recomputed from
 * the row later cover the same value. Throws RangeError for an `at` that is not an instant.
 */
export function auditContent(e: AuditEvent): AuditContent {
  return {
    key: e.key,
    workflowId: e.workflowId,
    directiveId: e.directiveId,
    obligationId: e.obligationId ?? null,
    unitId: e.unitId ?? null,
    actor: e.actor,
    action: e.action,
    at: new Date(e.at).toISOString(),
    detail: JSON.parse(JSON.stringify(e.detail ?? {})) as unknown,
  };
}

/** The canonical encoding of a row's content (without its link). */
export function encodeContent(c: AuditContent): string {
  return canonicalJson([ENCODING, c.key, c.workflowId, c.directiveId, c.obligationId, c.unitId, c.actor, c.action, c.at, c.detail]);
}

/** A row's hash: sha256 (hex) of the previous row's hash, a newline, and the row's content. */
export function chainHash(prevHash: string, c: AuditContent): string {
  return createHash('sha256').update(`${prevHash}\n${encodeContent(c)}`, 'utf8').digest('hex');
}
