/**
 * Sign-in sessions for browsers: a random id in an http-only cookie, its SHA-256 in the `sessions`
 * table (activities/store/sessions.ts). The id is 32 random bytes, so the cookie needs no signature:
 * a forged id matches no row.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { createSession, deleteSession } from '../../activities/store/index.js';
import type { ServerSettings } from '../../common/config.js';

export const SESSION_COOKIE = 'chithi_session';

/**
 * Lax, not Strict: following a link to the portal from an e-mail notice must arrive signed in.
 * State-changing requests do not rely on SameSite alone: they need a CSRF token (plugin.ts).
 */
export function sessionCookieOptions(settings: ServerSettings): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', secure: settings.secureCookies, path: '/' };
}

export function sessionIdHash(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

// The session a request was authenticated by, for sign-out and CSRF binding. A WeakMap rather than
// a request decoration: nothing outside server/auth/ should reach for it.
const sessionOfRequest = new WeakMap<FastifyRequest, string>();

export function rememberSession(request: FastifyRequest, idHash: string): void {
  sessionOfRequest.set(request, idHash);
}

/** The hash of the session that authenticated this request, if a session did. */
export function requestSession(request: FastifyRequest): string | undefined {
  return sessionOfRequest.get(request);
}

/** Opens a session for `login` and sets its cookie; expires with the cookie after settings.sessionTtlHours. */
export async function openSession(pool: pg.Pool, settings: ServerSettings, reply: FastifyReply, login: string, via: 'password' | 'oidc'): Promise<void> {
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + settings.sessionTtlHours * 3_600_000);
  await createSession(pool, { idHash: sessionIdHash(id), login, via, expiresAt });
  reply.setCookie(SESSION_COOKIE, id, { ...sessionCookieOptions(settings), expires: expiresAt });
}

/** Ends the request's session (if any) and clears the cookie either way. */
export async function closeSession(pool: pg.Pool, settings: ServerSettings, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const raw = request.cookies[SESSION_COOKIE];
  if (raw) await deleteSession(pool, sessionIdHash(raw));
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(settings));
}
