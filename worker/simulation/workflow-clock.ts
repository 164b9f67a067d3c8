/**
 * `Date.now()` in simulated workflow code (bundle.ts replaces it with this): the run's virtual
 * clock, as the SDK's sandbox gives workflow code the time of its activation.
 */
import { simulationRuntime } from './runtime.js';

export function __chithiWorkflowNow(): number {
  const run = simulationRuntime().current();
  if (!run) throw new Error('Date.now() called outside workflow code in the simulation');
  return run.now();
}
