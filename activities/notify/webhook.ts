import { createHmac } from 'node:crypto';
import { DeliveryError } from '../errors.js';
import type { WebhookChannel, WebhookTarget } from './channels.js';

export const SIGNATURE_HEADER = 'X-Chithi-Signature';
export const IDEMPOTENCY_HEADER = 'X-Chithi-Idempotency-Key';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as payment providers sign webhooks:
 * the time is signed with the body, so a receiver can refuse a request recorded and replayed
 * later (compare `t` with its clock, e.g. 5 minutes either way) and cannot be handed a fresh `t`
 * for an old body. The body carries the notice's idempotency key (`key`), so that is signed too.
 */
export function signBody(body: string, secret: string, t: number = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex')}`;
}

export interface WebhookConfig {
  /** Used for every unit without its own endpoint. */
  global?: WebhookTarget;
  /** Per-unit endpoints, by unit id. */
  units?: Record<string, WebhookTarget>;
  /** The whole request: connecting, the answer and its body. Default 10 s. */
  timeoutMs?: number;
}

/**
 * Signed JSON webhooks: POSTs the exact stored body (a retry carries the same `key`), signed at
 * each attempt. Redirects are not followed: fetch would re-send the signature and the idempotency
 * key to whatever address the answer names, so a 3xx is a failure that names it, and whoever runs
 * the receiver configures the new URL.
 */
export function webhookChannel(config: WebhookConfig): WebhookChannel {
  // A receiver that is up answers in well under a second; one that hangs must not hold a
  // dispatcher lane for long (fetch itself has no overall timeout).
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
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new DeliveryError('webhook', target.url, err instanceof Error ? err.message : String(err), { cause: err });
      }
      // Drain the body so the keep-alive connection is reusable.
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 300 && res.status < 400) {
        throw new DeliveryError(
          'webhook',
          target.url,
          `HTTP ${res.status} redirect to ${res.headers.get('location') ?? '(no Location)'} not followed; configure that URL if it is the receiver's new address`,
        );
      }
      if (!res.ok) throw new DeliveryError('webhook', target.url, `HTTP ${res.status}`);
    },
  };
}
