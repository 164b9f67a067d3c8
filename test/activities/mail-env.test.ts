import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelsFromEnv } from '../../activities/notify/env.js';
import { InvalidRequestError } from '../../activities/errors.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const message = { messageId: 'thu-1@chithi', to: 'sotuphap@hanoi.example', subject: 'Nhắc hạn', text: 'Kính gửi: Sở Tư pháp' };

describe('never mail a real office by accident', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.stop();
  });

  it('an SMTP relay alone is refused, naming both ways forward', () => {
    let error: unknown;
    try {
      channelsFromEnv({ SMTP_URL: smtp.url });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    const text = (error as InvalidRequestError).text;
    expect(text.en).toContain('MAIL_REDIRECT_TO=<your address>');
    expect(text.en).toContain('CHITHI_MAIL_MODE=production');
    expect(text.vi).toContain('MAIL_REDIRECT_TO=<địa chỉ của bạn>');
  });

  it('MAIL_REDIRECT_TO sends every e-mail to one address and names the real recipient', async () => {
    smtp.messages.length = 0;
    const { email } = channelsFromEnv({ SMTP_URL: smtp.url, MAIL_REDIRECT_TO: 'toi@thu-nghiem.example' });
    await email!.send(message);
    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0]!;
    expect(m.to).toEqual(['toi@thu-nghiem.example']);
    expect(m.subject).toBe('[Thử nghiệm → sotuphap@hanoi.example] Nhắc hạn');
    expect(m.text).toContain('người nhận thật sẽ là sotuphap@hanoi.example');
    expect(m.headers['x-chithi-intended-recipient']).toBe('sotuphap@hanoi.example');
    email!.close?.();
  });

  it('production mode, chosen explicitly, writes to the registry address', async () => {
    smtp.messages.length = 0;
    const { email } = channelsFromEnv({ SMTP_URL: smtp.url, CHITHI_MAIL_MODE: 'production' });
    await email!.send(message);
    expect(smtp.messages.map((m) => m.to)).toEqual([['sotuphap@hanoi.example']]);
    email!.close?.();
  });

  it('a redirect address that is not one address is refused', () => {
    expect(() => channelsFromEnv({ SMTP_URL: smtp.url, MAIL_REDIRECT_TO: 'a@x.example, b@y.example' })).toThrow(/one e-mail address/);
  });
});

describe('the portal address notices link to', () => {
  it('is CHITHI_PUBLIC_URL through common/config.ts, else the address the server listens on', () => {
    expect(channelsFromEnv({ MAIL_DIR: '/tmp/chithi-mail-unused/' }).portalUrl).toBe('http://127.0.0.1:3000');
    expect(channelsFromEnv({ MAIL_DIR: '/tmp/chithi-mail-unused/', CHITHI_HOST: '10.0.0.5', PORT: '8080' }).portalUrl).toBe('http://10.0.0.5:8080');
    expect(channelsFromEnv({ MAIL_DIR: '/tmp/chithi-mail-unused/', CHITHI_PUBLIC_URL: 'https://chithi.hanoi.example/' }).portalUrl).toBe('https://chithi.hanoi.example');
  });
});
