import type { Backend } from './backend.js';
import { realBackend } from './real-backend.js';

/**
 * The backend of the workflow tests: the production activities on PostgreSQL with a loopback SMTP
 * server (real-backend.ts). There was an in-memory one (WORKFLOW_TEST_BACKEND=memory); nothing
 * ran it, so it was removed (issue 8, item 11).
 */
export async function testBackend(): Promise<Backend> {
  return realBackend();
}
