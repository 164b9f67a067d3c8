import { createHmac } from 'node:crypto';
import { DeliveryError } from '../errors.js';
import type { WebhookChannel, WebhookTarget } from './channels.js';

export const SIGNATURE_HEADER = 'X-Chithi-Signature';
export const IDEMPOTENCY_HEADER = 'X-Chithi-Idempotency-Key';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface WebhookConfig {
  /** Used for every unit without its own endpoint. */
  global?: WebhookTarget;
  /** Per-unit endpoints, by unit id. */
  units?: Record<string, WebhookTarget>;
  timeoutMs?: number;
}

/** Signed JSON webhooks: POSTs the exact stored body, so a retry carries the same signature. */
export function webhookChannel(config: WebhookConfig): WebhookChannel {
  const timeoutMs = config.timeoutMs ?? 10_000;
  return {
    targetFor: (unitId) => config.units?.[unitId] ?? config.global,
    async post(target, body, idempotencyKey) {
      let res: Response;
      try {
        res = await fetch(target.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            [SIGNATURE_HEADER]: signBody(body, target.secret),
            [IDEMPOTENCY_HEADER]: idempotencyKey,
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new DeliveryError('webhook', target.url, err instanceof Error ? err.message : String(err));
      }
      // Drain the body so the keep-alive connection is reusable.
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new DeliveryError('webhook', target.url, `HTTP ${res.status}`);
    },
  };
}
