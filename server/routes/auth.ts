/**
 * Signing in and out, the current actor, and API tokens:
 *
 *   POST   /api/v1/auth/login     {login, password} (JSON or form) → sets chithi_session; {login, unit, roles, …}
 *   POST   /api/v1/auth/token     {login, password, name} → {token, name, createdAt, login, unit, roles, …}  (`chithi login`)
 *   POST   /api/v1/auth/logout    → 204, session ended
 *   GET    /api/v1/auth/csrf      → {token} for the signed-in browser's changes
 *   GET    /api/v1/me             → the actor (401 when none)
 *   POST   /api/v1/tokens         {name} → 201 {token, name, createdAt}
 *   GET    /api/v1/tokens         → {tokens: [{name, createdAt, lastUsedAt?}]}
 *   DELETE /api/v1/tokens/:name   → 204 (404 when no live token has that name)
 *   GET    /auth/oidc/login       → 302 to the single sign-on provider  (only when OIDC is configured)
 *   GET    /auth/oidc/callback    → session, 302 to /; 403 for an account nobody provisioned
 *
 * Needs authPlugin registered first (cookies, request.actor, CSRF).
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import type pg from 'pg';
import { getAccount, listApiTokens, revokeApiToken, type AccountWithPassword } from '../../activities/store/index.js';
import type { ServerSettings } from '../../common/config.js';
import { ROLES } from '../../common/roles.js';
import { OIDC_COOKIE, OIDC_COOKIE_MINUTES, OidcClient, type PendingSignIn } from '../auth/oidc.js';
import { MAX_PASSWORD, verifyPassword } from '../auth/passwords.js';
import { actorOf } from '../auth/plugin.js';
import { requireActor } from '../context.js';
import { HttpError } from '../errors.js';
import { closeSession, openSession, requestSession, sessionCookieOptions } from '../auth/sessions.js';
import { signInLimitPlugin } from '../auth/sign-in-limit.js';
import { issueToken, TOKEN_NAME_PATTERN } from '../auth/tokens.js';

export interface AuthRoutesOptions {
  pool: pg.Pool;
  settings: ServerSettings;
}

const TAGS = ['auth'];

/** The server's one error shape (server/errors.ts ERROR_SCHEMA). */
const ERROR = { $ref: 'Error#' } as const;

const ACTOR_PROPERTIES = {
  login: { type: 'string' },
  unit: { type: 'string', description: 'the registry unit of the account' },
  roles: { type: 'array', items: { type: 'string', enum: [...ROLES] } },
  displayName: { type: 'string' },
} as const;

const ACTOR = {
  type: 'object',
  properties: { ...ACTOR_PROPERTIES, via: { type: 'string', enum: ['session', 'token'] } },
  required: ['login', 'unit', 'roles', 'via'],
} as const;

const SIGNED_IN = { type: 'object', properties: ACTOR_PROPERTIES, required: ['login', 'unit', 'roles'] } as const;

const CREDENTIALS = {
  login: { type: 'string', minLength: 1, maxLength: 200 },
  password: { type: 'string', minLength: 1, maxLength: MAX_PASSWORD },
} as const;

const TOKEN_NAME = { type: 'string', pattern: TOKEN_NAME_PATTERN, description: 'unique among the account\'s live tokens' } as const;

const NEW_TOKEN = {
  type: 'object',
  properties: { token: { type: 'string', description: 'shown once: only its hash is kept' }, name: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } },
  required: ['token', 'name', 'createdAt'],
} as const;

const NO_CONTENT = { type: 'null', description: 'done' } as const;
const REDIRECT = { type: 'null', description: 'redirect (Location header)' } as const;

/** One answer for an unknown login and a wrong password: which logins exist is nobody's business. */
const WRONG_CREDENTIALS = {
  vi: 'Sai tên đăng nhập hoặc mật khẩu. Kiểm tra lại (chữ hoa/thường của mật khẩu), hoặc hỏi quản trị viên.',
  en: 'Wrong login or password. Check them (passwords are case-sensitive), or ask an administrator.',
};

function disabled(login: string): HttpError {
  return new HttpError(403, 'not-allowed', { vi: `Tài khoản "${login}" đã bị khoá; hỏi quản trị viên.`, en: `Account "${login}" is disabled; ask an administrator.` });
}

function signedIn(a: AccountWithPassword) {
  const { via: _, ...rest } = actorOf(a, 'session');
  return rest;
}

/**
 * The account whose password this is; the same error whether the login or the password is wrong.
 * Also the portal's sign-in form (server/portal/), so both check a password the same way.
 */
