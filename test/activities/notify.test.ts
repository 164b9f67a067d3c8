import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../activities/errors.js';
import { fileEmailChannel, smtpEmailChannel } from '../../activities/notify/email.js';
import { webhookChannel } from '../../activities/notify/webhook.js';
import { createNotify } from '../../activities/notify.js';
import { readInbox } from '../../activities/store/index.js';
import type { RuntimeActivities } from '../../workflows/types.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { notification, units } from '../support/fixtures.js';
import { parseMail, startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startWebhookReceiver, verifySignature, type TestWebhookReceiver } from '../support/webhook.js';

const SECRET = 'bí-mật-thử-nghiệm';

// The activity that histories from before `recordStep` (journal.ts) still call: it enqueues and
// delivers one notice itself, retried by Temporal.
describe('notify', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let hook: TestWebhookReceiver;
  let notifyActivity: RuntimeActivities['notify'];
  let n = 0;
  const key = (): string => `chithi/hanoi-3968-2022/contact-point/so-y-te:1:test-${++n}`;

  beforeAll(async () => {
    [db, smtp, hook] = await Promise.all([freshDatabase(), startSmtpServer(), startWebhookReceiver()]);
    notifyActivity = createNotify(db.pool, {
      email: smtpEmailChannel(smtp.url),
      webhook: webhookChannel({ global: { url: hook.url, secret: SECRET } }),
    });
  });
  afterAll(async () => {
    await Promise.all([db.drop(), smtp.stop(), hook.stop()]);
  });
  beforeEach(() => {
    smtp.messages.length = 0;
    hook.requests.length = 0;
  });

  it('a retried notify delivers exactly one e-mail, one inbox row and one signed webhook', async () => {
    const req = notification({ key: key() });
    await notifyActivity(req);
    await notifyActivity(req);
    await smtp.waitFor(1);
    await hook.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.messages).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
    const inbox = await readInbox(db.pool, 'so-y-te');
    expect(inbox.filter((m) => m.subject === smtp.messages[0]!.subject)).toHaveLength(1);

    const mail = smtp.messages[0]!;
    expect(mail.to).toEqual([units.soYTe.email]);
    expect(mail.headers['x-chithi-idempotency-key']).toBe(`${req.key}:email:so-y-te`);
    expect(mail.messageId).toMatch(/^[0-9a-f]{40}@chithi$/);

    const call = hook.requests[0]!;
    expect(verifySignature(call, SECRET)).toBe(true);
    expect(verifySignature(call, 'wrong')).toBe(false);
    expect(call.headers['x-chithi-idempotency-key']).toBe(`${req.key}:webhook:so-y-te`);
    // The key is in the body, which the signature covers: a receiver de-duplicates on a signed value.
    expect((call.json as { key: string }).key).toBe(`${req.key}:webhook:so-y-te`);
    expect(call.json).toMatchObject({ kind: 'reminder', recipient: 'so-y-te', due: '2022-11-30', directive: { number: '3968/UBND-KGVX' } });
  });

  it('overlapping attempts of the same notice still send once', async () => {
    const req = notification({ key: key(), to: ['so-y-te', 'so-tttt'] });
    await Promise.all([notifyActivity(req), notifyActivity(req), notifyActivity(req)]);
    await smtp.waitFor(2);
    await hook.waitFor(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(['sotttt@hanoi.example', 'soyte@hanoi.example']);
    expect(hook.requests).toHaveLength(2);
  });

  it('Vietnamese subject and body survive the UTF-8 round trip', async () => {
    await notifyActivity(notification({ key: key() }));
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('[Chỉ thị 3968/UBND-KGVX] Nhắc hạn: Gửi thông tin đầu mối ứng cứu sự cố về Sở TTTT — hạn 30/11/2022');
    expect(mail!.text).toContain('Kính gửi: Sở Y tế');
    expect(mail!.text).toContain('Nhiệm vụ sau sắp đến hạn (còn 7 ngày).');
    expect(mail!.text).toContain('Điều khoản: 1.4');
    expect(mail!.text).toContain('Họ tên cán bộ đầu mối (thông tin, bắt buộc)');
    expect(mail!.text).toContain('npx chithi submit --directive hanoi-3968-2022 --obligation contact-point --unit so-y-te');
    expect(mail!.text).toContain('The following task is due in 7 days.');
    expect(mail!.text.indexOf('Kính gửi')).toBeLessThan(mail!.text.indexOf('— English —'));
    const [call] = await hook.waitFor(1);
    expect((call!.json as { subject: string }).subject).toBe(mail!.subject);
    const [inbox] = await readInbox(db.pool, 'so-y-te', { limit: 1 });
    expect(inbox!.body).toBe(mail!.text);
  });

  it('a failed delivery throws a DeliveryError; the retry sends once and counts attempts', async () => {
    const req = notification({ key: key() });
    smtp.failNext(1);
    await expect(notifyActivity(req)).rejects.toBeInstanceOf(DeliveryError);
    expect(smtp.messages).toHaveLength(0);
    expect(hook.requests).toHaveLength(1); // the webhook went out on the first attempt
    await notifyActivity(req);
    await smtp.waitFor(1);
    expect(hook.requests).toHaveLength(1);
    const { rows } = await db.pool.query<{ channel: string; attempts: number; sent: boolean; last_error: string | null }>(
      'SELECT channel, attempts, sent_at IS NOT NULL AS sent, last_error FROM outbox WHERE request_key = $1 ORDER BY channel',
      [req.key],
    );
    expect(rows).toEqual([
      { channel: 'email', attempts: 2, sent: true, last_error: null },
      { channel: 'webhook', attempts: 1, sent: true, last_error: null },
    ]);
  });

  it('escalation names the late unit and how late it is, to each recipient', async () => {
    const req = notification({
      key: key(),
      kind: 'escalation',
      to: ['so-tttt', 'chu-tich-ubnd'],
      at: '2022-12-07T23:59:59.999+07:00',
      detail: { role: 'leadership' },
    });
    await notifyActivity(req);
    const mails = await smtp.waitFor(2);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['chutich@hanoi.example', 'sotttt@hanoi.example']);
    for (const m of mails) {
      expect(m.subject).toContain('Chậm thực hiện');
      expect(m.text).toContain('Sở Y tế chưa hoàn thành nhiệm vụ sau, đã quá hạn 7 ngày.');
      expect(m.text).toContain('Department of Health has not completed the following task and is 7 days late.');
    }
    expect((await readInbox(db.pool, 'chu-tich-ubnd')).some((i) => i.kind === 'escalation')).toBe(true);
  });

  it('inbox always, even with no e-mail or webhook channel', async () => {
    const notify = createNotify(db.pool, {});
    await notify(notification({ key: key(), kind: 'opened', to: ['so-y-te'] }));
    const [latest] = await readInbox(db.pool, 'so-y-te', { limit: 1 });
    expect(latest!.subject).toContain('Giao nhiệm vụ');
  });

  it('without SMTP, e-mail is written as .eml files named after the Message-ID', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chithi-mail-'));
    try {
      const notify = createNotify(db.pool, { email: fileEmailChannel(dir) });
      const req = notification({ key: key(), kind: 'overdue', at: '2022-12-02T08:00:00.000+07:00' });
      await notify(req);
      await notify(req);
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      const mail = parseMail(await readFile(join(dir, files[0]!), 'utf8'));
      expect(mail.subject).toBe('[Chỉ thị 3968/UBND-KGVX] Quá hạn: Gửi thông tin đầu mối ứng cứu sự cố về Sở TTTT — hạn 30/11/2022');
      expect(mail.text).toContain('đã quá hạn 2 ngày');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
