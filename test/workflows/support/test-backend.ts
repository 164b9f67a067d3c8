import type { Backend } from './backend.js';
import { memoryBackend } from './memory-backend.js';
import { realBackend } from './real-backend.js';

/**
 * The production activities (PostgreSQL + loopback SMTP) by default; `WORKFLOW_TEST_BACKEND=memory`
 * runs the same scenarios on in-memory fakes, to tell a workflow bug from a store bug.
 */
export async function testBackend(): Promise<Backend> {
  return process.env.WORKFLOW_TEST_BACKEND === 'memory' ? memoryBackend() : realBackend();
}
