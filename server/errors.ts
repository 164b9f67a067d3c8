/**
 * Every failure becomes one JSON shape, `{ error: { code, status, message, text } }`, in the
 * request's language, with the status that says what to do about it (400 fix the request, 401 sign
 * in, 403 not yours, 404 no such thing, 409 it changed meanwhile, 413 too large). Never a stack:
 * an unexpected error is logged with its stack and answered with a reference to the log line.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Bilingual } from '../common/cli-spec.js';
import { ConfigError } from '../common/config.js';
import { UserError, type Problem } from '../common/errors.js';
import { ChithiError } from '../activities/errors.js';
import { langOf } from './lang.js';

export const PROBLEM_STATUS: Record<Problem, number> = {
  invalid: 400,
  'not-signed-in': 401,
  'not-allowed': 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  unavailable: 503,
};

const CHITHI_STATUS: Record<string, number> = {
  'not-found': 404,
  conflict: 409,
  'audit-conflict': 409,
  'evidence-too-large': 413,
  'invalid-request': 400,
};

export interface ErrorBody {
  error: { code: string; status: number; message: string; text: Bilingual; details?: unknown };
}

/** The JSON schema of ErrorBody, for the OpenAPI document. */
export const ERROR_SCHEMA = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'status', 'message'],
      properties: {
        code: { type: 'string' },
        status: { type: 'integer' },
        message: { type: 'string', description: 'in the language of Accept-Language (vi by default)' },
        text: { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } } },
        details: {},
      },
    },
  },
} as const;

/** A refusal with a status and a bilingual text, thrown by routes. */
export class HttpError extends UserError {
  constructor(
    readonly status: number,
    readonly code: string,
    text: Bilingual,
    readonly details?: unknown,
    options?: ErrorOptions,
  ) {
    super(text, 1, options);
    this.name = 'HttpError';
  }
}

function fastifyText(err: FastifyError): { status: number; code: string; text: Bilingual } | undefined {
  const status = err.statusCode ?? 500;
  if (err.validation) {
    const where = err.validationContext ?? 'body';
    const what = err.validation.map((v) => `${where}${v.instancePath || ''} ${v.message ?? ''}`.trim()).join('; ');
    return { status: 400, code: 'invalid-request', text: { vi: `Yêu cầu không hợp lệ: ${what}`, en: `Invalid request: ${what}` } };
  }
  switch (err.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return {
        status: 413,
        code: 'too-large',
        text: { vi: `Yêu cầu quá lớn (${err.message}); không lưu gì. Tài liệu tối đa 20 MB mỗi tệp.`, en: `The request is too large (${err.message}); nothing was stored. Documents are at most 20 MB each.` },
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported-media-type', text: { vi: `Kiểu nội dung không được nhận: ${err.message}`, en: `Unsupported content type: ${err.message}` } };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'invalid-json', text: { vi: `Nội dung JSON không hợp lệ: ${err.message}`, en: `Invalid JSON body: ${err.message}` } };
  }
  if (status === 429) {
    return { status, code: 'rate-limited', text: { vi: 'Quá nhiều lần thử; hãy đợi một phút rồi thử lại.', en: 'Too many attempts; wait a minute and try again.' } };
  }
  if (status >= 400 && status < 500) return { status, code: err.code ?? 'bad-request', text: { vi: err.message, en: err.message } };
  return undefined;
}

export function describeError(err: unknown): { status: number; code: string; text: Bilingual; details?: unknown } | undefined {
  if (err instanceof HttpError) return { status: err.status, code: err.code, text: err.text, ...(err.details !== undefined && { details: err.details }) };
  const withStatus = err as { status?: unknown; text?: Bilingual; code?: unknown };
  if (err instanceof UserError) {
    const status = typeof withStatus.status === 'number' && withStatus.status >= 400 && withStatus.status < 600 ? withStatus.status : PROBLEM_STATUS[err.problem];
    return { status, code: typeof withStatus.code === 'string' ? withStatus.code : err.problem, text: err.text };
  }
  if (err instanceof ChithiError) return { status: CHITHI_STATUS[err.code] ?? (err.permanent ? 400 : 503), code: err.code, text: err.text };
  if (err instanceof ConfigError) return { status: 500, code: 'configuration', text: err.text };
  if (err && typeof err === 'object' && 'code' in err && typeof (err as FastifyError).code === 'string' && 'statusCode' in err) return fastifyText(err as FastifyError);
  if (err && typeof err === 'object' && 'validation' in err) return fastifyText(err as FastifyError);
  return undefined;
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const lang = langOf(request);
  const known = describeError(err);
  if (known) {
    if (known.status >= 500) request.log.error({ err }, 'request failed');
    const body: ErrorBody = { error: { code: known.code, status: known.status, message: known.text[lang], text: known.text, ...(known.details !== undefined && { details: known.details }) } };
    return reply.status(known.status).send(body);
  }
  request.log.error({ err }, 'unexpected error');
  const ref = request.id;
  const text = {
    vi: `Lỗi nội bộ của máy chủ (mã tham chiếu ${ref}); không có gì thay đổi nếu thao tác chưa được báo là thành công. Hãy báo cho quản trị viên kèm mã này.`,
    en: `Internal server error (reference ${ref}); nothing changed unless the action was reported done. Tell the administrator, with this reference.`,
  };
  return reply.status(500).send({ error: { code: 'internal', status: 500, message: text[lang], text } } satisfies ErrorBody);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const text = { vi: `Không có địa chỉ ${request.method} ${request.url}. Xem /api/v1/openapi.json.`, en: `No route ${request.method} ${request.url}. See /api/v1/openapi.json.` };
  return reply.status(404).send({ error: { code: 'no-route', status: 404, message: text[langOf(request)], text } } satisfies ErrorBody);
}
