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
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  stop(): Promise<void>;
}

/** True when `X-Chithi-Signature` is `sha256=<hex HMAC of the raw body with secret>`. */
export function verifySignature(req: ReceivedWebhook, secret: string): boolean {
  const got = String(req.headers['x-chithi-signature'] ?? '');
  const want = `sha256=${createHmac('sha256', secret).update(req.body, 'utf8').digest('hex')}`;
  return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
}

/** A loopback HTTP server that records every request and answers 204. */
export async function startWebhookReceiver(): Promise<TestWebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  let failures = 0;
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
      if (failures > 0) {
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
