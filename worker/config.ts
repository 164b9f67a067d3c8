import type { NativeConnectionOptions } from '@temporalio/worker';
import { ConfigError, loadConfig, nativeConnectionOptions, setting, type Env, type TemporalSettings } from '../common/config.js';
import type { Lang } from '../common/cli-spec.js';

export interface WorkerConfig {
  connection: NativeConnectionOptions;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  /** DATABASE_OWNER_URL when set: migrations run as the owner, the worker as the application. */
  databaseOwnerUrl?: string;
  /** DATABASE_POOL_MAX when set. */
  poolMax?: number;
  /** CHITHI_MAX_CACHED_WORKFLOWS when set: the sticky cache's size, which bounds the worker's memory. */
  maxCachedWorkflows?: number;
  /** The settings the connection was built from, to explain a failure to connect. */
  temporal: TemporalSettings;
  lang: Lang;
}

/**
 * From the environment, through common/config.ts: the CLI and `npm start` read the same settings,
 * so a worker and a CLI given one environment meet on the same cluster, namespace and task queue.
 * Local dev needs nothing but DATABASE_URL.
 */
export async function workerConfigFromEnv(env: Env = process.env): Promise<WorkerConfig> {
  const config = loadConfig(env);
  const databaseUrl = config.database.url;
  if (!databaseUrl) {
    throw new ConfigError({
      vi: 'Chưa đặt DATABASE_URL (postgres://người-dùng:mật-khẩu@máy:5432/chithi).',
      en: 'DATABASE_URL is not set (postgres://user:pass@host:5432/chithi).',
    });
  }
  const t = config.temporal;
  const maxCachedWorkflows = setting(env, 'CHITHI_MAX_CACHED_WORKFLOWS');
  return {
    connection: nativeConnectionOptions(t),
    namespace: t.namespace,
    taskQueue: t.taskQueue,
    databaseUrl,
    ...(config.database.ownerUrl !== undefined && { databaseOwnerUrl: config.database.ownerUrl }),
    ...(config.database.poolMax !== undefined && { poolMax: config.database.poolMax }),
    ...(maxCachedWorkflows !== undefined && { maxCachedWorkflows }),
    temporal: t,
    lang: config.lang,
  };
}
