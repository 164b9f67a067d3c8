import type { EmailChannel } from './channels.js';

/**
 * Every e-mail to one address, for trying a real relay without writing to real offices: the seed
 * registries name departments, and a newcomer who sets SMTP_URL to test their relay must not mail
 * them. The intended recipient is named at the top of the body and in a header.
 */
export function redirectedEmailChannel(inner: EmailChannel, to: string): EmailChannel {
  return {
    async send(m) {
      await inner.send({
        ...m,
        to,
        subject: `[Thử nghiệm → ${m.to}] ${m.subject}`,
        text: [
          `[Thư thử nghiệm: chithi chạy với MAIL_REDIRECT_TO; người nhận thật sẽ là ${m.to}.]`,
          `[Test message: chithi runs with MAIL_REDIRECT_TO; the real recipient would be ${m.to}.]`,
          '',
          m.text,
        ].join('\n'),
        headers: { ...m.headers, 'X-Chithi-Intended-Recipient': m.to },
      });
    },
    ...(inner.close ? { close: () => inner.close!() } : {}),
  };
}
