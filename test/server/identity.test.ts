/**
 * Sign-in, sessions, CSRF, API tokens and the sign-in rate limit, on the real auth plugin and
 * routes with a real (fresh, migrated) PostgreSQL.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, disableAccount } from '../../activities/store/index.js';
import { loadConfig, serverSettings } from '../../common/config.js';
import { buildServer } from '../../server/app.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { identityApp } from './identity-app.js';

const PASSWORD = 'mật-khẩu-đủ-dài';

interface Cookie {
  name: string;
  value: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  path?: string;
  expires?: Date;
}

function cookieHeader(cookies: Cookie[]): string {
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

describe('identity: sign-in, sessions, CSRF, tokens', () => {
  let db: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    const passwordHash = await hashPassword(PASSWORD);
    await createAccount(db.pool, { login: 'NguyenVanA', unitId: 'so-y-te', roles: ['officer'], displayName: 'Nguyễn Văn A', passwordHash, createdBy: 'test' });
    await createAccount(db.pool, { login: 'tranthib', unitId: 'so-tttt', roles: ['reviewer', 'officer'], passwordHash, createdBy: 'test' });
    await createAccount(db.pool, { login: 'khoa', unitId: 'so-y-te', roles: ['officer'], passwordHash, createdBy: 'test' });
    await disableAccount(db.pool, 'khoa');
    ({ app } = await identityApp(db.pool, { CHITHI_LOGIN_RATE: '1000' }));
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const login = (body: Record<string, string>, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body, headers: { 'accept-language': 'en', ...headers } });

  async function signIn(): Promise<Cookie[]> {
    const res = await login({ login: 'nguyenvana', password: PASSWORD });
    expect(res.statusCode).toBe(200);
    return res.cookies as Cookie[];
  }

  it('signs in with a password (login in any case): session cookie http-only, SameSite=Lax, not Secure over http', async () => {
    const res = await login({ login: 'NGUYENVANA', password: PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ login: 'nguyenvana', unit: 'so-y-te', roles: ['officer'], displayName: 'Nguyễn Văn A' });
    const c = (res.cookies as Cookie[]).find((x) => x.name === 'chithi_session')!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(c.secure).toBeFalsy();
    const hours = (c.expires!.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader([c]) } });
    expect(me.json()).toEqual({ login: 'nguyenvana', unit: 'so-y-te', roles: ['officer'], displayName: 'Nguyễn Văn A', via: 'session' });
  });

  it('a form post signs in too', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `login=tranthib&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ login: 'tranthib', unit: 'so-tttt' });
  });

  it('the same 401 and message for an unknown login and a wrong password; a disabled account is refused', async () => {
    const unknown = await login({ login: 'nobody', password: PASSWORD });
    const wrong = await login({ login: 'nguyenvana', password: 'not-the-password' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.json().error.message).toMatch(/Wrong login or password/);
    expect(unknown.cookies).toEqual([]);
    const vi = await login({ login: 'nobody', password: 'x' }, { 'accept-language': 'vi' });
    expect(vi.json().error.message).toMatch(/^Sai tên đăng nhập hoặc mật khẩu/);
    const disabled = await login({ login: 'khoa', password: PASSWORD });
    expect(disabled.statusCode).toBe(403);
    expect(disabled.json().error.message).toMatch(/disabled/);
  });

  it('GET /api/v1/me without a credential is 401', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'not-signed-in' });
  });

  it('a cookie-authenticated POST needs a CSRF token bound to its session; a Bearer POST does not', async () => {
    const cookies = await signIn();
    const cookie = cookieHeader(cookies);
    const bare = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'portal' }, headers: { cookie, 'accept-language': 'en' } });
    expect(bare.statusCode).toBe(403);
    expect(bare.json().error).toMatchObject({ code: 'csrf-token' });
    expect(bare.json().error.message).toMatch(/x-csrf-token/);

    const csrf = await app.inject({ method: 'GET', url: '/api/v1/auth/csrf', headers: { cookie } });
    expect(csrf.statusCode).toBe(200);
    const withSecret = cookieHeader([...cookies, ...(csrf.cookies as Cookie[])]);
    const token = csrf.json().token as string;
    const ok = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'portal' }, headers: { cookie: withSecret, 'x-csrf-token': token } });
    expect(ok.statusCode).toBe(201);

    // The same CSRF secret and token with another session of the same person: refused.
    const other = cookieHeader([...(await signIn()), ...(csrf.cookies as Cookie[])]);
    const crossed = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'portal-2' }, headers: { cookie: other, 'x-csrf-token': token } });
    expect(crossed.statusCode).toBe(403);

    const bearer = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'script' }, headers: { authorization: `Bearer ${ok.json().token}` } });
    expect(bearer.statusCode).toBe(201);
  });

  it('logout needs the CSRF token and ends the session', async () => {
    const cookies = await signIn();
    const csrf = await app.inject({ method: 'GET', url: '/api/v1/auth/csrf', headers: { cookie: cookieHeader(cookies) } });
    const all = cookieHeader([...cookies, ...(csrf.cookies as Cookie[])]);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: all } })).statusCode).toBe(403);
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: all, 'x-csrf-token': csrf.json().token } });
    expect(out.statusCode).toBe(204);
    expect((out.cookies as Cookie[]).find((c) => c.name === 'chithi_session')?.value).toBe('');
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(cookies) } });
    expect(me.statusCode).toBe(401);
    // The stale cookie is cleared rather than left to be sent again.
    expect((me.cookies as Cookie[]).find((c) => c.name === 'chithi_session')?.value).toBe('');
  });

  it('tokens: issued by password, listed, revoked; a revoked or unknown token is 401, not anonymous; only hashes are stored', async () => {
    const issued = await app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { login: 'TranThiB', password: PASSWORD, name: 'cli-laptop-2025-01-02' } });
    expect(issued.statusCode).toBe(201);
    const body = issued.json();
    expect(body).toMatchObject({ name: 'cli-laptop-2025-01-02', login: 'tranthib', unit: 'so-tttt', roles: ['reviewer', 'officer'] });
    expect(body.token).toMatch(/^chithi_[A-Za-z0-9_-]{43}$/);
    const auth = { authorization: `Bearer ${body.token}` };

    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth });
    expect(me.json()).toMatchObject({ login: 'tranthib', via: 'token' });

    const dup = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'cli-laptop-2025-01-02' }, headers: { ...auth, 'accept-language': 'en' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toMatch(/already exists/);

    const second = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'ci' }, headers: auth });
    expect(second.statusCode).toBe(201);
    const list = await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: auth });
    expect(list.json().tokens.map((t: { name: string }) => t.name)).toEqual(['ci', 'cli-laptop-2025-01-02']);
    expect(list.json().tokens[1].lastUsedAt).toBeDefined();
    expect(JSON.stringify(list.json())).not.toContain(body.token);

    const { rows } = await db.pool.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens');
    const table = JSON.stringify(rows);
    expect(table).not.toContain(body.token);
    expect(table).not.toContain(second.json().token);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);

    expect((await app.inject({ method: 'DELETE', url: '/api/v1/tokens/ci', headers: auth })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/tokens/ci', headers: auth })).statusCode).toBe(404);
    const revoked = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${second.json().token}`, 'accept-language': 'en' } });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.message).toMatch(/unknown or was revoked/);
    // A revoked token is refused even where no actor is needed.
    const elsewhere = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'tranthib', password: PASSWORD }, headers: { authorization: 'Bearer chithi_nope' } });
    expect(elsewhere.statusCode).toBe(401);
    const malformed = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Basic dXNlcjpwYXNz', 'accept-language': 'en' } });
    expect(malformed.statusCode).toBe(401);
    expect(malformed.json().error.message).toMatch(/Bearer <token>/);
    // The name of a revoked token may be used again.
    expect((await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'ci' }, headers: auth })).statusCode).toBe(201);
  });

  it("a disabled account's token stops working and its sessions end", async () => {
    await createAccount(db.pool, { login: 'tamthoi', unitId: 'so-y-te', roles: ['officer'], passwordHash: await hashPassword(PASSWORD), createdBy: 'test' });
    const issued = await app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { login: 'tamthoi', password: PASSWORD, name: 'x' } });
    const session = await login({ login: 'tamthoi', password: PASSWORD });
    await disableAccount(db.pool, 'tamthoi');
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${issued.json().token}` } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(session.cookies as Cookie[]) } })).statusCode).toBe(401);
  });
});

describe('identity: settings that change the answers', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
    await createAccount(db.pool, { login: 'a', unitId: 'so-y-te', roles: ['officer'], passwordHash: await hashPassword(PASSWORD), createdBy: 'test' });
  });
  afterAll(() => db?.drop());

  it('the session cookie is Secure when the public URL is https, and lasts CHITHI_SESSION_TTL_HOURS', async () => {
    const { app } = await identityApp(db.pool, { CHITHI_PUBLIC_URL: 'https://chithi.hanoi.example', CHITHI_SESSION_TTL_HOURS: '2' });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'a', password: PASSWORD } });
      const c = (res.cookies as Cookie[]).find((x) => x.name === 'chithi_session')!;
      expect(c).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
      expect((c.expires!.getTime() - Date.now()) / 3_600_000).toBeCloseTo(2, 1);
    } finally {
      await app.close();
    }
  });

  it('sign-in attempts beyond CHITHI_LOGIN_RATE a minute from one address get 429 with Retry-After', async () => {
    const { app } = await identityApp(db.pool, { CHITHI_LOGIN_RATE: '3' });
    try {
      const attempt = (url: string, payload: Record<string, string>) => app.inject({ method: 'POST', url, payload, headers: { 'accept-language': 'en' } });
      expect((await attempt('/api/v1/auth/login', { login: 'a', password: 'wrong-1' })).statusCode).toBe(401);
      expect((await attempt('/api/v1/auth/login', { login: 'a', password: PASSWORD })).statusCode).toBe(200);
      // The token route shares the budget.
      expect((await attempt('/api/v1/auth/token', { login: 'a', password: 'wrong-2', name: 'x' })).statusCode).toBe(401);
      const limited = await attempt('/api/v1/auth/login', { login: 'a', password: PASSWORD });
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json().error).toMatchObject({ code: 'too-many-attempts' });
      expect(limited.json().error.message).toMatch(/Too many sign-in attempts.*Try again in \d+ seconds/);
      // Another address is not limited.
      const elsewhere = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'a', password: PASSWORD }, remoteAddress: '10.0.0.9' });
      expect(elsewhere.statusCode).toBe(200);
      // Other routes are not limited.
      expect((await app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  // Một bộ đếm cho mỗi địa chỉ: thử ở biểu mẫu của cổng và ở API cộng dồn, không phải hai lượt riêng.
  // One counter per address: attempts on the portal's form and on the API add up, not two allowances.
  it('attempts split between the portal form and the API share one budget per address', async () => {
    // The whole server, as npm start builds it (the portal included); no Temporal: nothing here reaches it.
    const app = await buildServer({ pool: db.pool, client: undefined as unknown as Client, config: loadConfig({}), settings: serverSettings({ CHITHI_LOGIN_RATE: '4' }) });
    try {
      const api = (password: string, remoteAddress?: string) =>
        app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'a', password }, headers: { 'accept-language': 'en' }, ...(remoteAddress && { remoteAddress }) });
      const portal = (password: string) =>
        app.inject({ method: 'POST', url: '/dang-nhap', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `login=a&password=${encodeURIComponent(password)}` });
      // Two wrong passwords on each side: four attempts, the limit.
      expect((await portal('sai-1')).statusCode).toBe(401);
      expect((await api('wrong-1')).statusCode).toBe(401);
      expect((await portal('sai-2')).statusCode).toBe(401);
      expect((await api('wrong-2')).statusCode).toBe(401);
      // The fifth is refused on both sides, even with the right password.
      const onPortal = await portal(PASSWORD);
      expect(onPortal.statusCode).toBe(429);
      expect(Number(onPortal.headers['retry-after'])).toBeGreaterThan(0);
      expect(onPortal.headers['content-type']).toMatch(/^text\/html/);
      expect(onPortal.body).toContain('Quá nhiều lần đăng nhập từ địa chỉ này (tối đa 4 lần mỗi phút)');
      expect(onPortal.cookies.find((c) => c.name === 'chithi_session')).toBeUndefined();
      const onApi = await api(PASSWORD);
      expect(onApi.statusCode).toBe(429);
      expect(onApi.json().error).toMatchObject({ code: 'too-many-attempts' });
      // Another address still has its own budget.
      expect((await api(PASSWORD, '10.0.0.9')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
