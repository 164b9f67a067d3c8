import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../activities/errors.js';
import { signBody, webhookChannel } from '../../activities/notify/webhook.js';
import { startWebhookReceiver, verifySignature, type TestWebhookReceiver } from '../support/webhook.js';

const SECRET = 'bí-mật-thử-nghiệm';
const KEY = 'chithi/hanoi-3968-2022/contact-point/so-y-te:1:reminder:0:webhook:so-y-te';
const BODY = JSON.stringify({ key: KEY, kind: 'reminder', text: 'Nhắc hạn: gửi thông tin đầu mối' });

describe('webhooks', () => {
  let hook: TestWebhookReceiver;
  let other: TestWebhookReceiver;

  beforeAll(async () => {
    [hook, other] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
  });
  afterAll(async () => {
    await Promise.all([hook.stop(), other.stop()]);
  });
  beforeEach(() => {
    hook.requests.length = 0;
    other.requests.length = 0;
  });

  it('signs t=<unix seconds>,v1=<HMAC of "t.body">: the receiver verifies it and refuses a changed or old t', async () => {
    const target = { url: hook.url, secret: SECRET };
    const before = Math.floor(Date.now() / 1000);
    await webhookChannel({ global: target }).post(target, BODY, KEY);
    const [req] = await hook.waitFor(1);
    const header = String(req!.headers['x-chithi-signature']);
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    expect(m, header).not.toBeNull();
    const t = Number(m![1]);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(m![2]).toBe(createHmac('sha256', SECRET).update(`${t}.${BODY}`, 'utf8').digest('hex'));
    expect(signBody(BODY, SECRET, t)).toBe(header);
    expect(req!.body).toBe(BODY);
    expect((req!.json as { key: string }).key).toBe(req!.headers['x-chithi-idempotency-key']);

    expect(verifySignature(req!, SECRET)).toBe(true);
    expect(verifySignature(req!, 'wrong')).toBe(false);
    expect(verifySignature({ ...req!, body: BODY.replace('Nhắc hạn', 'Đã xong') }, SECRET)).toBe(false);
    // Replayed ten minutes later: refused on its age.
    expect(verifySignature(req!, SECRET, { now: t + 600 })).toBe(false);
    // Replayed with t moved forward to look fresh: the HMAC no longer matches.
    const refreshed = { ...req!, headers: { ...req!.headers, 'x-chithi-signature': header.replace(`t=${t}`, `t=${t + 600}`) } };
    expect(verifySignature(refreshed, SECRET, { now: t + 600 })).toBe(false);
  });

  it('a redirect is a delivery failure naming the Location; the new address receives nothing', async () => {
    const target = { url: hook.url, secret: SECRET };
    hook.redirectNext(1, other.url);
    const err: unknown = await webhookChannel({ global: target }).post(target, BODY, KEY).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).reason).toContain('302');
    expect((err as DeliveryError).reason).toContain(other.url);
    await new Promise((r) => setTimeout(r, 200));
    expect(hook.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(0);
  });
});
