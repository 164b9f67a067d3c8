import { fileURLToPath } from 'node:url';
import { InvalidRequestError } from '../errors.js';
import type { NotificationChannels, WebhookTarget } from './channels.js';
import { DEFAULT_FROM, fileEmailChannel, smtpEmailChannel } from './email.js';
import { webhookChannel } from './webhook.js';

/** Git-ignored: .data/ holds every piece of local state. */
export const DEFAULT_MAIL_DIR = fileURLToPath(new URL('../../.data/mail/', import.meta.url));

/**
 * Channels from the environment:
 * - `SMTP_URL` (e.g. smtp://user:pass@host:587): send e-mail over SMTP; unset: write .eml files to
 *   `MAIL_DIR` (default .data/mail/). `MAIL_FROM` sets the sender.
 * - `WEBHOOK_URL` + `WEBHOOK_SECRET`: one signed webhook for every unit.
 * - `WEBHOOK_UNITS`: JSON `{"<unit id>": {"url": "...", "secret": "..."}}`, per-unit endpoints
 *   that take precedence over the global one.
 */
export function channelsFromEnv(env: Record<string, string | undefined> = process.env): NotificationChannels {
  const from = env.MAIL_FROM ?? DEFAULT_FROM;
  const email = env.SMTP_URL
    ? smtpEmailChannel(env.SMTP_URL, from)
    : fileEmailChannel(env.MAIL_DIR ?? DEFAULT_MAIL_DIR, from);
  const global = target(env.WEBHOOK_URL, env.WEBHOOK_SECRET, 'WEBHOOK_URL/WEBHOOK_SECRET');
  const units = parseUnits(env.WEBHOOK_UNITS);
  const webhook = global || units ? webhookChannel({ ...(global && { global }), ...(units && { units }) }) : undefined;
  return { email, ...(webhook && { webhook }) };
}

function target(url: string | undefined, secret: string | undefined, what: string): WebhookTarget | undefined {
  if (!url) return undefined;
  if (!secret) throw configError(`${what}: a webhook URL needs a secret to sign with`);
  return { url, secret };
}

function parseUnits(json: string | undefined): Record<string, WebhookTarget> | undefined {
  if (!json) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw configError('WEBHOOK_UNITS is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw configError('WEBHOOK_UNITS must be a JSON object');
  const out: Record<string, WebhookTarget> = {};
  for (const [unit, v] of Object.entries(parsed)) {
    const t = v as Partial<WebhookTarget> | null;
    const ok = t && typeof t.url === 'string' && typeof t.secret === 'string';
    if (!ok) throw configError(`WEBHOOK_UNITS.${unit} needs "url" and "secret" strings`);
    out[unit] = { url: t.url!, secret: t.secret! };
  }
  return out;
}

function configError(en: string): InvalidRequestError {
  return new InvalidRequestError({ vi: `Cấu hình thông báo sai: ${en}`, en: `Notification settings: ${en}` });
}
