import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body as received (the bytes the signature covers), as UTF-8 text. */
  body: string;
  json: unknown;
}

export interface TestWebhookReceiver {
  /** `http://127.0.0.1:<port>/hook` */
  url: string;
  requests: ReceivedWebhook[];
  /** Answers the next `n` requests with HTTP 503, to exercise retries (the request is still recorded). */
  failNext(n: number): void;
  /** Answers the next `n` requests with `302 Location: <location>` (the request is still recorded). */
  redirectNext(n: number, location: string): void;
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  stop(): Promise<void>;
}

/**
 * What a receiver does: true when `X-Chithi-Signature` is `t=<unix seconds>,v1=<hex HMAC-SHA256
 * of "<t>.<raw body>" with secret>` and `t` is within `toleranceSeconds` (default 300) of `now`
 * (unix seconds; default the clock), so a recorded request replayed later is refused and `t` cannot
 * be changed without breaking the HMAC. The body carries the idempotency key (`key`), so it is signed too.
 */
export function verifySignature(
  req: ReceivedWebhook,
  secret: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const header = String(req.headers['x-chithi-signature'] ?? '');
  const fields = new Map(header.split(',').map((field): [string, string] => {
    const eq = field.indexOf('=');
    return [field.slice(0, eq), field.slice(eq + 1)];
  }));
  const t = fields.get('t');
  const got = fields.get('v1');
  if (t === undefined || got === undefined || !/^\d+$/.test(t)) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(t)) > (opts.toleranceSeconds ?? 300)) return false;
  const want = createHmac('sha256', secret).update(`${t}.${req.body}`, 'utf8').digest('hex');
  return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
}

/** A loopback HTTP server that records every request and answers 204. */
export async function startWebhookReceiver(): Promise<TestWebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  let failures = 0;
  let redirects: { n: number; location: string } = { n: 0, location: '' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = undefined;
      try {
        json = JSON.parse(body);
      } catch {
        // Recorded as is; the test decides whether a non-JSON body is a failure.
      }
      requests.push({ path: req.url ?? '/', headers: req.headers, body, json });
      if (redirects.n > 0) {
        redirects.n--;
        res.writeHead(302, { Location: redirects.location }).end();
      } else if (failures > 0) {
        failures--;
        res.writeHead(503).end();
      } else {
        res.writeHead(204).end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    failNext: (n) => {
      failures = n;
    },
    redirectNext: (n, location) => {
      redirects = { n, location };
    },
    async waitFor(n, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (requests.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} webhook calls, got ${requests.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return requests;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
