import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { EmailChannel, EmailMessage } from './channels.js';

export const DEFAULT_FROM = 'chithi <chithi@localhost>';

/** How long an SMTP send may wait (milliseconds). */
export interface SmtpTimeouts {
  /** To connect, TLS included; the greeting must also come within it. */
  connectionTimeoutMs?: number;
  /** For the server's greeting once connected. */
  greetingTimeoutMs?: number;
  /** Of silence from the server at any later point of the exchange. */
  socketTimeoutMs?: number;
  /** For the whole exchange, connecting to the final answer: then the connection is closed. */
  sendTimeoutMs?: number;
}

/**
 * nodemailer waits 2 minutes to connect and 10 minutes of silence by default, so a relay that
 * accepts the connection and then hangs held a dispatcher lane (and, before claims, a row lock and
 * a transaction) for 10 minutes per message. A relay that is up greets and answers each command
 * within a second or two; a message here is a few kilobytes of text. RFC 5321 §4.5.3.2 lets a
 * server take up to 10 minutes to accept the data, but a relay that slow is treated as down: the
 * row is retried with the same Message-ID. The whole send (2 minutes) stays well within the
 * claim lease (5 minutes, ../notify.ts), so a live send is never taken over.
 */
export const SMTP_TIMEOUTS: Required<SmtpTimeouts> = {
  connectionTimeoutMs: 30_000,
  greetingTimeoutMs: 30_000,
  socketTimeoutMs: 60_000,
  sendTimeoutMs: 120_000,
};

/** E-mail over SMTP, e.g. `smtp://user:pass@mail.province.example:587` (`smtps://` for implicit TLS). */
export function smtpEmailChannel(url: string, from: string = DEFAULT_FROM, timeouts: SmtpTimeouts = {}): EmailChannel {
  const t = { ...SMTP_TIMEOUTS, ...timeouts };
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: t.connectionTimeoutMs,
    greetingTimeout: t.greetingTimeoutMs,
    socketTimeout: t.socketTimeoutMs,
  });
  return {
    async send(m) {
      // nodemailer 10 honours `signal` (aborts and closes the connection); @types/nodemailer 8 does not declare it.
      await transport.sendMail({ ...toMail(m, from), signal: AbortSignal.timeout(t.sendTimeoutMs) } as SendMailOptions);
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
