/**
 * Việc của đơn vị và cơ quan duyệt: nộp minh chứng, duyệt, đề nghị và quyết định gia hạn, báo cáo sự
 * kiện. Mỗi việc: xác định người làm (từ đăng nhập), tìm phiên, kiểm quyền, rồi mới lưu và báo phiên.
 * The units' and reviewers' actions: submit evidence, review, request and decide extensions, report
 * events. Each: who acts (from the credential), which instance, whether they may, and only then
 * store and signal: a refused request has written nothing.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { actorName } from '../../common/roles.js';
import { MAX_EVIDENCE_BYTES } from '../../activities/store/submissions.js';
import { decideExtension, requestExtension } from '../../service/extension.js';
import { reportEvent } from '../../service/report-event.js';
import { review } from '../../service/review.js';
import { submit } from '../../service/submit.js';
import { deployedPlan, resolveTarget } from '../../service/target.js';
import { authorize } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';
import { HttpError } from '../errors.js';

const REF = {
  directive: { type: 'string', minLength: 1, maxLength: 200 },
  obligation: { type: 'string', minLength: 1, maxLength: 200 },
  unit: { type: 'string', minLength: 1, maxLength: 200 },
  event: { type: 'string', minLength: 1, maxLength: 64 },
} as const;
const ACTION_ID = { type: 'string', format: 'uuid', description: 'client-chosen id: the same id again is a retry (nothing stored twice)' } as const;
// At most 2000 characters (MAX_SIGNAL_TEXT), checked by the service with a message that names the
// field and the limit, rather than by the schema's generic one.
const TEXT = { type: 'string', description: 'at most 2000 characters' } as const;
const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const ERRORS = { 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 404: { $ref: 'Error#' }, 409: { $ref: 'Error#' } } as const;

interface RefBody {
  directive: string;
  obligation: string;
  unit: string;
  event?: string;
}

/** Multipart text fields of a submission; files are evidence documents named by their part. */
interface SubmissionForm extends RefBody {
  note?: string;
  id?: string;
  fields: [string, string][];
  files: string[];
}

const FORM_TEXT = new Set(['directive', 'obligation', 'unit', 'event', 'note', 'id']);

