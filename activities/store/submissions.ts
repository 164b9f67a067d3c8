import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type pg from 'pg';
import type { EvidenceItemRef } from '../../workflows/types.js';
import { inTransaction } from '../db/tx.js';
import { ConflictError, EvidenceTooLargeError, InvalidRequestError, NotFoundError } from '../errors.js';
import { instant, opt } from './rows.js';

/** 20 MB, the limit the schema also enforces. */
export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;

export interface EvidenceInput {
  /** Name of the evidence requirement in the plan. */
  name: string;
  kind: EvidenceItemRef['kind'];
  /** Field value, link URL, attestation text; for documents the file name (default: from `path`). */
  value?: string;
  /** Document content; or give `path` and it is read from disk. */
  content?: Uint8Array;
  path?: string;
  mediaType?: string;
  metadata?: Record<string, unknown>;
}

export interface SubmissionInput {
  /**
   * The client's id for this submission (a UUID, the row's primary key). The same id again with
   * the same evidence is a retry and writes nothing; with other evidence it is a ConflictError.
   * Default: a new one.
   */
  submissionId?: string;
  workflowId: string;
  directiveId: string;
  obligationId: string;
  unitId: string;
  eventId?: string;
  /** The run of the workflow id (InstanceInput.generation) it is for; default 1. */
  generation?: number;
  cycle?: number;
  submittedBy: string;
  note?: string;
  /** When it was submitted (the client's clock: a person's action, not a workflow time). */
  at: string;
  items: EvidenceInput[];
}

