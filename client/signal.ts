import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { UserError } from './io.js';

/** A closed instance cannot take a signal: say so in words rather than with a gRPC stack. */
export async function signalOrExplain(client: Client, workflowId: string, name: string, payload: unknown): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).signal(name, payload);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new UserError({ vi: `Phiên ${workflowId} không còn chạy.`, en: `Instance ${workflowId} is no longer running.` });
    }
    throw err;
  }
}