export async function actionRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { pool, client, config } = deps;

  app.post(
    '/api/v1/submissions',
    {
      schema: {
        tags: ['actions'],
        summary: 'Submit evidence (multipart/form-data)',
        description:
          'Parts: directive, obligation, unit, event?, note?, id? (text); a text part `field` per field, link or attestation as `name=value`; a file part per document, named by the evidence name. Documents are streamed and hashed (sha256) on the way in; at most 20 MB each (413, nothing stored). Allowed: officer or unit head of the assignee unit. Where the unit requires approval by its unit head (registry submissionApproval), a submission by an officer is stored with approval pending and sent only once a unit head approves it (POST /api/v1/submissions/{id}/approval).',
        consumes: ['multipart/form-data'],
        response: { 201: { $ref: 'SubmitResult#' }, 200: { $ref: 'SubmitResult#' }, 413: { $ref: 'Error#' }, ...ERRORS },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!request.isMultipart()) {
        throw new HttpError(415, 'multipart-required', {
          vi: 'Nộp minh chứng bằng multipart/form-data (các trường directive, obligation, unit; tệp theo tên minh chứng).',
          en: 'Submit evidence as multipart/form-data (fields directive, obligation, unit; files named by evidence).',
        });
      }
      // Documents go to a private temporary folder first: the submission is stored only once the
      // whole request has arrived, so an upload cut off halfway leaves no row.
      const dir = await mkdtemp(join(tmpdir(), 'chithi-upload-'));
      try {
        const form: SubmissionForm = { directive: '', obligation: '', unit: '', fields: [], files: [] };
        const hashes = new Map<string, string>();
        let n = 0;
        for await (const part of request.parts({ limits: { fileSize: MAX_EVIDENCE_BYTES, files: 20, fields: 100 } })) {
          if (part.type === 'file') {
            // Each document keeps the name it was sent with (the evidence records it), in a folder
            // of its own so two documents of one name do not collide.
            const folder = join(dir, `${n++}`);
            await mkdir(folder, { mode: 0o700 });
            const path = join(folder, safeFileName(part.filename, part.fieldname));
            const hash = createHash('sha256');
            const tap = new Transform({
              transform(chunk: Buffer, _enc, cb) {
                hash.update(chunk);
                cb(null, chunk);
              },
            });
            // Busboy stops passing bytes on at the limit but ends the part only at its closing
            // boundary, so waiting for the end read (and dropped) the whole oversized file first:
            // with the rest of a 25 MB document held back by the client, no answer ever came
            // (test/server/uploads.test.ts). The 413 is answered the moment the limit is crossed.
            part.file.once('limit', () => tap.destroy(new HttpError(413, 'too-large', tooLarge(part.fieldname))));
            await pipeline(part.file, tap, createWriteStream(path, { mode: 0o600 }));
            if (part.file.truncated) throw new HttpError(413, 'too-large', tooLarge(part.fieldname));
            // A part named `file` is a document given without its evidence name (`chithi submit
            // --file report.pdf`): the obligation's only document, resolved as the CLI used to.
            form.files.push(part.fieldname === 'file' ? path : `${part.fieldname}=${path}`);
            hashes.set(part.fieldname, hash.digest('hex'));
          } else {
            const value = String(part.value);
            if (part.fieldname === 'field') {
              const at = value.indexOf('=');
              if (at <= 0) throw new HttpError(400, 'invalid-request', { vi: `Trường "field" cần dạng tên=giá-trị (nhận được: ${value}).`, en: `Part "field" takes name=value (got: ${value}).` });
              form.fields.push([value.slice(0, at), value.slice(at + 1)]);
            } else if (FORM_TEXT.has(part.fieldname)) {
              (form as unknown as Record<string, string>)[part.fieldname] = value;
            } else {
              throw new HttpError(400, 'invalid-request', { vi: `Phần "${part.fieldname}" không được nhận.`, en: `Unknown part "${part.fieldname}".` });
            }
          }
        }
        for (const k of ['directive', 'obligation', 'unit'] as const) {
          if (!form[k]) throw new HttpError(400, 'invalid-request', { vi: `Thiếu trường ${k}.`, en: `Missing field ${k}.` });
        }
        const target = await resolveTarget(pool, form);
        authorize(actor, 'submit', { unit: target.unitId, reviewer: target.obligation.reviewer, plan: target.plan });
        const result = await submit(
          {
            directive: form.directive,
            obligation: form.obligation,
            unit: form.unit,
            ...(form.event !== undefined && { event: form.event }),
            ...(form.note !== undefined && { note: form.note }),
            ...(form.id !== undefined && { id: form.id }),
            files: form.files,
            fields: form.fields,
            by: actorName(actor),
            // Where the unit requires its head's approval, a unit head's own submission is approved by them.
            byUnitHead: actor.roles.includes('unit-head') && actor.unit === target.unitId,
            cwd: dir,
          },
          { client, pool, config },
        );
        return reply.status(result.created ? 201 : 200).send({ ...result, sha256: Object.fromEntries(hashes) });
      } catch (err) {
        // Refused before the whole request arrived (too large, an unknown part): the rest of the
        // body is still on the connection, and the next request sent on it was never answered
        // (measured: the third fetch of 25 MB on one keep-alive connection hung). Closing it, as
        // Fastify does for an over-limit JSON body, let fetch read the 413 three times out of three.
        if (!request.raw.complete) void reply.header('connection', 'close');
        throw err;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.post<{ Body: RefBody & { decision: 'accept' | 'reject'; comment?: string; id?: string } }>(
    '/api/v1/reviews',
    {
      schema: {
        tags: ['actions'],
        summary: 'Accept or reject the evidence awaiting review',
        description: "Allowed: a reviewer of the obligation's reviewing unit, never for its own unit's evidence.",
        body: {
          type: 'object',
          required: ['directive', 'obligation', 'unit', 'decision'],
          additionalProperties: false,
          properties: { ...REF, decision: { type: 'string', enum: ['accept', 'reject'] }, comment: TEXT, id: ACTION_ID },
        },
        response: { 201: { $ref: 'ReviewResult#' }, 200: { $ref: 'ReviewResult#' }, ...ERRORS },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const b = request.body;
      const target = await resolveTarget(pool, b);
      authorize(actor, 'review', { unit: target.unitId, reviewer: target.obligation.reviewer, plan: target.plan });
      const result = await review({ ...b, as: actorName(actor) }, { client, pool, config });
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.post<{ Body: RefBody & { until: string; reason: string; id?: string } }>(
    '/api/v1/extensions',
    {
      schema: {
        tags: ['actions'],
        summary: 'Ask for an extension of the running cycle',
        description: 'Allowed: officer or unit head of the assignee unit.',
        body: {
          type: 'object',
          required: ['directive', 'obligation', 'unit', 'until', 'reason'],
          additionalProperties: false,
          properties: { ...REF, until: DATE, reason: { ...TEXT, minLength: 1 }, id: ACTION_ID },
        },
        response: { 201: { $ref: 'ExtensionRequestResult#' }, 200: { $ref: 'ExtensionRequestResult#' }, ...ERRORS },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const b = request.body;
      const target = await resolveTarget(pool, b);
      authorize(actor, 'extension.request', { unit: target.unitId, reviewer: target.obligation.reviewer, plan: target.plan });
      const result = await requestExtension({ ...b, by: actorName(actor) }, { client, pool, config });
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.post<{ Body: RefBody & { decision: 'approve' | 'reject'; request?: string; until?: string; comment?: string; id?: string } }>(
    '/api/v1/extensions/decisions',
    {
      schema: {
        tags: ['actions'],
        summary: 'Approve or reject an extension request',
        description: "Allowed: a reviewer of the obligation's reviewing unit, never for its own unit's request.",
        body: {
          type: 'object',
          required: ['directive', 'obligation', 'unit', 'decision'],
          additionalProperties: false,
          properties: { ...REF, decision: { type: 'string', enum: ['approve', 'reject'] }, request: { type: 'string', minLength: 1 }, until: DATE, comment: TEXT, id: ACTION_ID },
        },
        response: { 201: { $ref: 'ExtensionDecisionResult#' }, 200: { $ref: 'ExtensionDecisionResult#' }, ...ERRORS },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { decision, request: requestId, ...b } = request.body;
      const target = await resolveTarget(pool, b);
      authorize(actor, 'extension.decide', { unit: target.unitId, reviewer: target.obligation.reviewer, plan: target.plan });
      const result = await decideExtension(
        { ...b, approve: decision === 'approve', ...(requestId !== undefined && { requestId }), by: actorName(actor) },
        { client, pool, config },
      );
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.post<{ Body: { directive: string; type: string; unit: string; id?: string; at?: string; description?: string } }>(
    '/api/v1/events',
    {
      schema: {
        tags: ['actions'],
        summary: 'Report an event (e.g. an attack detected): starts its obligations for the unit',
        description: 'Allowed: officer or unit head of the reporting unit.',
        body: {
          type: 'object',
          required: ['directive', 'type', 'unit'],
          additionalProperties: false,
          properties: {
            directive: REF.directive,
            type: { type: 'string', minLength: 1, maxLength: 100 },
            unit: REF.unit,
            id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
            at: { type: 'string', format: 'date-time' },
            description: TEXT,
          },
        },
        response: { 201: { $ref: 'EventResult#' }, 200: { $ref: 'EventResult#' }, ...ERRORS },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const b = request.body;
      const plan = await deployedPlan(pool, b.directive);
      authorize(actor, 'event.report', { unit: b.unit, plan });
      const result = await reportEvent(
        {
          directiveId: b.directive,
          eventType: b.type,
          unitId: b.unit,
          ...(b.id !== undefined && { eventId: b.id }),
          ...(b.at !== undefined && { occurredAt: b.at }),
          ...(b.description !== undefined && { description: b.description }),
          reportedBy: actorName(actor),
        },
        { client, pool, taskQueue: config.temporal.taskQueue },
      );
      return reply.status(result.started.length > 0 ? 201 : 200).send(result);
    },
  );
}

/** The file name as sent, reduced to one path segment a file system takes. */
function safeFileName(sent: string | undefined, fallback: string): string {
  const base = (sent ?? '').split(/[\\/]/).pop()?.replace(/[\u0000-\u001f]/g, '').trim() ?? '';
  const name = base === '' || base === '.' || base === '..' ? fallback : base;
  return name.slice(0, 200);
}

function tooLarge(name: string) {
  const mb = MAX_EVIDENCE_BYTES / 1024 / 1024;
  return {
    vi: `Tệp minh chứng "${name}" lớn hơn ${mb} MB; không lưu gì. Hãy nén hoặc chia nhỏ tài liệu.`,
    en: `Evidence file "${name}" is larger than ${mb} MB; nothing was stored. Compress or split the document.`,
  };
}