export interface StoredSubmission {
  submissionId: string;
  /** What the `submitEvidence` signal carries: names, values and document hashes, no content. */
  items: EvidenceItemRef[];
  /** False: the id was stored before with the same evidence (a retry); nothing was written. */
  created: boolean;
  /** The run and cycle the submission was first stored for. */
  generation: number;
  cycle?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * storeSubmission(pool, input) → { submissionId, items, created, cycle? }.
 * Stores documents as bytea with their sha256; throws EvidenceTooLargeError above 20 MB,
 * InvalidRequestError for a document without content or path or an id that is not a UUID, and
 * ConflictError for an id already stored with other evidence. All or nothing.
 */
export async function storeSubmission(pool: pg.Pool, input: SubmissionInput): Promise<StoredSubmission> {
  if (input.submissionId !== undefined && !UUID.test(input.submissionId)) throw invalid(`submission id "${input.submissionId}" is not a UUID`);
  const prepared = await Promise.all(input.items.map(prepare));
  const items = prepared.map((p): EvidenceItemRef => ({ name: p.name, kind: p.kind, value: p.value, ...(p.sha256 && { sha256: p.sha256 }) }));
  return inTransaction(pool, async (client) => {
    // A concurrent retry with the same id waits here for the first to commit, then finds its row.
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO submissions (id, workflow_id, directive_id, obligation_id, unit_id, event_id, generation, cycle, submitted_by, note, at)
       VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [input.submissionId ?? null, input.workflowId, input.directiveId, input.obligationId, input.unitId, input.eventId ?? null, input.generation ?? 1, input.cycle ?? null, input.submittedBy, input.note ?? null, input.at],
    );
    if (rows[0] === undefined) return sameSubmission(client, input.submissionId!, input, items);
    const submissionId = rows[0].id;
    for (const p of prepared) {
      await client.query(
        `INSERT INTO evidence (submission_id, name, kind, value, sha256, content, size, media_type, path, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [submissionId, p.name, p.kind, p.value, p.sha256 ?? null, p.content ?? null, p.content?.length ?? null, p.mediaType ?? null, p.path ?? null, JSON.stringify(p.metadata ?? {})],
      );
    }
    return { submissionId, items, created: true, generation: input.generation ?? 1, ...(input.cycle !== undefined && { cycle: input.cycle }) };
  });
}

/** The stored submission under `id`, when it is the one `input` describes (a retry); ConflictError otherwise. */
async function sameSubmission(client: pg.PoolClient, id: string, input: SubmissionInput, items: EvidenceItemRef[]): Promise<StoredSubmission> {
  const s = (
    await client.query<{ workflow_id: string; submitted_by: string; note: string | null; generation: number; cycle: number | null }>(
      'SELECT workflow_id, submitted_by, note, generation, cycle FROM submissions WHERE id = $1',
      [id],
    )
  ).rows[0]!;
  const ev = await client.query<{ name: string; kind: EvidenceItemRef['kind']; value: string; sha256: string | null }>(
    'SELECT name, kind, value, sha256 FROM evidence WHERE submission_id = $1 ORDER BY id',
    [id],
  );
  const stored = ev.rows.map((e): EvidenceItemRef => ({ name: e.name, kind: e.kind, value: e.value, ...(e.sha256 !== null && { sha256: e.sha256 }) }));
  const same =
    s.workflow_id === input.workflowId &&
    s.submitted_by === input.submittedBy &&
    s.note === (input.note ?? null) &&
    JSON.stringify(stored) === JSON.stringify(items);
  if (!same) {
    throw new ConflictError({
      vi: `Mã ${id} đã được dùng cho một lần nộp khác (minh chứng, người nộp, ghi chú hoặc nghĩa vụ khác). Để nộp minh chứng mới, bỏ --id.`,
      en: `Id ${id} was already used for a different submission (other evidence, submitter, note or obligation). To submit new evidence, leave out --id.`,
    });
  }
  return { submissionId: id, items: stored, created: false, generation: s.generation, ...(s.cycle !== null && { cycle: s.cycle }) };
}

interface Prepared extends Omit<EvidenceInput, 'content'> {
  value: string;
  content?: Buffer;
  sha256?: string;
}

async function prepare(item: EvidenceInput): Promise<Prepared> {
  if (item.kind !== 'document') {
    if (item.value === undefined) throw invalid(`evidence "${item.name}" (${item.kind}) needs a value`);
    const { content: _ignored, ...rest } = item;
    return { ...rest, value: item.value };
  }
  let content: Buffer;
  if (item.content) {
    content = Buffer.from(item.content.buffer, item.content.byteOffset, item.content.byteLength);
  } else if (item.path) {
    // Checked before reading, so a 4 GB file is refused without being loaded.
    const { size } = await stat(item.path);
    if (size > MAX_EVIDENCE_BYTES) throw new EvidenceTooLargeError(item.name, size, MAX_EVIDENCE_BYTES);
    content = await readFile(item.path);
  } else {
    throw invalid(`document "${item.name}" needs content or a path`);
  }
  if (content.length > MAX_EVIDENCE_BYTES) throw new EvidenceTooLargeError(item.name, content.length, MAX_EVIDENCE_BYTES);
  return {
    ...item,
    value: item.value ?? (item.path ? basename(item.path) : item.name),
    content,
    sha256: createHash('sha256').update(content).digest('hex'),
  };
}

function invalid(en: string): InvalidRequestError {
  return new InvalidRequestError({ vi: `Minh chứng không hợp lệ: ${en}`, en: `Invalid evidence: ${en}` });
}

export interface SubmissionRecord {
  submissionId: string;
  workflowId: string;
  directiveId: string;
  obligationId: string;
  unitId: string;
  eventId?: string;
  cycle?: number;
  submittedBy: string;
  note?: string;
  at: string;
  evidence: { id: string; name: string; kind: EvidenceItemRef['kind']; value: string; sha256?: string; size?: number; mediaType?: string }[];
  reviews: { decision: 'accept' | 'reject'; comment?: string; reviewer: string; at: string }[];
}

/** getSubmission(pool, submissionId) → the submission with evidence metadata (no content) and reviews; NotFoundError if absent. */
export async function getSubmission(pool: pg.Pool, submissionId: string): Promise<SubmissionRecord> {
  const s = await pool.query(
    'SELECT * FROM submissions WHERE id::text = $1',
    [submissionId],
  );
  const r = s.rows[0] as
    | { id: string; workflow_id: string; directive_id: string; obligation_id: string; unit_id: string; event_id: string | null; cycle: number | null; submitted_by: string; note: string | null; at: Date }
    | undefined;
  if (!r) throw new NotFoundError('submission', submissionId);
  const ev = await pool.query<{ id: string; name: string; kind: EvidenceItemRef['kind']; value: string; sha256: string | null; size: number | null; media_type: string | null }>(
    'SELECT id, name, kind, value, sha256, size, media_type FROM evidence WHERE submission_id = $1 ORDER BY id',
    [r.id],
  );
  const rv = await pool.query<{ decision: 'accept' | 'reject'; comment: string | null; reviewer: string; at: Date }>(
    'SELECT decision, comment, reviewer, at FROM reviews WHERE submission_id = $1 ORDER BY at, id',
    [r.id],
  );
  return {
    submissionId: r.id,
    workflowId: r.workflow_id,
    directiveId: r.directive_id,
    obligationId: r.obligation_id,
    unitId: r.unit_id,
    ...(r.event_id !== null && { eventId: r.event_id }),
    ...(r.cycle !== null && { cycle: r.cycle }),
    submittedBy: r.submitted_by,
    ...(r.note !== null && { note: r.note }),
    at: instant(r.at)!,
    evidence: ev.rows.map((e) => ({
      id: e.id,
      name: e.name,
      kind: e.kind,
      value: e.value,
      ...(e.sha256 !== null && { sha256: e.sha256 }),
      ...(e.size !== null && { size: e.size }),
      ...(e.media_type !== null && { mediaType: e.media_type }),
    })),
    reviews: rv.rows.map((v) => ({ decision: v.decision, ...(v.comment !== null && { comment: v.comment }), reviewer: v.reviewer, at: instant(v.at)! })),
  };
}

/** getEvidenceContent(pool, submissionId, name) → { content, sha256, value } of a stored document, or undefined. */
export async function getEvidenceContent(
  pool: pg.Pool,
  submissionId: string,
  name: string,
): Promise<{ content: Buffer; sha256: string; value: string } | undefined> {
  const { rows } = await pool.query<{ content: Buffer | null; sha256: string | null; value: string }>(
    'SELECT content, sha256, value FROM evidence WHERE submission_id::text = $1 AND name = $2 ORDER BY id LIMIT 1',
    [submissionId, name],
  );
  const r = rows[0];
  if (!r || r.content === null) return undefined;
  return { content: r.content, sha256: opt(r.sha256) ?? '', value: r.value };
}
