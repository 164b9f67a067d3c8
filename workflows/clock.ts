// Workflow time: Date inside the workflow sandbox is the replay-safe workflow clock.
export const DAY_MS = 86_400_000;

export function nowMs(): number {
  return Date.now();
}

export function nowIso(): string {
  return new Date(Date.now()).toISOString();
}

export function toMs(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new TypeError(`not an ISO instant: ${instant}`);
  return ms;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
