import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type pg from 'pg';
import { createActivities, startDelivery, type Delivery, type NotificationChannels } from '../../activities/index.js';
import { bundleWorkflows, createWorker } from '../../worker/index.js';

export interface TestWorker {
  /** The worker's outbox dispatcher: `idle()` before asserting that an e-mail was not sent. */
  delivery: Delivery;
  stop(): Promise<void>;
}

/** What `worker/main.ts` runs, on a test environment: the production activities and dispatcher. */
export async function startTestWorker(env: TestWorkflowEnvironment, pool: pg.Pool, channels: NotificationChannels): Promise<TestWorker> {
  const delivery = startDelivery({ pool, channels });
  const worker = await createWorker({
    connection: env.nativeConnection,
    activities: createActivities({ pool, channels, delivery }),
    workflowBundle: await bundleWorkflows(),
    shutdownGraceSeconds: 1,
  });
  const running = worker.run();
  return {
    delivery,
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await delivery.stop();
    },
  };
}
