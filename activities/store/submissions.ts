import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type pg from 'pg';
import type { EvidenceItemRef } from '../../workflows/types.js';
import { inTransaction } from '../db/tx.js';
import { checkedMediaType } from '../media-type.js';
import { ConflictError, EvidenceTooLargeError, InvalidRequestError, NotFoundError } from '../errors.js';
import { insertInboxNotices, type InboxInsert } from './inbox.js';
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
  /** The type the uploader declared (a multipart part's); stored only as far as the bytes agree (../media-type.ts). */
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
  /**
   * Its unit requires the unit head's approval (registry `submissionApproval: unit-head`):
   * `pending` until a unit head decides; `approved` when a unit head submitted it (approved by
   * them, at `at`). Absent: no approval needed (NULL in the row).
   */
  approval?: 'pending' | 'approved';
}

export type Approval = 'pending' | 'approved' | 'returned';

export interface StoredSubmission {
  submissionId: string;
  /** What the `submitEvidence` signal carries: names, values and document hashes, no content. */
  items: EvidenceItemRef[];
  /** False: the id was stored before with the same evidence (a retry); nothing was written. */
  created: boolean;
  /** The run and cycle the submission was first stored for. */
  generation: number;
  cycle?: number;
  /** Its approval as stored (a retry finds the unit head's decision, if made since); absent: none needed. */
  approval?: Approval;
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
      `INSERT INTO submissions (id, workflow_id, directive_id, obligation_id, unit_id, event_id, generation, cycle, submitted_by, note, at, approval, approved_by, approved_at)
       VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
               CASE WHEN $12 = 'approved' THEN $9 END, CASE WHEN $12 = 'approved' THEN $11::timestamptz END)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [input.submissionId ?? null, input.workflowId, input.directiveId, input.obligationId, input.unitId, input.eventId ?? null, input.generation ?? 1, input.cycle ?? null, input.submittedBy, input.note ?? null, input.at, input.approval ?? null],
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
    return {
      submissionId,
      items,
      created: true,
      generation: input.generation ?? 1,
      ...(input.cycle !== undefined && { cycle: input.cycle }),
      ...(input.approval !== undefined && { approval: input.approval }),
    };
  });
}

/** The stored submission under `id`, when it is the one `input` describes (a retry); ConflictError otherwise. */
async function sameSubmission(client: pg.PoolClient, id: string, input: SubmissionInput, items: EvidenceItemRef[]): Promise<StoredSubmission> {
  const s = (
    await client.query<{ workflow_id: string; submitted_by: string; note: string | null; generation: number; cycle: number | null; approval: Approval | null }>(
      'SELECT workflow_id, submitted_by, note, generation, cycle, approval FROM submissions WHERE id = $1',
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
  return {
    submissionId: id,
    items: stored,
    created: false,
    generation: s.generation,
    ...(s.cycle !== null && { cycle: s.cycle }),
    ...(s.approval !== null && { approval: s.approval }),
  };
}

interface Prepared extends Omit<EvidenceInput, 'content'> {
  value: string;
  content?: Buffer;
  sha256?: string;
}

async function prepare(item: EvidenceInput): Promise<Prepared> {
  if (item.kind !== 'document') {
    if (item.value === undefined) throw invalid(`evidence "${item.name}" (${item.kind}) needs a value`);
    // A media type is a document's; a field or a link has none.
    const { content: _ignored, mediaType: _none, ...rest } = item;
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
  // The declared type only as far as the bytes bear it out (../media-type.ts): it is what a download is sent as.
  const { mediaType: declared, ...rest } = item;
  const mediaType = await checkedMediaType(declared, content);
  return {
    ...rest,
    value: item.value ?? (item.path ? basename(item.path) : item.name),
    content,
    sha256: createHash('sha256').update(content).digest('hex'),
    ...(mediaType !== undefined && { mediaType }),
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
  generation: number;
  cycle?: number;
  submittedBy: string;
  note?: string;
  at: string;
  /** Absent: no approval was needed. */
  approval?: Approval;
  approvedBy?: string;
  approvedAt?: string;
  approvalComment?: string;
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
    | SubmissionRow
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
    ...submissionOf(r),
    ...approvalOf(r),
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

interface SubmissionRow {
  id: string;
  workflow_id: string;
  directive_id: string;
  obligation_id: string;
  unit_id: string;
  event_id: string | null;
  generation: number;
  cycle: number | null;
  submitted_by: string;
  note: string | null;
  at: Date;
  approval: Approval | null;
  approved_by: string | null;
  approved_at: Date | null;
  approval_comment: string | null;
}

/** What a submission row says of itself, for a full record and for the pending list alike. */
function submissionOf(r: SubmissionRow): SubmissionBase {
  return {
    submissionId: r.id,
    workflowId: r.workflow_id,
    directiveId: r.directive_id,
    obligationId: r.obligation_id,
    unitId: r.unit_id,
    ...(r.event_id !== null && { eventId: r.event_id }),
    generation: r.generation,
    ...(r.cycle !== null && { cycle: r.cycle }),
    submittedBy: r.submitted_by,
    ...(r.note !== null && { note: r.note }),
    at: instant(r.at)!,
  };
}

type SubmissionBase = Omit<SubmissionRecord, 'approval' | 'approvedBy' | 'approvedAt' | 'approvalComment' | 'evidence' | 'reviews'>;

function approvalOf(r: Pick<SubmissionRow, 'approval' | 'approved_by' | 'approved_at' | 'approval_comment'>): Pick<SubmissionRecord, 'approval' | 'approvedBy' | 'approvedAt' | 'approvalComment'> {
  return {
    ...(r.approval !== null && { approval: r.approval }),
    ...(r.approved_by !== null && { approvedBy: r.approved_by }),
    ...(r.approved_at !== null && { approvedAt: instant(r.approved_at)! }),
    ...(r.approval_comment !== null && { approvalComment: r.approval_comment }),
  };
}

/** A submission waiting for its unit head: what it is for, who sent it, and what it carries (no content). */
export type PendingSubmission = SubmissionBase & {
  items: EvidenceItemRef[];
};

/** listPendingApprovals(pool, unitId) → the unit's submissions awaiting its unit head, oldest first. */
export async function listPendingApprovals(pool: pg.Pool, unitId: string): Promise<PendingSubmission[]> {
  const { rows } = await pool.query<SubmissionRow & { items: EvidenceItemRef[] | null }>(
    `SELECT s.*,
            (SELECT json_agg(json_strip_nulls(json_build_object('name', e.name, 'kind', e.kind, 'value', e.value, 'sha256', e.sha256)) ORDER BY e.id)
               FROM evidence e WHERE e.submission_id = s.id) AS items
     FROM submissions s WHERE s.unit_id = $1 AND s.approval = 'pending'
     ORDER BY s.at, s.id`,
    [unitId],
  );
  return rows.map((r) => ({
    ...submissionOf(r),
    items: r.items ?? [],
  }));
}

export interface ApprovalDecision {
  submissionId: string;
  decision: 'approved' | 'returned';
  /** The unit head (`unit/login`). */
  by: string;
  comment?: string;
  at: string;
  /** Written to the inbox in the same transaction, only when the decision is recorded now (a return tells the officer). */
  notice?: InboxInsert;
}

/**
 * decideApproval(pool, ApprovalDecision) → { created, submission }. Records a unit head's decision on
 * a pending submission, once: the same decision again writes nothing (`created: false`, a retry:
 * the caller sends an approved one again), the other decision is a ConflictError naming who decided
 * and when; a submission that needs no approval is an InvalidRequestError, an unknown one NotFoundError.
 */
export async function decideApproval(pool: pg.Pool, d: ApprovalDecision): Promise<{ created: boolean; submission: SubmissionRecord }> {
  if (!UUID.test(d.submissionId)) throw new NotFoundError('submission', d.submissionId);
  const created = await inTransaction(pool, async (client) => {
    // Locked: two unit heads deciding at once are told apart here, one after the other.
    const r = (await client.query<SubmissionRow>('SELECT * FROM submissions WHERE id = $1 FOR UPDATE', [d.submissionId])).rows[0];
    if (!r) throw new NotFoundError('submission', d.submissionId);
    if (r.approval === null) {
      throw new InvalidRequestError({
        vi: `Minh chứng ${d.submissionId} không cần lãnh đạo đơn vị phê duyệt (đơn vị ${r.unit_id} không yêu cầu); nó đã được gửi thẳng tới người duyệt.`,
        en: `Submission ${d.submissionId} needs no unit head's approval (unit ${r.unit_id} does not require it); it went straight to the reviewer.`,
      });
    }
    if (r.approval === d.decision) return false;
    if (r.approval !== 'pending') {
      const was = r.approval === 'approved' ? { vi: 'phê duyệt', en: 'approved' } : { vi: 'trả lại', en: 'returned' };
      throw new ConflictError({
        vi: `Minh chứng ${d.submissionId} đã được ${r.approved_by} ${was.vi} lúc ${instant(r.approved_at)}; mỗi minh chứng chỉ có một quyết định. Nếu cần nộp lại, cán bộ nộp một minh chứng mới.`,
        en: `Submission ${d.submissionId} was already ${was.en} by ${r.approved_by} at ${instant(r.approved_at)}; a submission gets one decision. To send it again, the officer submits new evidence.`,
      });
    }
    await client.query(
      `UPDATE submissions SET approval = $2, approved_by = $3, approved_at = $4, approval_comment = $5 WHERE id = $1`,
      [d.submissionId, d.decision, d.by, d.at, d.comment ?? null],
    );
    if (d.notice) await insertInboxNotices(client, [d.notice]);
    return true;
  });
  return { created, submission: await getSubmission(pool, d.submissionId) };
}
