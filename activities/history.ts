import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common';
import type { HistoryActivities, SignalReceivedRequest } from '../workflows/types.js';

/**
 * signalReceivedAt: when the Temporal server received a workflow's signal, from the run's history.
 * Workflow code sees a signal only when a worker takes it up, which may be long after (no worker
 * running, a backlog): its own clock then says "now". The history event carries the server's time
 * of receipt, on the same clock the workflow's time comes from, so the workflow can add its clock
 * offset and compare it with a due date, on a real server and on the time-skipping test server
 * alike. The signal is found by a field of its payload (`submissionId`); the first one counts, as
 * the workflow takes an id once. Undefined when the run's history has no such signal (one carried
 * from the previous run).
 */
export function createSignalReceivedAt(client?: Client): HistoryActivities['signalReceivedAt'] {
  return async (req: SignalReceivedRequest) => {
    const c = client ?? Context.current().client;
    const converter = c.options.loadedDataConverter.payloadConverter;
    const history = await c.workflow.getHandle(req.workflowId, req.runId).fetchHistory();
    for (const event of history.events ?? []) {
      const signaled = event.workflowExecutionSignaledEventAttributes;
      if (signaled?.signalName !== req.signal || !event.eventTime) continue;
      const payload = signaled.input?.payloads?.[0];
      if (!payload) continue;
      let value: unknown;
      try {
        value = converter.fromPayload(payload);
      } catch {
        continue; // not ours to read; the workflow rejected it as malformed anyway
      }
      if (typeof value === 'object' && value !== null && (value as Record<string, unknown>)[req.key] === req.value) {
        return new Date(tsToMs(event.eventTime)).toISOString();
      }
    }
    return undefined;
  };
}
