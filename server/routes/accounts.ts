import type { FastifyInstance } from 'fastify';
import { disableAccount, listAccounts } from '../../activities/store/accounts.js';
import { authorize } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';
import { HttpError } from '../errors.js';

/**
 * Accounts, for administrators: list and disable. Creating one stays an operator command
 * (`chithi users add`, password on stdin) until the portal has a form for it: a password must not
 * travel in a script's JSON.
 */
export async function accountRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { pool } = deps;
  const ACCOUNT = {
    type: 'object',
    properties: {
      login: { type: 'string' },
      unitId: { type: 'string' },
      displayName: { type: 'string' },
      roles: { type: 'array', items: { type: 'string' } },
      disabled: { type: 'boolean' },
      hasPassword: { type: 'boolean' },
      createdAt: { type: 'string' },
      createdBy: { type: 'string' },
    },
  } as const;
  app.get('/api/v1/accounts', { schema: { tags: ['accounts'], summary: 'Every account (administrator)', response: { 200: { type: 'array', items: ACCOUNT }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' } } } }, async (request) => {
    authorize(requireActor(request), 'accounts.manage');
    return listAccounts(pool);
  });
  app.post<{ Params: { login: string } }>(
    '/api/v1/accounts/:login/disable',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Disable an account: its sessions and tokens stop working at once (administrator)',
        params: { type: 'object', required: ['login'], properties: { login: { type: 'string' } } },
        response: { 200: { type: 'object', properties: { login: { type: 'string' }, disabled: { type: 'boolean' } } }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 404: { $ref: 'Error#' } },
      },
    },
    async (request) => {
      authorize(requireActor(request), 'accounts.manage');
      if (!(await disableAccount(pool, request.params.login))) {
        throw new HttpError(404, 'not-found', { vi: `Không có tài khoản "${request.params.login}".`, en: `No account "${request.params.login}".` });
      }
      return { login: request.params.login, disabled: true };
    },
  );
}
