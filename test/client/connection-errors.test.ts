import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRuntime } from '../../service/connect.js';
import { UserError } from '../../common/errors.js';
import { ConfigError } from '../../common/config.js';
import { freePort } from '../../service/local-temporal.js';
import { explainConnectFailure } from '../../common/temporal-errors.js';
import { workerConfigFromEnv } from '../../worker/config.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { makePki, SERVER_NAME, startFakeFrontend, type FakeFrontend, type TestPki } from './tls.js';

/**
 * What the API server and operator tools do to reach Temporal (service/connect.ts), shown as the
 * CLI shows a UserError: the CLI itself talks only to the API server since issue 9.
 */
async function run(argv: string[], env: Record<string, string | undefined>) {
  const lang = argv.includes('vi') ? 'vi' : 'en';
  try {
    await withRuntime(env, async (rt) => {
      await rt.client.workflow.getHandle(argv[1] ?? 'x').describe();
    });
    return { code: 0, stdout: '', stderr: '' };
  } catch (err) {
    // ConfigError: a setting the server refused (a key, a certificate); as the CLI prints it.
    if (err instanceof UserError || err instanceof ConfigError) return { code: 1, stdout: '', stderr: `chithi: ${err.text[lang]}\n` };
    return { code: 70, stdout: '', stderr: `chithi: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n` };
  }
}

function expectCleanFailure(r: { code: number; stderr: string }) {
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^chithi: /);
  // A message, not a stack trace.
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toContain('internal error');
}

// Issue 8: every connection failure used to read "cannot reach the Temporal server… start it with
// npm start", sending people after a server that was running while their key or certificate was wrong.
describe('Temporal connection failures name the real cause (a TLS frontend on 127.0.0.1)', () => {
  let db: TestDatabase;
  let pki: TestPki;
  let frontend: FakeFrontend;
  let mtlsFrontend: FakeFrontend;
  beforeAll(async () => {
    db = await freshDatabase();
    pki = makePki();
    frontend = await startFakeFrontend(pki);
    mtlsFrontend = await startFakeFrontend(pki, { mtls: true });
  });
  afterAll(async () => {
    await frontend?.close();
    await mtlsFrontend?.close();
    await db?.drop();
    pki?.remove();
  });

  const envFor = (address: string, more: Record<string, string>) => ({
    DATABASE_URL: db.url,
    ...(db.embedded ? { DATABASE_POOL_MAX: '1' } : {}),
    TEMPORAL_ADDRESS: address,
    ...more,
  });

  it('a wrong API key: the server refused the key, named as TEMPORAL_API_KEY', async () => {
    const env = envFor(frontend.address, { TEMPORAL_TLS_CA: pki.ca, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME, TEMPORAL_API_KEY: 'wrong-key' });
    const r = await run(['withdraw', 'some-directive', '--lang', 'en'], env);
    expectCleanFailure(r);
    // The key did reach the server: the TLS settings (CA, server name) were honoured.
    expect(frontend.authorizations).toContain('Bearer wrong-key');
    expect(r.stderr).toContain('TEMPORAL_API_KEY');
    expect(r.stderr).toMatch(/refused the API key/);
    expect(r.stderr).toContain('invalid API key');
    expect(r.stderr).not.toContain('npm start');
    const vi = await run(['withdraw', 'some-directive', '--lang', 'vi'], env);
    expect(vi.stderr).toContain('từ chối khoá API');
  });

  it("a server certificate the client does not trust: says so and names TEMPORAL_TLS_CA's file", async () => {
    const env = envFor(frontend.address, { TEMPORAL_TLS_CA: pki.otherCa, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME });
    const r = await run(['withdraw', 'some-directive', '--lang', 'en'], env);
    expectCleanFailure(r);
    expect(r.stderr).toMatch(/server's certificate was refused/);
    expect(r.stderr).toContain(pki.otherCa);
    expect(r.stderr).not.toContain('npm start');
  });

  it("a client certificate the server refuses: says so and names TEMPORAL_TLS_CERT's file", async () => {
    const env = envFor(mtlsFrontend.address, {
      TEMPORAL_TLS_CA: pki.ca,
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
      TEMPORAL_TLS_CERT: pki.strangerClient.cert,
      TEMPORAL_TLS_KEY: pki.strangerClient.key,
    });
    const r = await run(['withdraw', 'some-directive', '--lang', 'en'], env);
    expectCleanFailure(r);
    expect(r.stderr).toMatch(/refused the client certificate/);
    expect(r.stderr).toContain(pki.strangerClient.cert);
    expect(r.stderr).not.toContain('npm start');
  });

  it('the worker, given the same environment, names the same causes (its native connection reports them differently)', async () => {
    const explain = async (env: Record<string, string>) => {
      const config = await workerConfigFromEnv(env);
      const err = await NativeConnection.connect(config.connection).then(
        async (c) => {
          await c.close();
          throw new Error('connected');
        },
        (e: unknown) => e,
      );
      return (await explainConnectFailure(config.temporal, err)).text.en;
    };
    const key = await explain(envFor(frontend.address, { TEMPORAL_TLS_CA: pki.ca, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME, TEMPORAL_API_KEY: 'wrong-key' }));
    expect(key).toMatch(/refused the API key in TEMPORAL_API_KEY/);
    const ca = await explain(envFor(frontend.address, { TEMPORAL_TLS_CA: pki.otherCa, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME }));
    expect(ca).toMatch(/server's certificate was refused/);
    expect(ca).toContain(pki.otherCa);
  });

  it('nothing listening at the address: the hint to start it with npm start stays', async () => {
    const r = await run(['withdraw', 'some-directive', '--lang', 'en'], envFor(`127.0.0.1:${await freePort()}`, {}));
    expectCleanFailure(r);
    expect(r.stderr).toContain('npm start');
    expect(r.stderr).toMatch(/nothing is listening|connection refused/i);
  });
});
