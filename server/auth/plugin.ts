/**
 * Who is asking: sets `request.actor` from an API token (`Authorization: Bearer …`) or a sign-in
 * session cookie, or leaves it null. Routes decide what an actor may do (server/authz.ts).
 *
 * Also, for every route: a cookie-authenticated POST/PUT/PATCH/DELETE must carry a CSRF token
 * (header `x-csrf-token` or form field `_csrf`, from `GET /api/v1/auth/csrf`). A browser attaches
 * the session cookie to a forged cross-site request; it never attaches a Bearer token, so Bearer
 * requests need no CSRF token. A route whose body itself proves who is asking (sign-in with a
 * password) opts out with `config: { csrf: false }`.
 *
 * Registers @fastify/cookie (its signing key generated once and kept in the database, see
 * serverSecret) and @fastify/csrf-protection: app.ts must not register them again.
 */
import { createHmac } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { findApiToken, findSession, serverSecret, touchApiToken, type AccountWithPassword } from '../../activities/store/index.js';
import type { ServerSettings } from '../../common/config.js';
import type { Actor } from '../../common/roles.js';
import { HttpError } from '../errors.js';
import { rememberSession, requestSession, SESSION_COOKIE, sessionCookieOptions, sessionIdHash } from './sessions.js';
import { hashToken } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** false: this state-changing route needs no CSRF token even with a session cookie. */
    csrf?: boolean;
  }
}

export interface AuthOptions {
  pool: pg.Pool;
  settings: ServerSettings;
}

/** The cookie holding the CSRF secret (signed); the token derived from it goes in a header or form field. */
export const CSRF_COOKIE = 'chithi_csrf';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A token's last use is written at most once a minute: "last used" answers "is this token still in
 * use?", which minute precision answers as well, and a script's burst of requests then costs no
 * write per request.
 */
const TOUCH_EVERY_MS = 60_000;

export function actorOf(account: AccountWithPassword, via: Actor['via']): Actor {
  return { login: account.login, unit: account.unitId, roles: account.roles, via, ...(account.displayName !== undefined && { displayName: account.displayName }) };
}

async function actorFromBearer(pool: pg.Pool, header: string): Promise<Actor> {
  const m = /^Bearer +([^\s]+) *$/i.exec(header);
  if (!m) {
    throw new HttpError(401, 'not-signed-in', {
      vi: 'Tiêu đề Authorization phải có dạng "Bearer <mã truy cập>" (mã của `chithi token create` hoặc `chithi login`).',
      en: 'The Authorization header must be "Bearer <token>" (a token from `chithi token create` or `chithi login`).',
    });
  }
  const match = await findApiToken(pool, hashToken(m[1]!));
  if (!match || match.revoked) {
    throw new HttpError(401, 'not-signed-in', {
      vi: 'Mã truy cập không đúng hoặc đã bị thu hồi. Đăng nhập lại bằng `chithi login`, hoặc tạo mã mới bằng `chithi token create` và đặt vào CHITHI_TOKEN.',
      en: 'The API token is unknown or was revoked. Sign in again with `chithi login`, or create a new one with `chithi token create` and put it in CHITHI_TOKEN.',
    });
  }
  if (match.account.disabled) {
    throw new HttpError(401, 'not-signed-in', {
      vi: `Tài khoản "${match.account.login}" đã bị khoá; hỏi quản trị viên.`,
      en: `Account "${match.account.login}" is disabled; ask an administrator.`,
    });
  }
  if (match.lastUsedAt === undefined || Date.now() - Date.parse(match.lastUsedAt) >= TOUCH_EVERY_MS) await touchApiToken(pool, match.id);
  return actorOf(match.account, 'token');
}

/** Runs @fastify/csrf-protection's check, turning its English-only reply into a bilingual error. */
function checkCsrf(app: { csrfProtection: (req: FastifyRequest, reply: FastifyReply, next: () => void) => void }, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  return new Promise((resolve, reject) => {
    // The check answers a failure with reply.send(error); catch that instead, so the error goes
    // through the server's error handler like every other and is shown in the request's language.
    const capture = Object.create(reply, {
      send: {
        value: (err: unknown) => {
          reject(
            new HttpError(
              403,
              'csrf-token',
              {
                vi: 'Thiếu mã chống giả mạo (CSRF) hoặc mã không đúng. Lấy mã ở GET /api/v1/auth/csrf rồi gửi trong tiêu đề x-csrf-token (hoặc trường _csrf của biểu mẫu); tải lại trang nếu đang dùng cổng thông tin.',
                en: 'The CSRF token is missing or wrong. Get one from GET /api/v1/auth/csrf and send it in the x-csrf-token header (or the form field _csrf); reload the page if you are on the portal.',
              },
              undefined,
              { cause: err },
            ),
          );
          return capture;
        },
      },
    }) as FastifyReply;
    app.csrfProtection(request, capture, () => resolve());
  });
}

export const authPlugin = fp<AuthOptions>(
  async (app, { pool, settings }) => {
    const secret = await serverSecret(pool, 'cookie');
    await app.register(fastifyCookie, { secret });
    await app.register(fastifyCsrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: CSRF_COOKIE,
      cookieOpts: { ...sessionCookieOptions(settings), signed: true },
      // Bound to the session: a token fetched in one session (or by another person) fails in another.
      getUserInfo: (request) => requestSession(request) ?? '',
      csrfOpts: { hmacKey: createHmac('sha256', secret).update('csrf').digest() },
    });
    app.decorateRequest('actor', null);

    app.addHook('onRequest', async (request, reply) => {
      const header = request.headers.authorization;
      if (header !== undefined) {
        // An explicit credential that does not work is an error, never a silent fall-back to
        // anonymous or to a cookie: a script would otherwise act as someone else, or as nobody.
        request.actor = await actorFromBearer(pool, header);
        return;
      }
      const raw = request.cookies[SESSION_COOKIE];
      if (!raw) return;
      const idHash = sessionIdHash(raw);
      const session = await findSession(pool, idHash);
      if (!session || session.account.disabled) {
        // Expired, signed out elsewhere, or disabled: the browser is simply not signed in anymore.
        reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(settings));
        return;
      }
      request.actor = actorOf(session.account, 'session');
      rememberSession(request, idHash);
    });

    // preValidation: after the body is parsed (a form's _csrf field is there) and before schema
    // validation, which would strip that field.
    app.addHook('preValidation', async (request, reply) => {
      if (!UNSAFE.has(request.method) || request.actor?.via !== 'session') return;
      if (request.routeOptions.config.csrf === false) return;
      await checkCsrf(app, request, reply);
    });
  },
  { name: 'chithi-auth', fastify: '5.x' },
);
