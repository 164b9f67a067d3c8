import type { Delivered } from './backend.js';
import type { Harness } from './harness.js';

/** `hanoi(2026, '11-29T10:00')` → that wall-clock time in Hanoi (+07:00, no DST). */
export function hanoi(year: number, monthDayTime: string): string {
  const [md, time = '00:00'] = monthDayTime.split('T');
  return `${year}-${md}T${time}:00+07:00`;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Moves the clock to `instant`, then waits for the instance to finish what the timers started. */
export async function advanceTo(h: Harness, workflowId: string, instant: string | number): Promise<void> {
  await h.sleepUntil(instant);
  await h.settle(workflowId);
}

/** Recipients of each notice kind, e.g. `{ escalation: ['so-tttt', 'chu-tich-ubnd'] }`, in delivery order. */
export function byKind(notices: Delivered[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const n of sortByKey(notices)) (out[n.kind] ??= []).push(n.to);
  return out;
}

/** Orders by cycle, then kind index, then recipient: the key says it all. */
export function sortByKey(notices: Delivered[]): Delivered[] {
  return [...notices].sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '') || a.key.localeCompare(b.key) || a.to.localeCompare(b.to));
}
