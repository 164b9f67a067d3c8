import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from './io.js';

/** Where the runtime lives: read from the environment, falling back to what `npm start` wrote. */
export interface RuntimeConfig {
  temporalAddress: string;
  namespace: string;
  /** TLS client material (file paths) or an API key; absent = plaintext (the dev server). */
  tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
  apiKey?: string;
  databaseUrl?: string;
  /** The embedded PostgreSQL serves one connection: its clients must pool at most one. */
  poolMax?: number;
  /** Which source gave the addresses, for error messages. */
  source: 'env' | 'env.json' | 'default';
}

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = join(ROOT, '.data');
/** Written by `npm start` so a second terminal's `npx chithi status` finds the embedded services. */
export const ENV_FILE = join(DATA_DIR, 'env.json');

interface EnvFile {
  DATABASE_URL?: string;
  TEMPORAL_ADDRESS?: string;
  TEMPORAL_NAMESPACE?: string;
  DATABASE_POOL_MAX?: string;
}

function readEnvFile(path: string): EnvFile {
  if (!existsSync(path)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as EnvFile) : {};
  } catch {
    throw new UserError({
      vi: `Tệp ${path} bị hỏng; xoá nó rồi chạy lại npm start.`,
      en: `${path} is corrupt; delete it and run npm start again.`,
    });
  }
}

export function loadConfig(env: Record<string, string | undefined>, envFile = ENV_FILE): RuntimeConfig {
  // The file only fills gaps: an explicit environment always wins, so CI and production never
  // accidentally talk to a developer's local services.
  const file = env.TEMPORAL_ADDRESS && env.DATABASE_URL ? {} : readEnvFile(envFile);
  const temporalAddress = env.TEMPORAL_ADDRESS ?? file.TEMPORAL_ADDRESS ?? 'localhost:7233';
  const source = env.TEMPORAL_ADDRESS ? 'env' : file.TEMPORAL_ADDRESS ? 'env.json' : 'default';
  const certPath = env.TEMPORAL_TLS_CERT;
  const keyPath = env.TEMPORAL_TLS_KEY;
  const caPath = env.TEMPORAL_TLS_CA;
  const wantsTls = Boolean(certPath || keyPath || caPath || env.TEMPORAL_TLS === '1' || env.TEMPORAL_TLS === 'true');
  if (Boolean(certPath) !== Boolean(keyPath)) {
    throw new UserError({
      vi: 'TEMPORAL_TLS_CERT và TEMPORAL_TLS_KEY phải được đặt cùng nhau.',
      en: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together.',
    });
  }
  const config: RuntimeConfig = {
    temporalAddress,
    namespace: env.TEMPORAL_NAMESPACE ?? file.TEMPORAL_NAMESPACE ?? 'default',
    source,
  };
  if (wantsTls) {
    config.tls = {};
    if (certPath) config.tls.certPath = certPath;
    if (keyPath) config.tls.keyPath = keyPath;
    if (caPath) config.tls.caPath = caPath;
    if (env.TEMPORAL_TLS_SERVER_NAME) config.tls.serverName = env.TEMPORAL_TLS_SERVER_NAME;
  }
  if (env.TEMPORAL_API_KEY) config.apiKey = env.TEMPORAL_API_KEY;
  const databaseUrl = env.DATABASE_URL ?? file.DATABASE_URL;
  if (databaseUrl) config.databaseUrl = databaseUrl;
  const poolMax = Number(env.DATABASE_POOL_MAX ?? (env.DATABASE_URL ? undefined : file.DATABASE_POOL_MAX));
  if (Number.isInteger(poolMax) && poolMax > 0) config.poolMax = poolMax;
  return config;
}
