/**
 * Nộp minh chứng có thanh tiến độ, trong một trình duyệt thật: cán bộ chọn một tệp vài MB, bấm Nộp;
 * thanh <progress> chạy tới 100 và dòng "Đang tải lên …%" đổi theo; biên nhận với mã SHA-256 của
 * đúng các byte đã gửi hiện ra, ở địa chỉ …/nop như khi không có JavaScript. Không có JavaScript,
 * biểu mẫu vẫn gửi được và cho cùng biên nhận; tải lại địa chỉ …/nop đưa về trang nhiệm vụ.
 * Evidence upload with progress, in a real browser: the officer picks a file of a few MB and
 * submits; the <progress> bar goes to 100 and the "Đang tải lên …%" line follows it (the upload is
 * throttled through Chromium's network emulation, so there is a progress to see); the receipt with
 * the sha256 of exactly the bytes sent appears, at …/nop as without JavaScript. With JavaScript off
 * the form still works and gives the same receipt; reloading …/nop leads back to the task. axe and a
 * screenshot on every page (.data/screenshots/upload/).
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR } from '../../common/config.js';
import { taskPath } from '../../common/portal-paths.js';
import type { ServerHarness } from '../server/harness.js';
import { startPortalTest, type PortalTest } from './support.js';

const D = 'test-directive';
const MB = 1024 * 1024;

let portal: PortalTest;
let h: ServerHarness;
let base: string;
const check = (page: Page, name: string) => portal.check(page, name);

/** A PDF of `size` bytes: its header, then random bytes (nothing compresses it on the way). */
function pdf(size: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(size - 9)]);
}
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  portal = await startPortalTest('upload');
  ({ h, base } = portal);
  await h.deployFixture();
  await portal.account('can-bo.so-y-te', 'so-y-te', ['officer']);
}, 240_000);

afterAll(async () => {
  await portal?.close();
});

describe('uploading evidence from the task page', () => {
  it('shows the upload progress up to 100%, then the receipt with the sha256 of the bytes sent', async () => {
    const page = await portal.newPage();
    await portal.signIn(page, 'can-bo.so-y-te');
    const task = taskPath(D, 'drill', 'so-y-te');
    await page.goto(`${base}${task}`);
    // Before anything is sent the progress is not shown.
    expect(await page.locator('.upload-progress').isHidden()).toBe(true);
    await check(page, 'task-form');

    // Every value the bar and the line take, as the page shows them.
    // (Code for the page as text: the tests are compiled without the DOM's types.)
    await page.evaluate(`(() => {
      window.seen = { values: [], texts: [] };
      const bar = document.querySelector('.upload-progress progress');
      const line = document.querySelector('.upload-progress-text');
      new MutationObserver(() => window.seen.values.push(bar.getAttribute('value'))).observe(bar, { attributes: true, attributeFilter: ['value'] });
      new MutationObserver(() => window.seen.texts.push(line.textContent)).observe(line, { childList: true, characterData: true, subtree: true });
    })()`);
    // 4 MB at 1 MB/s: seconds of upload, so the progress has steps to show (loopback is instant).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: MB });
    const file = pdf(4 * MB);
    await page.getByLabel(/Báo cáo/).setInputFiles({ name: 'bao-cao-dien-tap.pdf', mimeType: 'application/pdf', buffer: file });
    await page.getByRole('button', { name: 'Nộp' }).click();
    // While it uploads: the bar is shown, labelled, and the submit button is disabled.
    await page.locator('.upload-progress').waitFor({ state: 'visible' });
    expect(await page.getByRole('progressbar', { name: 'Tiến độ tải lên' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Nộp' }).isDisabled()).toBe(true);
    await page.waitForFunction(`(document.querySelector('.upload-progress-text')?.textContent ?? '').startsWith('Đang tải lên')`);
    await check(page, 'task-uploading');

    // The receipt comes in place of the page, at …/nop, as without JavaScript.
    await page.waitForURL(/\/nop$/, { timeout: 60_000 });
    await page.getByRole('heading', { name: 'Biên nhận nộp minh chứng' }).waitFor();
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const receipt = await page.locator('main').innerText();
    expect(receipt).toContain(sha256(file));
    expect(receipt).toContain('bao-cao-dien-tap.pdf');
    expect(await page.title()).toBe('Biên nhận · chithi');
    expect(await page.locator('#submission-id').innerText()).toMatch(/^[0-9a-f-]{36}$/);
    // The heading has the focus: a screen reader reads the receipt, not silence where the button was.
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('H1');

    const seen = await page.evaluate<{ values: string[]; texts: string[] }>('window.seen');
    const values = seen.values.map(Number);
    expect(values.at(-1)).toBe(100);
    expect(values.some((v) => v > 0 && v < 100)).toBe(true); // steps between, not a jump to the end
    expect(values).toEqual([...values].sort((a, b) => a - b)); // never backwards
    expect(seen.texts.some((t) => /^Đang tải lên [1-9]\d?%$/.test(t))).toBe(true);
    expect(seen.texts.at(-1)).toBe('Đã tải lên 100%; đang lưu và tính mã SHA-256…');
    await check(page, 'receipt');

    // A reload of …/nop leads to the task, whose history has the submission and its sha256.
    await page.reload();
    await page.waitForURL(new RegExp(`${task}$`));
    expect(await page.locator('main').innerText()).toContain(`sha256 ${sha256(file)}`);
    await check(page, 'task-after-reload');
  }, 120_000);

  it('without JavaScript the same form sends the file and shows the same receipt', async () => {
    const page = await portal.newPage({ javaScriptEnabled: false });
    await portal.signIn(page, 'can-bo.so-y-te');
    await page.goto(`${base}${taskPath(D, 'plan-2027', 'so-y-te')}`);
    expect(await page.locator('.upload-progress').isHidden()).toBe(true);
    const file = pdf(2 * MB);
    await page.getByLabel(/Báo cáo/).setInputFiles({ name: 'ke-hoach-2027.pdf', mimeType: 'application/pdf', buffer: file });
    await page.getByRole('button', { name: 'Nộp' }).click();
    await page.waitForURL(/\/nop$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Biên nhận nộp minh chứng');
    const receipt = await page.locator('main').innerText();
    expect(receipt).toContain(sha256(file));
    expect(receipt).toContain('ke-hoach-2027.pdf');
    // A screenshot only: axe runs as a script in the page, which this page may not run (the
    // receipt's template is checked with axe in the test above).
    await page.screenshot({ path: join(DATA_DIR, 'screenshots', 'upload', '99-receipt-without-javascript.png'), fullPage: true });
  }, 60_000);
});
