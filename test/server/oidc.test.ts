/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider, in-process on a loopback
 * port): authorization code with PKCE, state and nonce, through openid-client, as a browser would
 * go: chithi → provider → (the person signs in) → chithi's callback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../activities/store/index.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { identityApp } from './identity-app.js';

const PUBLIC_URL = 'http://127.0.0.1:3999';

/** A browser's cookies, one jar for every host (enough here: one provider, chithi via inject). */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: { headers: Headers }): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

describe('single sign-on (OIDC)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let server: Server;
  /** Who the person signs in as at the provider, for the next round trip. */
  let signInAs = '';

  beforeAll(async () => {
    db = await freshDatabase();
    await createAccount(db.pool, { login: 'nguyenvana', unitId: 'so-y-te', roles: ['officer'], createdBy: 'test' });
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: 'chithi', client_secret: 'chithi-test-secret', redirect_uris: [`${PUBLIC_URL}/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
      findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: `sub-${id}`, preferred_username: id }) }),
      claims: { openid: ['sub'], profile: ['preferred_username'] },
      pkce: { required: () => true },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      features: { devInteractions: { enabled: false } },
      cookies: { keys: ['test-cookie-key'] },
    });
    const callback = provider.callback();
    // The provider's sign-in page: the person is whoever the test says, and consents at once.
    server.on('request', (req, res) => {
      if (!req.url?.startsWith('/interaction/')) return callback(req, res);
      void (async () => {
        const details = await provider.interactionDetails(req, res);
        const grant = new provider.Grant({ accountId: signInAs, clientId: details.params.client_id! });
        grant.addOIDCScope(details.params.scope!);
        await provider.interactionFinished(req, res, { login: { accountId: signInAs }, consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: false });
      })().catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
    ({ app } = await identityApp(db.pool, { CHITHI_PUBLIC_URL: PUBLIC_URL, OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'chithi', OIDC_CLIENT_SECRET: 'chithi-test-secret' }));
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => server?.close(resolve));
    await db?.drop();
  });

  /** chithi's /auth/oidc/login → the provider (signs in as `who`) → chithi's callback; its answer. */
  async function roundTrip(who: string) {
    signInAs = who;
    const start = await app.inject({ method: 'GET', url: '/auth/oidc/login' });
    expect(start.statusCode).toBe(302);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    const pending = (start.cookies as { name: string; value: string; httpOnly?: boolean; path?: string }[]).find((c) => c.name === 'chithi_oidc')!;
    expect(pending).toMatchObject({ httpOnly: true, path: '/auth/oidc' });

    const jar = new Jar();
    let url = authorize.href;
    for (let hops = 0; !url.startsWith(PUBLIC_URL); hops++) {
      expect(hops).toBeLessThan(10);
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.take(res);
      if (![302, 303].includes(res.status)) throw new Error(`${res.status} at ${url}: ${await res.text()}`);
      url = new URL(res.headers.get('location')!, url).href;
    }
    const back = new URL(url);
    return app.inject({ method: 'GET', url: back.pathname + back.search, headers: { cookie: `chithi_oidc=${pending.value}`, 'accept-language': 'en' } });
  }

  it('a provisioned account gets a session and is sent to /', async () => {
    const res = await roundTrip('nguyenvana');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    const session = (res.cookies as { name: string; value: string }[]).find((c) => c.name === 'chithi_session')!;
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `chithi_session=${session.value}` } });
    expect(me.json()).toMatchObject({ login: 'nguyenvana', unit: 'so-y-te', via: 'session' });
  });

  it('someone the provider knows but nobody provisioned is refused (403), no account created', async () => {
    const res = await roundTrip('tranthib');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/no chithi account for "tranthib".*chithi users add tranthib/);
    expect((res.cookies as { name: string; value: string }[]).find((c) => c.name === 'chithi_session')).toBeUndefined();
    const { rowCount } = await db.pool.query("SELECT 1 FROM accounts WHERE login = 'tranthib'");
    expect(rowCount).toBe(0);
  });

  it('a callback without the signed pending cookie is refused', async () => {
    const res = await app.inject({ method: 'GET', url: '/auth/oidc/callback?code=x&state=y', headers: { cookie: 'chithi_oidc=forged', 'accept-language': 'en' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/Start again at \/auth\/oidc\/login/);
  });
});
