import { DefaultLogger, NativeConnection } from '@temporalio/worker';
import { channelsFromEnv, createActivities, createPool, migrateAsOwner, startDelivery } from '../activities/index.js';
import { ConfigError, deliverySettings, metricsAddress, setting } from '../common/config.js';
import { explainConnectFailure } from '../common/temporal-errors.js';
import { workerConfigFromEnv } from './config.js';
import { createWorker } from './index.js';
import { installRuntime, startOutboxGauges } from './metrics.js';

// `tsx worker/main.ts`: one worker process. SIGINT/SIGTERM stop polling, let running activities
// finish (shutdownGraceTime), then close the pool and the connection; timers are in Temporal, so
// nothing is lost while no worker runs.
async function main(): Promise<void> {
  const config = await workerConfigFromEnv();
  // Before anything else of the SDK: the runtime (and its Prometheus endpoint) is made once. The
  // SDK logs every state change at INFO; CHITHI_LOG_LEVEL (warn by default) shows only problems.
  const metrics = metricsAddress(process.env);
  const level = setting(process.env, 'CHITHI_LOG_LEVEL') === 'info' ? 'INFO' : 'WARN';
  installRuntime({
    ...(metrics ? { metricsAddress: metrics } : {}),
    logger: new DefaultLogger(level),
    logging: { filter: { core: level, other: 'ERROR' }, forward: {} },
  });
  const pool = createPool(config.databaseUrl, config.poolMax !== undefined ? { max: config.poolMax } : {});
  // Idempotent and lock-guarded: a worker on a fresh database creates the tables itself, as the
  // owner (DATABASE_OWNER_URL) when the worker's own login is the application's.
  await migrateAsOwner(pool, config.databaseOwnerUrl);
  const channels = channelsFromEnv();
  // Sends the notices workflows commit, including any an earlier process left unsent.
  // Several workers share the outbox: each claims rows for a lease (CHITHI_NOTICE_LEASE_S).
  const delivery = startDelivery({ pool, channels, ...deliverySettings(process.env) });
  const stopGauges = metrics ? startOutboxGauges(pool) : () => undefined;
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(config.connection);
  } catch (err) {
    stopGauges();
    await delivery.stop();
    await pool.end();
    throw await explainConnectFailure(config.temporal, err);
  }
  try {
    const worker = await createWorker({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      activities: createActivities({ pool, channels, delivery }),
      ...(config.maxCachedWorkflows !== undefined && { maxCachedWorkflows: config.maxCachedWorkflows }),
    });
    // The SDK installs its own SIGINT/SIGTERM handlers (shutdownSignals) that call worker.shutdown().
    console.log(`chithi worker: ${config.connection.address} namespace=${config.namespace} queue=${config.taskQueue}${metrics ? ` metrics=http://${metrics}/metrics` : ''}`);
    await worker.run();
  } finally {
    stopGauges();
    await delivery.stop();
    await connection.close();
    await pool.end();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      // A setting or a server that refuses it: the reason in words, the SDK's error after it.
      let lang: 'vi' | 'en' = 'vi';
      try {
        lang = setting(process.env, 'CHITHI_LANG') === 'en' ? 'en' : 'vi';
      } catch {
        // CHITHI_LANG itself may be the bad setting.
      }
      console.error(`chithi worker: ${err.text[lang]}`);
      if (err.cause instanceof Error) console.error(`  (${err.cause.name}: ${err.cause.message})`);
    } else console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
    process.exit(1);
  },
);