export async function checkPassword(pool: pg.Pool, login: string, password: string): Promise<AccountWithPassword> {
  const account = await getAccount(pool, login);
  // Verify even without an account (a dummy hash) so the time taken does not tell either.
  const ok = await verifyPassword(account?.passwordHash, password);
  if (!account || !ok) throw new HttpError(401, 'wrong-credentials', WRONG_CREDENTIALS);
  if (account.disabled) throw disabled(account.login);
  return account;
}

export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (app, { pool, settings }) => {
  // The sign-in form of the portal posts x-www-form-urlencoded; app.ts may have registered it already.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);
  // One budget (one limiter, one counter) for every way of trying a password, per client address,
  // shared with the portal's sign-in form (server/auth/sign-in-limit.ts); app.ts registers it at
  // the root, and a server without it (the identity tests') gets it here.
  if (!app.hasDecorator('signInLimit')) await app.register(signInLimitPlugin, { settings });
  const signInLimit = app.signInLimit;

  app.post<{ Body: { login: string; password: string } }>(
    '/api/v1/auth/login',
    {
      // The password in the body is the proof: an old session cookie must not demand a CSRF token.
      onRequest: signInLimit,
      config: { csrf: false },
      schema: {
        tags: TAGS,
        summary: 'Sign in with a local account: sets the session cookie chithi_session',
        body: { type: 'object', properties: CREDENTIALS, required: ['login', 'password'] },
        response: { 200: SIGNED_IN, 401: ERROR, 403: ERROR, 429: ERROR },
      },
    },
    async (request, reply) => {
      const account = await checkPassword(pool, request.body.login, request.body.password);
      await openSession(pool, settings, reply, account.login, 'password');
      return signedIn(account);
    },
  );

  app.post<{ Body: { login: string; password: string; name: string } }>(
    '/api/v1/auth/token',
    {
      onRequest: signInLimit,
      config: { csrf: false },
      schema: {
        tags: TAGS,
        summary: 'Sign in with a local account and get an API token (what `chithi login` does)',
        body: { type: 'object', properties: { ...CREDENTIALS, name: TOKEN_NAME }, required: ['login', 'password', 'name'] },
        response: {
          201: { type: 'object', properties: { ...NEW_TOKEN.properties, ...ACTOR_PROPERTIES }, required: [...NEW_TOKEN.required, 'login', 'unit', 'roles'] },
          401: ERROR,
          403: ERROR,
          409: ERROR,
          429: ERROR,
        },
      },
    },
    async (request, reply) => {
      const account = await checkPassword(pool, request.body.login, request.body.password);
      const issued = await issueToken(pool, account.login, request.body.name);
      reply.code(201);
      return { ...issued, ...signedIn(account) };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags: TAGS, summary: 'Sign out: ends the session of the cookie', response: { 204: NO_CONTENT, 403: ERROR } } },
    async (request, reply) => {
      await closeSession(pool, settings, request, reply);
      reply.code(204);
    },
  );

  app.get(
    '/api/v1/auth/csrf',
    {
      schema: {
        tags: TAGS,
        summary: 'A CSRF token for the signed-in browser: send it as x-csrf-token (or form field _csrf) with every change',
        response: { 200: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] }, 401: ERROR },
      },
    },
    async (request, reply) => {
      const session = requestSession(request);
      if (!session) {
        throw new HttpError(401, 'not-signed-in', {
          vi: 'Mã CSRF chỉ dành cho trình duyệt đã đăng nhập (cookie phiên). Với mã truy cập (Bearer) thì không cần mã CSRF.',
          en: 'CSRF tokens are for a signed-in browser (session cookie). Requests with an API token (Bearer) need none.',
        });
      }
      return { token: reply.generateCsrf({ userInfo: session }) };
    },
  );

  app.get('/api/v1/me', { schema: { tags: TAGS, summary: 'Who is signed in', response: { 200: ACTOR, 401: ERROR } } }, async (request) => requireActor(request));

  // ---- API tokens of the signed-in account

  app.post<{ Body: { name: string } }>(
    '/api/v1/tokens',
    {
      schema: {
        tags: TAGS,
        summary: 'Create an API token for the signed-in account (shown once)',
        body: { type: 'object', properties: { name: TOKEN_NAME }, required: ['name'] },
        response: { 201: NEW_TOKEN, 401: ERROR, 403: ERROR, 409: ERROR },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { token, name, createdAt } = await issueToken(pool, actor.login, request.body.name);
      reply.code(201);
      return { token, name, createdAt };
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      schema: {
        tags: TAGS,
        summary: "The signed-in account's live API tokens (names and dates, never the tokens)",
        response: {
          200: {
            type: 'object',
            properties: {
              tokens: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { name: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, lastUsedAt: { type: 'string', format: 'date-time', description: 'to the minute' } },
                  required: ['name', 'createdAt'],
                },
              },
            },
            required: ['tokens'],
          },
          401: ERROR,
        },
      },
    },
    async (request) => ({ tokens: await listApiTokens(pool, requireActor(request).login) }),
  );

  app.delete<{ Params: { name: string } }>(
    '/api/v1/tokens/:name',
    {
      schema: {
        tags: TAGS,
        summary: 'Revoke one of the signed-in account\'s API tokens',
        params: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        response: { 204: NO_CONTENT, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!(await revokeApiToken(pool, actor.login, request.params.name))) {
        throw new HttpError(404, 'not-found', {
          vi: `Không có mã truy cập còn hiệu lực tên "${request.params.name}". Xem: chithi token list`,
          en: `No live API token named "${request.params.name}". See: chithi token list`,
        });
      }
      reply.code(204);
    },
  );

  // ---- single sign-on

  if (settings.oidc) {
    const client = new OidcClient(settings.oidc, `${settings.publicUrl}/auth/oidc/callback`);
    // Path-scoped: the browser sends it to the callback only; signed: it cannot be planted.
    const cookieOptions = { ...sessionCookieOptions(settings), path: '/auth/oidc', signed: true, maxAge: OIDC_COOKIE_MINUTES * 60 };

    app.get(
      '/auth/oidc/login',
      { onRequest: signInLimit, schema: { tags: TAGS, summary: 'Single sign-on: redirects to the provider', response: { 302: REDIRECT, 502: ERROR } } },
      async (_request, reply) => {
        const { url, pending } = await client.start();
        reply.setCookie(OIDC_COOKIE, JSON.stringify(pending), cookieOptions);
        return reply.redirect(url);
      },
    );

    app.get(
      '/auth/oidc/callback',
      {
        schema: {
          tags: TAGS,
          summary: 'Single sign-on: the provider sends the browser back here; opens a session for a provisioned account and redirects to /',
          response: { 302: REDIRECT, 400: ERROR, 403: ERROR, 502: ERROR },
        },
      },
      async (request, reply) => {
        const pending = readPending(request.cookies[OIDC_COOKIE], (v) => request.unsignCookie(v));
        reply.clearCookie(OIDC_COOKIE, cookieOptions);
        if (!pending) {
          throw new HttpError(400, 'sign-in-expired', {
            vi: 'Phiên đăng nhập một lần đã hết hạn hoặc không hợp lệ. Bắt đầu lại ở /auth/oidc/login.',
            en: 'The single sign-on attempt expired or is not valid. Start again at /auth/oidc/login.',
          });
        }
        // request.url is the path and query as the browser sent them; the public URL gives the
        // scheme and host the provider redirected to (behind a reverse proxy they differ).
        const login = await client.finish(new URL(settings.publicUrl + request.url), pending);
        const account = login === undefined ? undefined : await getAccount(pool, login);
        if (!account) {
          const who = login ?? '?';
          throw new HttpError(403, 'not-provisioned', {
            vi: `Chưa có tài khoản chithi cho "${who}" (claim ${client.settings.loginClaim} của nhà cung cấp). Hãy nhờ quản trị viên tạo: chithi users add ${who} --unit <mã-đơn-vị> --role <vai-trò>`,
            en: `There is no chithi account for "${who}" (the provider's ${client.settings.loginClaim} claim). Ask an administrator to create it: chithi users add ${who} --unit <unit-id> --role <role>`,
          });
        }
        if (account.disabled) throw disabled(account.login);
        await openSession(pool, settings, reply, account.login, 'oidc');
        return reply.redirect('/');
      },
    );
  }
};

function readPending(raw: string | undefined, unsign: (v: string) => { valid: boolean; value: string | null }): PendingSignIn | undefined {
  if (!raw) return undefined;
  const { valid, value } = unsign(raw);
  if (!valid || value === null) return undefined;
  try {
    const p = JSON.parse(value) as Partial<PendingSignIn>;
    return typeof p.verifier === 'string' && typeof p.state === 'string' && typeof p.nonce === 'string' ? { verifier: p.verifier, state: p.state, nonce: p.nonce } : undefined;
  } catch {
    return undefined;
  }
}
