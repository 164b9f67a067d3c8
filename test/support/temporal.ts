import type { Client } from '@temporalio/client';

/**
 * Waits until the workflow has no workflow task or activity in flight (three quiet looks in a row).
 * Tests query only idle instances: on the time-skipping server a query that lands during a
 * continue-as-new can be lost, and the server's clock then stops. The test server does not report
 * a started workflow task in `describe`, and a local activity (recordStep) runs inside one, so the
 * last history event is checked too: a task scheduled or started is still running.
 */
export async function settle(client: Client, workflowId: string, timeoutMs = 30_000): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > deadline) throw new Error(`${workflowId}: still busy after ${timeoutMs / 1000} s`);
    const d = await handle.describe();
    let busy = d.status.name === 'RUNNING' && ((d.raw.pendingActivities?.length ?? 0) > 0 || d.raw.pendingWorkflowTask != null);
    if (!busy && d.status.name === 'RUNNING') {
      const events = (await client.workflow.getHandle(workflowId, d.runId).fetchHistory()).events ?? [];
      const last = events[events.length - 1];
      busy = last?.workflowTaskScheduledEventAttributes != null || last?.workflowTaskStartedEventAttributes != null;
    }
    quiet = busy ? 0 : quiet + 1;
    if (quiet < 3) await new Promise((r) => setTimeout(r, 30));
  }
}
