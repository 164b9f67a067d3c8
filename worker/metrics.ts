import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import type pg from 'pg';
import { outboxTotals } from '../activities/store/outbox.js';

/**
 * Trang số đo Prometheus của worker: số đo của Temporal SDK (tác vụ, độ trễ, bộ nhớ đệm) cùng
 * số thông báo đang chờ, đang thử lại và đã bỏ, để người vận hành theo dõi ở một chỗ.
 * The worker's Prometheus endpoint (CHITHI_METRICS_ADDRESS): the Temporal SDK's own metrics
 * (task latencies, slots, sticky cache, polls) and chithi's outbox gauges, so an operator scrapes
 * one place per worker. `Runtime.install` may run once per process, before any worker.
 */
export function installRuntime(opts: { metricsAddress?: string; logging?: NonNullable<RuntimeOptions['telemetryOptions']>['logging']; logger?: RuntimeOptions['logger'] }): void {
  const { metricsAddress, logging, logger } = opts;
  if (!metricsAddress && !logging && !logger) return;
  Runtime.install({
    ...(logger ? { logger } : {}),
    telemetryOptions: {
      ...(logging ? { logging } : {}),
      ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
    },
  });
}

/**
 * Đọc bảng outbox mỗi `everyMs` và đưa vào các gauge; mọi worker đều báo cùng con số (toàn bảng).
 * Reads the outbox every `everyMs` into gauges (every worker reports the same whole-table numbers:
 * alert on the max, not the sum). A failed read (the database away) keeps the last values.
 */
export function startOutboxGauges(pool: pg.Pool, everyMs = 15_000): () => void {
  const meter = Runtime.instance().metricMeter;
  const pending = meter.createGauge('chithi_notices_pending', 'int', '', 'notices committed and not yet sent (due, being sent or waiting for a retry)');
  const retrying = meter.createGauge('chithi_notices_retrying', 'int', '', 'pending notices whose last attempt was refused');
  const undelivered = meter.createGauge('chithi_notices_undelivered', 'int', '', 'notices given up after the retry window (in the in-app inbox only)');
  const oldest = meter.createGauge('chithi_notices_oldest_pending_seconds', 'float', 's', 'age of the oldest pending notice');
  const read = async () => {
    try {
      const t = await outboxTotals(pool);
      pending.set(t.pending);
      retrying.set(t.retrying);
      undelivered.set(t.undelivered);
      oldest.set(t.oldestPendingSeconds);
    } catch {
      // The database is away: the dispatcher says so in the log; the gauges keep their values.
    }
  };
  void read();
  const timer = setInterval(() => void read(), everyMs).unref();
  return () => clearInterval(timer);
}
