import type { FastifyInstance } from 'fastify';
import { markInboxRead, readInbox } from '../../activities/store/index.js';
import { authorize } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';

/** A unit's in-app notices: what was (or will be) e-mailed, readable by the unit's own people. */
export async function inboxRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { pool } = deps;
  app.get<{ Querystring: { unit?: string; unread?: boolean; limit?: number } }>(
    '/api/v1/inbox',
    {
      schema: {
        tags: ['inbox'],
        summary: "A unit's notices, newest first (default: the actor's unit)",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { unit: { type: 'string' }, unread: { type: 'boolean' }, limit: { type: 'integer', minimum: 1, maximum: 500 } },
        },
        response: { 200: { type: 'array', items: { $ref: 'InboxNotice#' } }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' } },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const unit = request.query.unit ?? actor.unit;
      authorize(actor, 'inbox.read', { unit });
      return readInbox(pool, unit, { ...(request.query.unread && { unreadOnly: true }), limit: request.query.limit ?? 50 });
    },
  );
  app.post<{ Body: { unit?: string; ids?: string[] } }>(
    '/api/v1/inbox/read',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Mark notices read (all of the unit\'s unread ones when no ids are given)',
        body: { type: 'object', additionalProperties: false, properties: { unit: { type: 'string' }, ids: { type: 'array', items: { type: 'string', pattern: '^[0-9]+$' }, maxItems: 1000 } } },
        response: { 200: { type: 'object', properties: { marked: { type: 'integer' } } }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' } },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const unit = request.body.unit ?? actor.unit;
      authorize(actor, 'inbox.read', { unit });
      return { marked: await markInboxRead(pool, unit, request.body.ids) };
    },
  );
}
