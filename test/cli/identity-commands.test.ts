/**
 * The identity commands through the CLI's main(): `chithi users` (the operator's, on the database),
 * and `chithi login`, `token`, `logout` against a real API server (auth plugin and routes listening
 * on a loopback port), with answers on stdin as a script would pipe them.
 */
import { mkdtempSync, rmSync, statSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccount, listAccounts } from '../../activities/store/index.js';
import { apiRequest } from '../../client/api.js';
import { main } from '../../client/cli.js';
import { verifyPassword } from '../../server/auth/passwords.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { identityApp } from '../server/identity-app.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(argv: string[], env: Record<string, string>, stdin = ''): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    env,
    lang: 'en',
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stdin: Readable.from([Buffer.from(stdin)]),
  });
  return { code, out, err };
}

describe('chithi users / login / token / logout', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await freshDatabase();
    dir = mkdtempSync(join(tmpdir(), 'chithi-identity-'));
    ({ app } = await identityApp(db.pool, { CHITHI_LOGIN_RATE: '1000' }));
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    env = { DATABASE_URL: db.url, CHITHI_API_URL: address, CHITHI_CREDENTIALS_FILE: join(dir, 'creds', 'credentials.json') };
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('users add: the password from stdin, hashed with argon2id; the login lower-cased', async () => {
    const r = await run(['users', 'add', 'QuanTri', '--unit', 'so-tttt', '--role', 'admin', '--name', 'Quản trị'], env, 'mật khẩu dài\n');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/Account quantri created \(unit so-tttt; roles admin\)/);
    const a = await getAccount(db.pool, 'quantri');
    expect(a).toMatchObject({ login: 'quantri', unitId: 'so-tttt', roles: ['admin'], displayName: 'Quản trị', disabled: false });
    expect(a!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(a!.passwordHash, 'mật khẩu dài')).toBe(true);
    expect(a!.createdBy).toMatch(/^operator/);
  });

  it('users add: an unknown unit is refused with a suggestion, exit 1, nothing written', async () => {
    const before = (await listAccounts(db.pool)).length;
    const r = await run(['users', 'add', 'someone', '--unit', 'so-y-tee', '--role', 'officer'], env, 'mật khẩu dài\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/No unit "so-y-tee" in any unit registry/);
    expect(r.err).toMatch(/did you mean `so-y-te`\?/);
    expect((await listAccounts(db.pool)).length).toBe(before);
  });

  it('users add: an unknown role, a taken login, a short or missing password are refused', async () => {
    const role = await run(['users', 'add', 'x1', '--unit', 'so-y-te', '--role', 'oficer'], env, 'mật khẩu dài\n');
    expect(role.code).toBe(1);
    expect(role.err).toMatch(/No role "oficer" — did you mean `officer`\?/);
    const taken = await run(['users', 'add', 'QUANTRI', '--unit', 'so-y-te', '--role', 'officer'], env, 'mật khẩu dài\n');
    expect(taken.code).toBe(1);
    expect(taken.err).toMatch(/Account "quantri" already exists/);
    const short = await run(['users', 'add', 'x2', '--unit', 'so-y-te', '--role', 'officer'], env, 'short\n');
    expect(short.code).toBe(1);
    expect(short.err).toMatch(/at least 8 characters/);
    const none = await run(['users', 'add', 'x3', '--unit', 'so-y-te', '--role', 'officer'], env, '');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/Missing the password on stdin/);
    const noRole = await run(['users', 'add', 'x4', '--unit', 'so-y-te'], env, 'mật khẩu dài\n');
    expect(noRole.code).toBe(1);
    expect(noRole.err).toMatch(/at least one --role/);
    expect(await getAccount(db.pool, 'x2')).toBeUndefined();
  });

  it('users add --no-password (single sign-on only), list and disable', async () => {
    expect((await run(['users', 'add', 'sso.user', '--unit', 'so-y-te', '--role', 'officer', '--role', 'unit-head', '--no-password'], env)).code).toBe(0);
    expect((await run(['users', 'disable', 'SSO.user'], env)).code).toBe(0);
    const list = await run(['users', 'list'], env);
    expect(list.out).toMatch(/quantri\s+so-tttt\s+admin\s+Quản trị/);
    expect(list.out).toMatch(/sso\.user\s+so-y-te\s+officer,unit-head\s+\(disabled, single sign-on only\)/);
    expect((await run(['users', 'disable', 'nobody'], env)).code).toBe(1);
  });

  it('--help says it is an operator command writing the database', async () => {
    const r = await run(['users', '--help'], env);
    expect(r.out).toMatch(/Operator command: writes the database directly/);
  });

  it('login saves a 0600 credentials file; token create/list/revoke use it; logout revokes and deletes it', async () => {
    const login = await run(['login'], env, 'QuanTri\nmật khẩu dài\n');
    expect(login.err).toBe('');
    expect(login.code).toBe(0);
    expect(login.out).toMatch(/Signed in to http:\/\/127\.0\.0\.1:\d+ as so-tttt\/quantri \(Quản trị\), roles admin\. Token "cli-.+-\d{4}-\d\d-\d\d" saved/);
    const file = env.CHITHI_CREDENTIALS_FILE!;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({ url: env.CHITHI_API_URL, login: 'quantri' });

    // Twice the same day from the same machine: a second token, not a conflict.
    const again = await run(['login'], env, 'quantri\nmật khẩu dài\n');
    expect(again.code).toBe(0);

    const created = await run(['token', 'create', '--name', 'ci'], env);
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^chithi_/);
    expect(created.err).toMatch(/shown only once/);
    const list = await run(['token', 'list'], env);
    expect(list.out).toMatch(/^ci\s+created/m);
    expect(list.out).toMatch(/^cli-/m);

    // CHITHI_TOKEN wins over the saved token.
    const me = await apiRequest<{ login: string; via: string }>({ env: { ...env, CHITHI_TOKEN: token }, lang: 'en' }, 'GET', '/api/v1/me');
    expect(me).toMatchObject({ login: 'quantri', via: 'token' });

    expect((await run(['token', 'revoke', 'ci'], env)).code).toBe(0);
    const revoked = await run(['token', 'revoke', 'ci'], { ...env });
    expect(revoked.code).toBe(1);
    expect(revoked.err).toMatch(/No live API token named "ci"/);
    const dead = await run(['token', 'list'], { ...env, CHITHI_TOKEN: token });
    expect(dead.code).toBe(1);
    expect(dead.err).toMatch(/unknown or was revoked/);

    const savedToken = JSON.parse(readFileSync(file, 'utf8')).token as string;
    const out = await run(['logout'], env);
    expect(out.code).toBe(0);
    expect(existsSync(file)).toBe(false);
    const after = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${savedToken}` } });
    expect(after.statusCode).toBe(401);
    const notSignedIn = await run(['token', 'list'], env);
    expect(notSignedIn.code).toBe(1);
    expect(notSignedIn.err).toMatch(/Not signed in: run `chithi login` or set CHITHI_TOKEN/);
  });

  it('a wrong password at login: the server message, exit 1, nothing saved', async () => {
    const r = await run(['login'], env, 'quantri\nwrong password\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Wrong login or password/);
    expect(existsSync(env.CHITHI_CREDENTIALS_FILE!)).toBe(false);
  });

  it('a server that is not there: the URL and what to check', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const r = await run(['token', 'list'], { ...env, CHITHI_API_URL: `http://127.0.0.1:${port}`, CHITHI_TOKEN: 'chithi_x' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Cannot reach the API server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Is `npm start` running\? \(CHITHI_API_URL\)/);
  });
});
