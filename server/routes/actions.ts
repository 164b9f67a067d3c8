/**
 * Việc của đơn vị và cơ quan duyệt: nộp minh chứng, duyệt, đề nghị và quyết định gia hạn, báo cáo sự
 * kiện. Mỗi việc: xác định người làm (từ đăng nhập), tìm phiên, kiểm quyền, rồi mới lưu và báo phiên.
 * The units' and reviewers' actions: submit evidence, review, request and decide extensions, report
 * events. Each: who acts (from the credential), which instance, whether they may, and only then
 * store and signal: a refused request has written nothing.
 */
import type { FastifyInstance } from 'fastify';
import { actorName } from '../../common/roles.js';
import { decideExtension, requestExtension } from '../../service/extension.js';
import { reportEvent } from '../../service/report-event.js';
import { review } from '../../service/review.js';
import { deployedPlan, resolveTarget } from '../../service/target.js';
import { authorize } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';
import { receiveSubmission } from '../submission-form.js';

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
      const result = await receiveSubmission(request, reply, actor, deps);
      return reply.status(result.created ? 201 : 200).send(result);
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
