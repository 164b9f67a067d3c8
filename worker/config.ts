import { readFile } from 'node:fs/promises';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { TASK_QUEUE } from '../workflows/types.js';

export class WorkerConfigError extends Error {
  override readonly name = 'WorkerConfigError';
}

export interface WorkerConfig {
  connection: NativeConnectionOptions;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
}

/**
 * From the environment. Local dev needs nothing but DATABASE_URL; a real cluster takes mTLS
 * (TEMPORAL_TLS_CERT + TEMPORAL_TLS_KEY, optional TEMPORAL_TLS_CA: file paths) or TEMPORAL_API_KEY.
 */
export async function workerConfigFromEnv(env: Record<string, string | undefined> = process.env): Promise<WorkerConfig> {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new WorkerConfigError('DATABASE_URL is not set (postgres://user:pass@host:5432/chithi)');
  const cert = env.TEMPORAL_TLS_CERT;
  const key = env.TEMPORAL_TLS_KEY;
  if ((cert === undefined) !== (key === undefined)) {
    throw new WorkerConfigError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together');
  }
  const ca = env.TEMPORAL_TLS_CA ? await readFile(env.TEMPORAL_TLS_CA) : undefined;
  const apiKey = env.TEMPORAL_API_KEY;
  let tls: NativeConnectionOptions['tls'];
  if (cert !== undefined && key !== undefined) {
    tls = {
      clientCertPair: { crt: await readFile(cert), key: await readFile(key) },
      ...(ca ? { serverRootCACertificate: ca } : {}),
    };
  } else if (apiKey || ca) {
    // An API key is only ever sent over TLS.
    tls = ca ? { serverRootCACertificate: ca } : true;
  }
  return {
    connection: {
      address: env.TEMPORAL_ADDRESS ?? 'localhost:7233',
      ...(tls !== undefined ? { tls } : {}),
      ...(apiKey ? { apiKey } : {}),
    },
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? TASK_QUEUE,
    databaseUrl,
  };
}
