/**
 * Delivery channels. Each is a small interface so tests inject loopback servers and the worker
 * builds them from the environment (see channelsFromEnv in ./env.ts). The in-app inbox is not a
 * channel: it is written to PostgreSQL for every notice, whatever is configured.
 */
export interface EmailMessage {
  /** RFC 5322 Message-ID, without angle brackets; derived from the outbox key. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  /** Extra headers, e.g. X-Chithi-Idempotency-Key. */
  headers?: Record<string, string>;
  /** The Date header: the notice's time (ISO instant) rather than the moment of sending. */
  date?: string;
}

export interface EmailChannel {
  send(message: EmailMessage): Promise<void>;
  close?(): void;
}

export interface WebhookTarget {
  url: string;
  /**
   * HMAC-SHA256 key; receivers verify `X-Chithi-Signature: t=<unix seconds>,v1=<hex>`, the HMAC of
   * `<t>.<raw body>`, and refuse an old `t` (./webhook.ts).
   */
  secret: string;
}

export interface WebhookChannel {
  /** The endpoint for this unit (its own, else the global one), or undefined: no webhook. */
  targetFor(unitId: string): WebhookTarget | undefined;
  post(target: WebhookTarget, body: string, idempotencyKey: string): Promise<void>;
}

export interface NotificationChannels {
  email?: EmailChannel;
  webhook?: WebhookChannel;
  /**
   * The portal's address (CHITHI_PUBLIC_URL, through common/config.ts), which each notice links
   * its task page from; absent, notices carry the command lines only.
   */
  portalUrl?: string;
}
