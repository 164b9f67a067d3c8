import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { EmailChannel, EmailMessage } from './channels.js';

export const DEFAULT_FROM = 'chithi <chithi@localhost>';

/** E-mail over SMTP, e.g. `smtp://user:pass@mail.province.example:587` (`smtps://` for implicit TLS). */
export function smtpEmailChannel(url: string, from: string = DEFAULT_FROM): EmailChannel {
  const transport = nodemailer.createTransport(url);
  return {
    async send(m) {
      await transport.sendMail(toMail(m, from));
    },
    close: () => transport.close(),
  };
}

/**
 * Without an SMTP server (a newcomer's machine), each message is written as an .eml file that
 * any mail client opens; the file is named after the Message-ID, so a re-send overwrites itself.
 */
export function fileEmailChannel(dir: string, from: string = DEFAULT_FROM): EmailChannel {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(m) {
      const info = await transport.sendMail(toMail(m, from));
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${m.messageId.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`), info.message as Buffer);
    },
  };
}

function toMail(m: EmailMessage, from: string): SendMailOptions {
  return {
    from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    messageId: `<${m.messageId}>`,
    headers: m.headers ?? {},
    ...(m.date ? { date: new Date(m.date) } : {}),
    textEncoding: 'quoted-printable',
  };
}
