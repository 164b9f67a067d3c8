import type { Client } from '@temporalio/client';

/**
 * Waits until the workflow has no workflow task or activity in flight (three quiet looks in a row).
 * Tests query only idle instances: on the time-skipping server a query that lands during a
 * continue-as-new can be lost, and the server's clock then stops.
 */
export async function settle(client: Client, workflowId: string, timeoutMs = 30_000): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > deadline) throw new Error(`${workflowId}: still busy after ${timeoutMs / 1000} s`);
    const d = await handle.describe();
    const busy = d.status.name === 'RUNNING' && ((d.raw.pendingActivities?.length ?? 0) > 0 || d.raw.pendingWorkflowTask != null);
    quiet = busy ? 0 : quiet + 1;
    if (quiet < 3) await new Promise((r) => setTimeout(r, 30));
  }
}
