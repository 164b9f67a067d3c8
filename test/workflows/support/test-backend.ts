import type { Backend } from './backend.js';
import { memoryBackend } from './memory-backend.js';

/** The backend the scenario files run on. */
export async function testBackend(): Promise<Backend> {
  return memoryBackend();
}
