import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope sender and recipients (what the server was told, not the headers). */
  from: string;
  to: string[];
  /** Header names lower-cased; values unfolded, encoded-words decoded. */
  headers: Record<string, string>;
  subject: string;
  messageId: string;
  /** The text/plain body, transfer-decoded and read as UTF-8. */
  text: string;
  raw: string;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`: pass to smtpEmailChannel. */
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Rejects the next `n` messages with a temporary failure (451), to exercise retries. */
  failNext(n: number): void;
  /**
   * Holds the reply to the next message until `release()`: the server has the whole message and
   * the client waits for the final answer, as with a slow relay. `arrived` resolves once it is held;
   * the message is in `messages` after the release.
   */
  holdNext(): HeldMail;
  /** While on, connections are accepted and never answered (no greeting): a relay that hangs. */
  silence(on: boolean): void;
  /** Resolves once `n` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

export interface HeldMail {
  arrived: Promise<void>;
  release(): void;
}

/** A real SMTP server on loopback, random port, no auth, no TLS, collecting what it receives. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  let failures = 0;
  let silent = false;
  let hold: { arrived: () => void; released: Promise<void> } | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      // Not calling back keeps the client waiting for a greeting that never comes.
      if (!silent) callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const answer = (): void => {
          if (failures > 0) {
            failures--;
            const err = Object.assign(new Error('try again later'), { responseCode: 451 });
            return callback(err);
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const envFrom = session.envelope.mailFrom;
          messages.push({
            ...parseMail(raw),
            from: envFrom ? envFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          callback();
        };
        const held = hold;
        hold = undefined;
        if (!held) return answer();
        held.arrived();
        void held.released.then(answer);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    failNext: (n) => {
      failures = n;
    },
    holdNext() {
      let arrived!: () => void;
      let release!: () => void;
      const arrival = new Promise<void>((r) => (arrived = r));
      hold = { arrived, released: new Promise<void>((r) => (release = r)) };
      return { arrived: arrival, release };
    },
    silence: (on) => {
      silent = on;
    },
    async waitFor(n, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} e-mails, got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return messages;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Enough MIME for what nodemailer sends: headers with RFC 2047 words, single-part or
 * multipart bodies in quoted-printable, base64, 7bit or 8bit, UTF-8.
 */
export function parseMail(raw: string): Omit<ReceivedMail, 'from' | 'to'> {
  const { headers, body } = splitHeaders(raw);
  const text = textPart(headers, body);
  return {
    headers,
    subject: headers.subject ?? '',
    messageId: (headers['message-id'] ?? '').replace(/^<|>$/g, ''),
    text,
    raw,
  };
}

function splitHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const normal = raw.replace(/\r\n/g, '\n');
  const end = normal.indexOf('\n\n');
  const head = end < 0 ? normal : normal.slice(0, end);
  const body = end < 0 ? '' : normal.slice(end + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return { headers, body };
}

function textPart(headers: Record<string, string>, body: string): string {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body.split(`--${boundary}`).slice(1, -1);
    for (const part of parts) {
      const p = splitHeaders(part.replace(/^\n/, ''));
      const t = textPart(p.headers, p.body);
      if (/^text\/plain/i.test(p.headers['content-type'] ?? 'text/plain') || /^multipart\//i.test(p.headers['content-type'] ?? '')) return t;
    }
    return '';
  }
  return decodeBody(body, headers['content-transfer-encoding'] ?? '7bit');
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable':
      return qpDecode(body).toString('utf8');
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

function qpDecode(s: string): Buffer {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i]!;
    const hex = soft.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047: `=?UTF-8?Q?...?=` and `=?UTF-8?B?...?=`; whitespace between adjacent words is dropped. */
function decodeWords(v: string): string {
  const word = /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g;
  const joined = v.replace(/(\?=)\s+(=\?)/g, '$1$2');
  // Adjacent words may split one UTF-8 character across them: decode bytes first, then the text.
  return joined.replace(/(?:=\?[^?]+\?[QqBb]\?[^?]*\?=)+/g, (run) => {
    const bytes: Buffer[] = [];
    for (const m of run.matchAll(word)) {
      const [, , enc, data = ''] = m;
      bytes.push(enc!.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpDecode(data.replace(/_/g, ' ')));
    }
    return Buffer.concat(bytes).toString('utf8');
  });
}
