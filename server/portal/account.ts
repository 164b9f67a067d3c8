/**
 * Trang tài khoản trên cổng: ai đang đăng nhập (tên đăng nhập, đơn vị, vai trò) và các mã truy cập
 * API của tài khoản: danh sách, tạo (mã chỉ hiện một lần), thu hồi. Cùng các hàm mà API
 * /api/v1/tokens dùng (server/auth/tokens.ts, activities/store/tokens.ts): một mã tạo ở đây dùng được
 * với `chithi` và mọi tập lệnh, và thu hồi ở đây thì API từ chối nó ngay.
 * The account page: who is signed in (login, unit, roles) and the account's API tokens: list, create
 * (the token shown once), revoke. The same functions as the API's /api/v1/tokens, so a token made
 * here works with `chithi` and any script, and one revoked here is refused by the API at once.
 *
 *   GET  /tai-khoan                       the account and its live tokens
 *   POST /tai-khoan/ma-truy-cap           {name} → the page, with the new token shown once
 *   POST /tai-khoan/ma-truy-cap/thu-hoi   {name} → revoked, back to the page
 *
 * Every signed-in account has this page, whatever its roles: a token acts with the account's own
 * permissions (server/authz.ts), so making one gives nothing the account does not already have.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listApiTokens, listLatestDeployments, revokeApiToken } from '../../activities/store/index.js';
import type { Actor } from '../../common/roles.js';
import { issueToken, TOKEN_NAME_PATTERN } from '../auth/tokens.js';
import { requireActor, type ServerDeps } from '../context.js';
import { describeError, HttpError } from '../errors.js';
import { pageLang } from './present.js';

/** The portal's page renderer (server/portal/index.ts): layout data, CSRF token, cache headers. */
type Page = (request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown>, status?: number) => Promise<unknown>;

export const ACCOUNT_PATH = '/tai-khoan';
const TOKEN_NAME = new RegExp(TOKEN_NAME_PATTERN);

export async function accountRoutes(app: FastifyInstance, deps: ServerDeps, page: Page): Promise<void> {
  const { pool } = deps;

  /**
   * The unit's name as the deployed directives' registries give it (the account stores only its
   * id); the id alone when no deployed directive mentions the unit.
   */
  async function unitName(actor: Actor): Promise<{ vi: string; en?: string } | undefined> {
    for (const d of await listLatestDeployments(pool)) {
      const u = d.plan.units[actor.unit];
      if (u) return u.name;
    }
    return undefined;
  }

  async function show(request: FastifyRequest, reply: FastifyReply, extra: { created?: { token: string; name: string }; revoked?: string; error?: string; name?: string }, status = 200) {
    const actor = requireActor(request);
    return page(request, reply, 'tokens', { account: actor, unitName: await unitName(actor), tokens: await listApiTokens(pool, actor.login), ...extra }, status);
  }

  app.get<{ Querystring: { 'da-thu-hoi'?: string } }>(ACCOUNT_PATH, { schema: { hide: true } }, async (request, reply) => {
    const revoked = request.query['da-thu-hoi'];
    return show(request, reply, { ...(revoked !== undefined && { revoked }) });
  });

  app.post<{ Body: { name?: string } }>(`${ACCOUNT_PATH}/ma-truy-cap`, { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    const lang = pageLang(request, reply);
    const name = (request.body?.name ?? '').trim();
    if (!TOKEN_NAME.test(name)) {
      const error = { vi: 'Tên mã: chữ cái không dấu, chữ số và . _ : -, bắt đầu bằng chữ hoặc số, tối đa 64 ký tự (ví dụ: may-chu-bao-cao).', en: 'Token name: letters, digits and . _ : -, starting with a letter or digit, at most 64 characters (e.g. report-server).' };
      return show(request, reply, { error: error[lang], name }, 400);
    }
    try {
      const issued = await issueToken(pool, actor.login, name);
      // Shown in this response only (never in a URL or a redirect): only its hash is kept.
      return await show(request, reply, { created: { token: issued.token, name: issued.name } }, 201);
    } catch (err) {
      const known = describeError(err);
      if (known?.status !== 409) throw err;
      return show(request, reply, { error: known.text[lang], name }, 409);
    }
  });

  app.post<{ Body: { name?: string } }>(`${ACCOUNT_PATH}/ma-truy-cap/thu-hoi`, { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    const name = request.body?.name ?? '';
    if (!(await revokeApiToken(pool, actor.login, name))) {
      throw new HttpError(404, 'not-found', { vi: `Không có mã truy cập còn hiệu lực tên "${name}".`, en: `No live API token named "${name}".` });
    }
    return reply.redirect(`${ACCOUNT_PATH}?da-thu-hoi=${encodeURIComponent(name)}`, 303);
  });
}
