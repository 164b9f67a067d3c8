/**
 * Thu hồi một chỉ thị trên cổng, trong một trình duyệt thật: người soạn mở trang xác nhận, đọc điều
 * sẽ xảy ra (bao nhiêu phiên dừng, đơn vị nào được thông báo), xác nhận; danh sách ghi "Đã thu hồi",
 * trang tổng quan không còn liệt kê chỉ thị, các đơn vị nhận thông báo. Cán bộ không có nút thu hồi,
 * và gửi thẳng POST theo địa chỉ thì bị 403, không thu hồi gì.
 * Withdrawing a directive from the portal in a real browser: the policy author opens the
 * confirmation, reads what will happen (how many instances stop, which units are told), confirms;
 * the list says withdrawn, the dashboard no longer lists the directive, the units get their notices.
 * An officer has no such button, and a POST by URL (with the officer's own valid CSRF token) gets the
 * 403 page and withdraws nothing. axe and a screenshot on every page (.data/screenshots/withdraw/).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestDeployment } from '../../activities/store/deployments.js';
import { readInbox } from '../../activities/store/inbox.js';
import { listInstances } from '../../activities/store/instances.js';
import type { ServerHarness } from '../server/harness.js';
import { startPortalTest, type PortalTest } from './support.js';

const D = 'test-directive';
const CONFIRM = `/chi-thi/${D}/thu-hoi`;

let portal: PortalTest;
let h: ServerHarness;
let base: string;
const check = (page: Page, name: string) => portal.check(page, name);

beforeAll(async () => {
  portal = await startPortalTest('withdraw');
  ({ h, base } = portal);
  await h.deployFixture();
  await portal.account('soan-thao.ubnd', 'ubnd', ['author']);
  await portal.account('can-bo.so-y-te', 'so-y-te', ['officer']);
  // One task awaiting review, so the confirmation has more than one status to tell.
  const officer = await h.account('api.so-y-te', 'so-y-te', ['officer']);
  const f = new FormData();
  for (const [k, v] of Object.entries({ directive: D, obligation: 'drill', unit: 'so-y-te' })) f.append(k, v);
  f.append('report', new Blob(['%PDF-1.4 diễn tập']), 'dien-tap.pdf');
  expect((await h.request(officer, 'POST', '/api/v1/submissions', f)).statusCode).toBe(201);
  await h.until('drill awaiting review', () => listInstances(h.db.pool, D, { obligationId: 'drill', unitId: 'so-y-te' }), (rows) => rows[0]?.status === 'awaiting-review', 60_000);
}, 240_000);

afterAll(async () => {
  await portal?.close();
});

describe('withdrawing a directive from the portal', () => {
  it('an officer has no withdraw button, and a POST by URL gets the 403 page and withdraws nothing', async () => {
    const page = await portal.newPage();
    await portal.signIn(page, 'can-bo.so-y-te');
    expect(await page.locator('header nav').innerText()).not.toContain('Chỉ thị');
    expect(await page.getByRole('link', { name: /Thu hồi/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Thu hồi/ }).count()).toBe(0);

    const refused = await page.goto(`${base}${CONFIRM}`);
    expect(refused?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('Không được phép');
    expect(await page.locator('[role=alert]').innerText()).toContain('thu hồi chỉ thị');
    await check(page, 'officer-confirmation-403');

    // The officer's own valid CSRF token (every page's sign-out form has one): the refusal is the
    // authorisation table's, not a missing token's.
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const post = await page.request.post(`${base}${CONFIRM}`, { form: { _csrf: csrf }, maxRedirects: 0 });
    expect(post.status()).toBe(403);
    const body = await post.text();
    expect(body).toContain('Không được phép');
    expect(body).toContain('thu hồi chỉ thị');
    expect((await getLatestDeployment(h.db.pool, D))?.status).toBe('active');
    expect((await listInstances(h.db.pool, D)).some((r) => r.status === 'withdrawn')).toBe(false);
  }, 60_000);

  it('the author reads what will happen, confirms, and sees the directive withdrawn; the dashboard no longer lists it; the units are told', async () => {
    const page = await portal.newPage();
    await portal.signIn(page, 'soan-thao.ubnd');
    // The author lands on the dashboard, which lists the active directive.
    await page.waitForURL(/\/tong-quan$/);
    expect(await page.locator('main table.counts').innerText()).toContain('1/CT-TEST');

    await page.goto(`${base}/chi-thi`);
    const row = page.locator(`#directives tr[data-directive="${D}"]`);
    expect(await row.innerText()).toContain('Đang thực hiện');
    await check(page, 'author-list-active');
    await row.getByRole('link', { name: 'Thu hồi chỉ thị 1/CT-TEST' }).click();
    await page.waitForURL(new RegExp(`${CONFIRM}$`));

    // What will happen, before anything does: the six planned instances stop (the event obligation
    // has none open), the two departments are told, and it cannot be undone.
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Thu hồi chỉ thị 1/CT-TEST');
    expect(await page.locator('#withdraw-stopping').innerText()).toContain('6 phiên theo dõi đang mở sẽ dừng');
    expect(await page.locator('#withdraw-notified').innerText()).toContain('2 đơn vị nhận thông báo thu hồi');
    const units = await page.locator('#withdraw-units tbody').innerText();
    expect(units).toMatch(/Sở Giáo dục và Đào tạo\s+3/);
    expect(units).toMatch(/Sở Y tế\s+3/);
    const statuses = await page.locator('#withdraw-statuses tbody').innerText();
    expect(statuses).toMatch(/chờ duyệt\s+1/);
    expect(await page.locator('main').innerText()).toContain('Không thể hoàn tác');
    // Nothing withdrawn by opening the page.
    expect((await getLatestDeployment(h.db.pool, D))?.status).toBe('active');
    await check(page, 'author-withdraw-confirm');

    await page.getByRole('button', { name: 'Thu hồi chỉ thị' }).click();
    await page.waitForURL(/\/chi-thi\?da-thu-hoi=test-directive&phien=6$/);
    expect(await page.locator('#withdrawn').innerText()).toBe('Đã thu hồi 1/CT-TEST: 6 phiên theo dõi đang mở đã dừng; các đơn vị được thông báo.');
    const after = page.locator(`#directives tr[data-directive="${D}"]`);
    expect(await after.innerText()).toContain('Đã thu hồi');
    expect(await after.getByRole('link', { name: /Thu hồi/ }).count()).toBe(0);
    expect((await getLatestDeployment(h.db.pool, D))?.status).toBe('withdrawn');
    await check(page, 'author-list-withdrawn');

    // The dashboard lists active directives only: this one is gone from it.
    await page.getByRole('link', { name: 'Tổng quan', exact: true }).click();
    await page.waitForURL(/\/tong-quan$/);
    const dashboard = await page.locator('main').innerText();
    expect(dashboard).not.toContain('1/CT-TEST');
    expect(dashboard).toContain('Không có chỉ thị nào đang triển khai');
    await check(page, 'dashboard-after-withdrawal');

    // Every instance is withdrawn, and each unit got one notice per task that stopped, as promised.
    await h.until('instances withdrawn', () => listInstances(h.db.pool, D), (rows) => rows.length >= 6 && rows.every((r) => r.status === 'withdrawn'), 60_000);
    for (const unit of ['so-y-te', 'so-gd']) {
      const notices = await h.until(`${unit} told`, async () => (await readInbox(h.db.pool, unit, { limit: 100 })).filter((n) => n.kind === 'withdrawn' && n.directiveId === D), (n) => n.length >= 3, 60_000);
      expect(notices).toHaveLength(3);
    }

    // Withdrawn already: the confirmation says there is nothing left to do (409), and offers no button.
    const again = await page.goto(`${base}${CONFIRM}`);
    expect(again?.status()).toBe(409);
    expect(await page.locator('[role=alert]').innerText()).toContain('đã bị thu hồi');
    expect(await page.getByRole('button', { name: 'Thu hồi chỉ thị' }).count()).toBe(0);
    await check(page, 'author-withdraw-again-409');
  }, 180_000);
});
