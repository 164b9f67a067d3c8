import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../client/config.js';
import { connectionOptions } from '../../service/connect.js';
import { configTable, envFileContents, ROOT, SETTINGS, type Env } from '../../common/config.js';
import { workerConfigFromEnv } from '../../worker/config.js';
import { TASK_QUEUE } from '../../workflows/types.js';

/** Every source file of the given top-level folders (no node_modules, no generated data). */
function sources(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'node_modules' || name.startsWith('.')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mjs|js)$/.test(name)) out.push(path);
    }
  };
  for (const d of dirs) walk(join(ROOT, d));
  return out;
}

const PRODUCTION = ['common', 'compiler', 'workflows', 'activities', 'worker', 'client', 'scripts', 'bench', 'bin'];
const ENV_READ = /\benv(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g;

function envReads(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(ENV_READ)].map((m) => (m[1] ?? m[2])!);
}

describe('one configuration for the worker, the CLI, npm start and the benchmarks', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chithi-config-'));
    for (const f of ['client.pem', 'client.key', 'ca.pem']) writeFileSync(join(dir, f), `-----BEGIN ${f}-----\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const noFile = () => join(dir, 'no-env.json');

  it.each([
    ['API key, TLS server name, custom queue', () => ({ TEMPORAL_API_KEY: 'key-123', TEMPORAL_TLS_SERVER_NAME: 'frontend.internal.example' })],
    ['mTLS with a CA', () => ({ TEMPORAL_TLS_CERT: join(dir, 'client.pem'), TEMPORAL_TLS_KEY: join(dir, 'client.key'), TEMPORAL_TLS_CA: join(dir, 'ca.pem'), TEMPORAL_TLS_SERVER_NAME: 'frontend.internal.example' })],
    ['TEMPORAL_TLS=true with the system CAs', () => ({ TEMPORAL_TLS: 'true' })],
    ['plaintext', () => ({})],
  ])('%s: the same address, namespace, queue, TLS and API key for worker and CLI', async (_, more) => {
    const env: Env = {
      TEMPORAL_ADDRESS: 'temporal.chithi.example:7233',
      TEMPORAL_NAMESPACE: 'hanoi',
      TEMPORAL_TASK_QUEUE: 'chithi-hanoi',
      DATABASE_URL: 'postgres://chithi@db.example/chithi',
      ...more(),
    };
    const worker = await workerConfigFromEnv(env);
    const cli = loadConfig(env, noFile());
    const client = connectionOptions(cli);
    expect(worker.connection.address).toBe('temporal.chithi.example:7233');
    expect(client.address).toBe(worker.connection.address);
    expect(client.tls).toEqual(worker.connection.tls);
    expect(client.apiKey).toBe(worker.connection.apiKey);
    expect(cli.temporal.namespace).toBe(worker.namespace);
    expect(cli.temporal.taskQueue).toBe('chithi-hanoi');
    expect(worker.taskQueue).toBe('chithi-hanoi');
    const m = more() as Record<string, string>;
    if (m.TEMPORAL_TLS_SERVER_NAME) expect(worker.connection.tls).toMatchObject({ serverNameOverride: m.TEMPORAL_TLS_SERVER_NAME });
    if (m.TEMPORAL_API_KEY) expect(worker.connection).toMatchObject({ apiKey: m.TEMPORAL_API_KEY });
    expect(Boolean(worker.connection.tls)).toBe(Object.keys(m).length > 0);
  });

  it('the CLI in another terminal gets what npm start saved (never the API key) and reaches the same cluster', () => {
    const started: Env = {
      TEMPORAL_ADDRESS: 'temporal.chithi.example:7233',
      TEMPORAL_TASK_QUEUE: 'chithi-hanoi',
      TEMPORAL_TLS_CA: join(dir, 'ca.pem'),
      TEMPORAL_API_KEY: 'key-123',
      DATABASE_URL: 'postgres://127.0.0.1:54329/postgres',
      DATABASE_POOL_MAX: '1',
    };
    const file = join(dir, 'env.json');
    const saved = envFileContents(started, { embeddedDatabase: true });
    expect(saved).not.toHaveProperty('TEMPORAL_API_KEY');
    writeFileSync(file, JSON.stringify(saved));
    const cli = loadConfig({ TEMPORAL_API_KEY: 'key-123' }, file);
    expect(cli.temporal).toEqual(loadConfig(started, noFile()).temporal);
    expect(cli.database).toEqual({ url: 'postgres://127.0.0.1:54329/postgres', poolMax: 1 });
    // An explicit address is another cluster: none of the saved TLS files applies to it.
    expect(loadConfig({ TEMPORAL_ADDRESS: 'other:7233' }, file).temporal).toEqual({ address: 'other:7233', namespace: 'default', taskQueue: 'chithi', });
    // An external database's URL (it may carry a password) is not saved.
    expect(envFileContents(started, { embeddedDatabase: false })).not.toHaveProperty('DATABASE_URL');
  });

  it("CHITHI_MAX_CACHED_WORKFLOWS sizes the worker's sticky cache; unset, the SDK's default; a bad value is refused", async () => {
    const env: Env = { DATABASE_URL: 'postgres://chithi@db.example/chithi' };
    expect(await workerConfigFromEnv(env)).not.toHaveProperty('maxCachedWorkflows');
    expect((await workerConfigFromEnv({ ...env, CHITHI_MAX_CACHED_WORKFLOWS: '2000' })).maxCachedWorkflows).toBe(2000);
    expect((await workerConfigFromEnv({ ...env, CHITHI_MAX_CACHED_WORKFLOWS: '0' })).maxCachedWorkflows).toBe(0);
    await expect(workerConfigFromEnv({ ...env, CHITHI_MAX_CACHED_WORKFLOWS: 'lots' })).rejects.toThrow(/CHITHI_MAX_CACHED_WORKFLOWS must be a whole number/);
  });

  it("the default task queue is the workflows' TASK_QUEUE", () => {
    expect(SETTINGS.TEMPORAL_TASK_QUEUE.default).toBe(TASK_QUEUE);
  });

  it('every environment variable the code reads is declared in common/config.ts', () => {
    const undeclared = sources(...PRODUCTION, 'test/support').flatMap((f) => envReads(f).filter((n) => !(n in SETTINGS)).map((n) => `${relative(ROOT, f)}: ${n}`));
    expect(undeclared).toEqual([]);
  });

  it('only common/config.ts reads the Temporal and database variables', () => {
    const readers = sources(...PRODUCTION)
      .filter((f) => !f.endsWith(join('common', 'config.ts')))
      .flatMap((f) => envReads(f).filter((n) => /^(TEMPORAL|DATABASE)_/.test(n)).map((n) => `${relative(ROOT, f)}: ${n}`));
    expect(readers).toEqual([]);
  });

  it("connections are built from the configuration, not from a bare address (but the local server's readiness probe)", () => {
    const bare = sources('worker', 'client', 'scripts', 'bench')
      .filter((f) => !f.endsWith(join('client', 'local-temporal.ts')))
      .filter((f) => /\b(Native)?Connection\.connect\(\s*\{/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(bare).toEqual([]);
  });

  it("workflows are started on the configured queue, not on the workflows' constant", () => {
    const users = sources('client', 'scripts', 'bench')
      .filter((f) => /\bTASK_QUEUE\b/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(users).toEqual([]);
  });

  it("README's configuration table is generated from the declarations", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const m = /<!-- config-table:begin[^>]*-->\n([\s\S]*?)<!-- config-table:end -->/.exec(readme);
    expect(m?.[1], 'README.md has no generated configuration table: run npx tsx scripts/config-table.ts').toBe(configTable());
  });
});
