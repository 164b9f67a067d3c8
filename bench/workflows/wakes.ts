/**
 * Mốc so sánh của năm ảo ở quy mô lớn: một workflow chỉ thức dậy đúng những lúc một phiên của chithi
 * thức, không gọi activity nào: giới hạn của chính Temporal trên máy này.
 * The baseline of the scale year (bench/scale-year.ts): a workflow that wakes at the instants one
 * chithi instance woke (offsets from its start, read from that instance's history) and does nothing
 * else, no activity: the engine's own limit on this machine.
 */
import { sleep } from '@temporalio/workflow';

export async function benchWakes(offsets: number[]): Promise<number> {
  const start = Date.now();
  for (const at of offsets) {
    const wait = start + at - Date.now();
    if (wait > 0) await sleep(wait);
  }
  return offsets.length;
}
