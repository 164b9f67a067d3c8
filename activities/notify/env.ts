import { join } from 'node:path';
import { publicUrl } from '../../common/config.js';
import { ROOT } from '../../common/root.js';
import { emailProblem } from '../../compiler/email.js';
import { InvalidRequestError } from '../errors.js';
import type { NotificationChannels, WebhookTarget } from './channels.js';
import { DEFAULT_FROM, fileEmailChannel, smtpEmailChannel } from './email.js';
import { redirectedEmailChannel } from './redirect.js';
import { webhookChannel } from './webhook.js';

/** Git-ignored: .data/ holds every piece of local state. */
export const DEFAULT_MAIL_DIR = join(ROOT, '.data', 'mail') + '/';

/**
 * Channels from the environment:
 * - `SMTP_URL` (e.g. smtp://user:pass@host:587): send e-mail over SMTP; unset: write .eml files to
 *   `MAIL_DIR` (default .data/mail/). `MAIL_FROM` sets the sender. With SMTP_URL, either
 *   `MAIL_REDIRECT_TO` (every e-mail to that one address, the real recipient named in it) or
 *   `CHITHI_MAIL_MODE=production` (the registries' addresses) must be chosen.
 * - `WEBHOOK_URL` + `WEBHOOK_SECRET`: one signed webhook for every unit.
 * - `WEBHOOK_UNITS`: JSON `{"<unit id>": {"url": "...", "secret": "..."}}`, per-unit endpoints
 *   that take precedence over the global one.
 * - `CHITHI_PUBLIC_URL` (default http://CHITHI_HOST:PORT, as the server computes it): the portal
 *   address notices link their task pages from.
 */
export function channelsFromEnv(env: Record<string, string | undefined> = process.env): NotificationChannels {
  const from = env.MAIL_FROM ?? DEFAULT_FROM;
  const redirect = env.MAIL_REDIRECT_TO?.trim() || undefined;
  const redirectProblem = redirect !== undefined ? emailProblem(redirect) : null;
  if (redirectProblem) {
    throw configError(`MAIL_REDIRECT_TO must be one e-mail address: ${redirectProblem.en}`, `MAIL_REDIRECT_TO phải là một địa chỉ thư điện tử: ${redirectProblem.vi}`);
  }
  const mode = env.CHITHI_MAIL_MODE;
  if (mode !== undefined && mode !== 'production' && mode !== 'test') {
    throw configError(`CHITHI_MAIL_MODE is "production" or "test" (got "${mode}")`);
  }
  // Real addresses are written to only when someone chose it: an SMTP relay alone is not that
  // choice, since trying a relay is what a newcomer does first.
  if (env.SMTP_URL && redirect === undefined && mode !== 'production') {
    throw configError(
      'SMTP_URL is set, so e-mail would go to the real addresses of the registries. To try a relay, set MAIL_REDIRECT_TO=<your address> (every e-mail goes there, naming its real recipient); to mail the registries\' addresses, set CHITHI_MAIL_MODE=production',
      'SMTP_URL đã đặt, nên thư sẽ gửi tới địa chỉ thật trong danh mục đơn vị. Để thử máy chủ thư, đặt MAIL_REDIRECT_TO=<địa chỉ của bạn> (mọi thư gửi về đó, ghi rõ người nhận thật); để gửi tới địa chỉ trong danh mục, đặt CHITHI_MAIL_MODE=production',
    );
  }
  const base = env.SMTP_URL
    ? smtpEmailChannel(env.SMTP_URL, from)
    : fileEmailChannel(env.MAIL_DIR ?? DEFAULT_MAIL_DIR, from);
  const email = redirect !== undefined ? redirectedEmailChannel(base, redirect) : base;
  const global = target(env.WEBHOOK_URL, env.WEBHOOK_SECRET, 'WEBHOOK_URL/WEBHOOK_SECRET');
  const units = parseUnits(env.WEBHOOK_UNITS);
  const webhook = global || units ? webhookChannel({ ...(global && { global }), ...(units && { units }) }) : undefined;
  return { email, ...(webhook && { webhook }), portalUrl: publicUrl(env) };
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
  } catch (err) {
    throw configError('WEBHOOK_UNITS is not valid JSON', undefined, err);
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

function configError(en: string, vi?: string, cause?: unknown): InvalidRequestError {
  return new InvalidRequestError({ vi: `Cấu hình thông báo sai: ${vi ?? en}`, en: `Notification settings: ${en}` }, cause === undefined ? undefined : { cause });
}
