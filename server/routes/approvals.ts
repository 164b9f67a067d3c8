/**
 * Lãnh đạo đơn vị phê duyệt minh chứng đơn vị gửi đi: danh sách chờ và quyết định.
 * The unit head approves what the unit sends out: the pending list and the decision. As for every
 * action: who acts, on what, whether they may, and only then record and signal.
 */
import type { FastifyInstance } from 'fastify';
import { getSubmission } from '../../activities/store/index.js';
import { actorName } from '../../common/roles.js';
import { decideSubmission, pendingApprovals } from '../../service/approval.js';
import { deployedPlan } from '../../service/target.js';
import { authorize } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';

const ERRORS = { 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 404: { $ref: 'Error#' }, 409: { $ref: 'Error#' } } as const;

export async function approvalRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { pool, client, config } = deps;

  app.get<{ Querystring: { unit?: string } }>(
    '/api/v1/approvals',
    {
      schema: {
        tags: ['actions'],
        summary: "The unit's submissions awaiting its unit head's approval, oldest first (default: the actor's unit)",
        description: 'Allowed: a unit head of the unit.',
        querystring: { type: 'object', additionalProperties: false, properties: { unit: { type: 'string', minLength: 1, maxLength: 200 } } },
        response: { 200: { type: 'array', items: { $ref: 'PendingSubmission#' } }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' } },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const unit = request.query.unit ?? actor.unit;
      authorize(actor, 'submission.approve', { unit });
      return pendingApprovals(pool, unit);
    },
  );

  app.post<{ Params: { id: string }; Body: { decision: 'approve' | 'return'; comment?: string } }>(
    '/api/v1/submissions/:id/approval',
    {
      schema: {
        tags: ['actions'],
        summary: 'Approve a pending submission (it is sent to the reviewer) or return it to the officer (with a comment)',
        description:
          "Allowed: a unit head of the submission's unit. One decision per submission: the same again is a retry (an approved one is sent again), the other one 409.",
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 100 } } },
        body: {
          type: 'object',
          required: ['decision'],
          additionalProperties: false,
          properties: { decision: { type: 'string', enum: ['approve', 'return'] }, comment: { type: 'string', description: 'at most 2000 characters; required to return' } },
        },
        response: { 201: { $ref: 'ApprovalResult#' }, 200: { $ref: 'ApprovalResult#' }, ...ERRORS },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const sub = await getSubmission(pool, request.params.id);
      // The plan only to judge the scope; a withdrawn directive's pending submission can still be returned.
      const plan = await deployedPlan(pool, sub.directiveId, { allowWithdrawn: true });
      authorize(actor, 'submission.approve', { unit: sub.unitId, plan });
      const { decision, comment } = request.body;
      const result = await decideSubmission({ submissionId: sub.submissionId, decision, ...(comment !== undefined && { comment }), by: actorName(actor) }, { client, pool, config });
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );
}
