// Workflow time: Date inside the workflow sandbox is the replay-safe workflow clock.
export const DAY_MS = 86_400_000;

// Per workflow execution: the SDK gives each workflow its own module globals.
let offsetMs = 0;

/** See InstanceInput.clockOffsetMs. Timers stay correct because they sleep for differences of business times. */
export function setClockOffset(ms: number): void {
  offsetMs = ms;
}

export function nowMs(): number {
  return Date.now() + offsetMs;
}

export function nowIso(): string {
  return new Date(nowMs()).toISOString();
}

export function toMs(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new TypeError(`not an ISO instant: ${instant}`);
  return ms;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
