import { createActivities, startDelivery } from '../../../activities/index.js';
import { smtpEmailChannel } from '../../../activities/notify/email.js';
import { freshDatabase } from '../../support/db.js';
import { startSmtpServer } from '../../support/smtp.js';
import { parseNoticeKey, type Backend, type Delivered } from './backend.js';

const KEY_HEADER = 'x-chithi-idempotency-key';

/**
 * The production activities on a fresh PostgreSQL (or embedded PGlite) with a loopback SMTP
 * server: what the tests count is e-mails actually received, one per (notice key, recipient).
 */
export async function realBackend(): Promise<Backend> {
  const [db, smtp] = await Promise.all([freshDatabase(), startSmtpServer()]);
  const email = smtpEmailChannel(smtp.url);
  const delivery = startDelivery({ pool: db.pool, channels: { email } });
  const activities = createActivities({ pool: db.pool, channels: { email }, delivery });
  return {
    name: 'postgres+smtp',
    activities,
    async delivered(): Promise<Delivered[]> {
      await delivery.idle();
      // The workflow time of a notice is in its inbox row; the e-mail's Date header is wall-clock.
      const { rows } = await db.pool.query<{ idempotency_key: string; at: Date }>('SELECT idempotency_key, at FROM inbox');
      const at = new Map(rows.map((r) => [r.idempotency_key, new Date(r.at).toISOString()]));
      // A letter is one e-mail carrying several notices: each counts as delivered by it.
      const carried = await db.pool.query<{ letter_key: string; idempotency_key: string }>(
        'SELECT letter_key, idempotency_key FROM outbox WHERE letter_key IS NOT NULL ORDER BY id',
      );
      const inLetter = new Map<string, string[]>();
      for (const r of carried.rows) inLetter.set(r.letter_key, [...(inLetter.get(r.letter_key) ?? []), r.idempotency_key]);
      return smtp.messages.flatMap((m) => {
        const key = m.headers[KEY_HEADER] ?? '';
        return (inLetter.get(key) ?? [key]).map((outboxKey) => {
          const [requestKey = '', recipient = ''] = outboxKey.split(':email:');
          const { kind } = parseNoticeKey(requestKey);
          const when = at.get(`${requestKey}:inbox:${recipient}`);
          return { key: requestKey, kind: kind as Delivered['kind'], to: recipient, ...(when ? { at: when } : {}), text: m.text };
        });
      });
    },
    mail: { messages: smtp.messages, pool: db.pool, idle: () => delivery.idle() },
    async close() {
      await delivery.stop();
      email.close?.();
      await smtp.stop();
      await db.drop();
    },
  };
}
