import { CancellationScope, CancelledFailure, sleep } from '@temporalio/workflow';
import type { Instance } from './instance-context.js';

/**
 * Chờ đến khi có tín hiệu mới trong hàng đợi hoặc hết `ms`: đúng các lệnh của `condition(…, ms)`,
 * rẻ hơn ở lần thức thường gặp nhất (hẹn giờ đến hạn).
 * Until a signal is queued (inbox.ts) or `ms` pass: the commands `condition(() => inbox non-empty,
 * ms)` gives, a timer cancelled when a signal comes first, at less cost on the usual wake, the
 * timer firing (inbox-wait-v1). `condition` races the timer against a condition in a scope of its
 * own and cancels that scope however the race ends: every timer wake built a CancelledFailure and
 * settled some fourteen promises, and the SDK's promise hook captures a source-mapped stack trace for
 * each promise a workflow creates (for the `__stack_trace` query) and keeps it while it is pending.
 * In a profiled year of 300 national instances that hook was 6 s of the workflow thread's 18.6,
 * half of it under `condition`. Here a timer wake settles the sleep and its scope, and nothing is
 * cancelled. A queued signal cancels the timer once the activation's jobs have run (a microtask,
 * where `condition` is re-checked), so a timer firing in the same activation is not cancelled: the
 * same commands as `condition` in both cases.
 */
export async function untilQueued(inst: Instance, ms: number): Promise<void> {
  if (inst.inbox.length > 0) return;
  const scope = new CancellationScope();
  let interrupted = false;
  inst.interrupt = () => {
    inst.interrupt = undefined;
    interrupted = true;
    void Promise.resolve().then(() => scope.cancel());
  };
  try {
    await scope.run(() => sleep(ms));
  } catch (err) {
    if (!(interrupted && err instanceof CancelledFailure)) throw err;
  } finally {
    inst.interrupt = undefined;
  }
}
