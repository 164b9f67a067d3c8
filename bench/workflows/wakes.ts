/**
 * Mốc so sánh của năm ảo ở quy mô lớn: một workflow chỉ thức dậy đúng những lúc một phiên của chithi
 * thức, không gọi activity nào: giới hạn của chính Temporal trên máy này.
 * The baselines of the scale year (bench/scale-year.ts): a workflow that wakes at the instants one
 * chithi instance woke (offsets from its start, read from that instance's history) and does
 * nothing else, no activity: the engine's own limit on this machine. `benchWakesJournal` also
 * commits each wake through one local activity that does nothing, as chithi's step journal does
 * (workflows/journal.ts, recordStep): what that pattern costs the engine, apart from what the
 * journal writes.
 */
import { proxyLocalActivities, sleep } from '@temporalio/workflow';

const { benchJournal } = proxyLocalActivities<{ benchJournal(wake: number): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function benchWakes(offsets: number[]): Promise<number> {
  const start = Date.now();
  for (const at of offsets) {
    const wait = start + at - Date.now();
    if (wait > 0) await sleep(wait);
  }
  return offsets.length;
}

export async function benchWakesJournal(offsets: number[]): Promise<number> {
  const start = Date.now();
  for (const [i, at] of offsets.entries()) {
    const wait = start + at - Date.now();
    if (wait > 0) await sleep(wait);
    await benchJournal(i);
  }
  return offsets.length;
}
