/**
 * Nhận một lần nộp minh chứng dạng multipart: dùng chung cho API (POST /api/v1/submissions) và cổng
 * thông tin (server/portal/), để hai nơi kiểm quyền, lưu và báo cho phiên thực hiện như nhau.
 * Receives a multipart evidence submission: shared by the API (POST /api/v1/submissions) and the
 * portal (server/portal/), so both authorise, store and signal the same way.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_EVIDENCE_BYTES } from '../activities/store/submissions.js';
import { actorName, type Actor } from '../common/roles.js';
import { submit, type SubmitResult } from '../service/submit.js';
import { resolveTarget } from '../service/target.js';
import { authorize } from './authz.js';
import type { ServerDeps } from './context.js';
import { HttpError } from './errors.js';

/** Multipart text fields of a submission; files are evidence documents named by their part. */
interface SubmissionForm {
  directive: string;
  obligation: string;
  unit: string;
  event?: string;
  note?: string;
  id?: string;
  fields: [string, string][];
  files: string[];
  /** The type each file part declared, by the path it was written to. */
  mediaTypes: Record<string, string>;
}

const FORM_TEXT = new Set(['directive', 'obligation', 'unit', 'event', 'note', 'id']);

export interface ReceiveOptions {
  /**
   * A text part the caller handles itself (the portal's `_csrf` and its per-field inputs); true:
   * handled. Called in the order the parts arrive, before any later file is read.
   */
  onText?: (name: string, value: string, fields: [string, string][]) => boolean | Promise<boolean>;
  /**
   * A browser sends an empty file part for a file input left empty; skip it rather than store an
   * empty document (the portal). The API keeps every part it is sent.
   */
  skipEmptyFiles?: boolean;
}

export type ReceivedSubmission = SubmitResult & { sha256: Record<string, string> };

export async function receiveSubmission(request: FastifyRequest, reply: FastifyReply, actor: Actor, deps: ServerDeps, opts: ReceiveOptions = {}): Promise<ReceivedSubmission> {
  const { pool, client, config } = deps;
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
    const form: SubmissionForm = { directive: '', obligation: '', unit: '', fields: [], files: [], mediaTypes: {} };
    const hashes = new Map<string, string>();
    let n = 0;
    for await (const part of request.parts({ limits: { fileSize: MAX_EVIDENCE_BYTES, files: 20, fields: 100 } })) {
      if (part.type === 'file') {
        if (opts.skipEmptyFiles && !part.filename) {
          part.file.resume();
          continue;
        }
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
        // What the browser says the file is; checked against its bytes before it is stored.
        if (part.mimetype) form.mediaTypes[path] = part.mimetype;
        hashes.set(part.fieldname, hash.digest('hex'));
      } else {
        const value = String(part.value);
        if (opts.onText && (await opts.onText(part.fieldname, value, form.fields))) continue;
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
        mediaTypes: form.mediaTypes,
        by: actorName(actor),
        // Where the unit requires its head's approval, a unit head's own submission is approved by them.
        byUnitHead: actor.roles.includes('unit-head') && actor.unit === target.unitId,
        cwd: dir,
      },
      { client, pool, config },
    );
    return { ...result, sha256: Object.fromEntries(hashes) };
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
