/**
 * Người soạn chỉ thị và trang tài khoản trong một trình duyệt thật (Chromium của Debian,
 * playwright-core): tải lên một chỉ thị lỗi → thấy lỗi kèm dòng; triển khai lần đầu; tải lên một
 * bản sửa đổi → thấy các phiên sẽ bắt đầu / sửa đổi / thu hồi, xác nhận, danh sách ghi lần sửa đổi
 * mới; nội dung bị đổi sau khi xem trước thì không được triển khai. Người không phải người soạn bị
 * 403 ở /chi-thi. Trang tài khoản tạo rồi thu hồi một mã truy cập, và API từ chối mã đã thu hồi.
 * The policy author and the account page in a real browser, on the server harness (time-skipping
 * Temporal, PostgreSQL, a worker), every directive deployed through the portal itself: an invalid
 * upload shows its diagnostic with the line quoted; a first deployment; an amendment shows the
 * diff of the plan (start / amend / withdraw), is confirmed, and the list shows the new revision;
 * a confirmation whose text was changed after the preview deploys nothing. A non-author gets the
 * 403 page on /chi-thi. The account page creates a token (which then works on /api/v1/me) and
 * revokes it (then 401). Roles without an inbox see no inbox link and do not land on one. axe on
 * every page (no serious or critical violation); screenshots in .data/screenshots/author/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestDeployment } from '../../activities/store/deployments.js';
import { listInstances } from '../../activities/store/instances.js';
import type { Role } from '../../common/roles.js';
import { directiveYaml, REGISTRY_YAML, type DirectiveOptions } from '../client/fixtures.js';
import type { ServerHarness } from '../server/harness.js';
import { startPortalTest, type PortalTest } from './support.js';

const D = 'author-directive';

let portal: PortalTest;
let h: ServerHarness;
let base: string;
const account = (login: string, unit: string, roles: Role[]) => portal.account(login, unit, roles);
const check = (page: Page, name: string) => portal.check(page, name);
const signIn = (page: Page, login: string) => portal.signIn(page, login);
const newPage = () => portal.newPage();
const yaml = (o: DirectiveOptions = {}) => directiveYaml({ id: D, ...o });

/** The upload form: the directive, and the fixture's registry beside it (the optional second file). */
async function upload(page: Page, text: string, fileName: string): Promise<void> {
  await page.goto(`${base}/chi-thi`);
  await page.getByLabel(/Tệp YAML của chỉ thị/).setInputFiles({ name: fileName, mimeType: 'application/yaml', buffer: Buffer.from(text) });
  await page.getByLabel(/Danh mục đơn vị/).setInputFiles({ name: 'registry.yaml', mimeType: 'application/yaml', buffer: Buffer.from(REGISTRY_YAML) });
  await page.getByRole('button', { name: 'Kiểm tra và xem trước' }).click();
  await page.waitForURL(/\/chi-thi\/xem-truoc$/);
}

beforeAll(async () => {
  portal = await startPortalTest('author');
  ({ h, base } = portal);
  await account('soan-thao.ubnd', 'ubnd', ['author']);
  await account('can-bo.so-y-te', 'so-y-te', ['officer']);
  await account('quan-tri.ubnd', 'ubnd', ['admin']);
}, 120_000);

afterAll(async () => {
  await portal?.close();
});

describe('the policy author in a browser', () => {
  it('an invalid upload shows its diagnostic with the line; a first deployment; an amendment shows its diff, is confirmed, and the list shows the new revision', async () => {
    const page = await newPage();
    await signIn(page, 'soan-thao.ubnd');
    // No inbox for the author's role: no link to one that would answer 403.
    expect(await page.locator('header nav').innerText()).not.toContain('Thông báo');
    await page.getByRole('link', { name: 'Chỉ thị', exact: true }).click();
    await page.waitForURL(/\/chi-thi$/);
    expect(await page.locator('main').innerText()).toContain('Chưa triển khai chỉ thị nào');
    await check(page, 'author-empty');

    // An unknown unit: the diagnostic names its line, quotes it and says what to do.
    const bad = yaml({ planAssignees: ['so-y-te', 'so-khong-co'] });
    const badLine = bad.split('\n').findIndex((l) => l.includes('so-khong-co')) + 1;
    await upload(page, bad, 'chi-thi-loi.yaml');
    expect(await page.locator('#compile-failed').innerText()).toContain('chưa triển khai gì');
    const diagnostic = page.locator('#diagnostics li', { hasText: 'so-khong-co' }).first();
    const text = await diagnostic.innerText();
    expect(text).toContain(`chi-thi-loi.yaml, dòng ${badLine}`);
    const quote = await diagnostic.locator('pre.quote').innerText();
    expect(quote).toContain(`${badLine} | ${bad.split('\n')[badLine - 1]}`);
    expect(quote).toMatch(/\n\s+\| +\^$/); // the caret under the column, on a line of its own
    expect(text).not.toContain('chithi-deploy-'); // the server's temporary folder is nobody's business
    expect(text).toContain('Gợi ý');
    await check(page, 'author-diagnostics');

    // The first deployment: every instance starts.
    await upload(page, yaml(), 'chi-thi.yaml');
    expect(await page.locator('#n-obligations').innerText()).toBe('4');
    expect(await page.locator('#n-instances').innerText()).toBe('6');
    expect(await page.locator('#diff-counts').innerText()).toBe('Bắt đầu 6 · sửa đổi 0 · thu hồi 0 · giữ nguyên 0');
    await check(page, 'author-preview-first');
    await page.getByRole('button', { name: 'Xác nhận triển khai' }).click();
    await page.waitForURL(/\/chi-thi\?da-trien-khai=author-directive$/);
    expect(await page.locator('#deployed').innerText()).toContain('lần sửa đổi 1');
    await h.until('instances recorded', () => listInstances(h.db.pool, D), (rows) => rows.length >= 6, 60_000);

    // The amendment: drill dropped (withdrawn for both), plan-2027 due earlier (amended for both),
    // a monthly report for so-gd (started); contact-point unchanged.
    const v2 = yaml({ revision: 2, withoutDrill: true, futureDue: '2027-11-30', monthlyAssignees: ['so-gd'] });
    await upload(page, v2, 'chi-thi-sua-doi.yaml');
    expect(await page.locator('#diff-counts').innerText()).toBe('Bắt đầu 1 · sửa đổi 2 · thu hồi 2 · giữ nguyên 2');
    expect(await page.locator('#diff-start').innerText()).toContain('Báo cáo tháng');
    expect(await page.locator('#diff-amend').innerText()).toContain('Xây dựng kế hoạch 2027');
    const withdrawn = await page.locator('#diff-withdraw').innerText();
    expect(withdrawn).toContain('Diễn tập ứng cứu sự cố');
    expect(withdrawn).toContain('nhiệm vụ bị bỏ');
    // What changes, in words: the due date moved from → to, the obligations added and removed.
    const what = await page.locator('#diff-obligations').innerText();
    expect(what).toMatch(/hạn: 31\/12\/2027 → 30\/11\/2027/);
    expect(what).toContain('Bỏ nhiệm vụ 1.c — Diễn tập ứng cứu sự cố');
    expect(what).toContain('Thêm nhiệm vụ 1.d — Báo cáo tháng');
    await check(page, 'author-preview-amendment');

    // A text changed after the preview (the hidden copy edited in the page) deploys nothing: the
    // server compiles what came, finds another plan, and shows that one's preview instead.
    await page.locator('input[name=source]').evaluate((el, other) => ((el as unknown as { value: string }).value = other), Buffer.from(yaml({ revision: 2, futureDue: '2027-10-31' })).toString('base64'));
    const refused = page.waitForResponse((r) => r.url().endsWith('/chi-thi/trien-khai'));
    await page.getByRole('button', { name: 'Xác nhận triển khai' }).click();
    expect((await refused).status()).toBe(409);
    expect(await page.locator('[role=alert]').first().innerText()).toContain('khác với bản đã xem trước');
    expect((await getLatestDeployment(h.db.pool, D))?.revision).toBe(1);
    await check(page, 'author-preview-changed');

    // The amendment previewed again and confirmed: deployed, and the list shows revision 2.
    await upload(page, v2, 'chi-thi-sua-doi.yaml');
    await page.getByRole('button', { name: 'Xác nhận triển khai' }).click();
    await page.waitForURL(/\/chi-thi\?da-trien-khai=author-directive$/);
    expect(await page.locator('#deployed').innerText()).toContain('lần sửa đổi 2');
    const row = page.locator(`#directives tr[data-directive="${D}"]`);
    expect(await row.locator('td.revision').innerText()).toBe('2');
    expect(await row.innerText()).toContain('Đang thực hiện');
    expect(await row.innerText()).toContain('ubnd/soan-thao.ubnd');
    const recorded = await getLatestDeployment(h.db.pool, D);
    expect(recorded?.revision).toBe(2);
    expect(recorded?.plan.obligations.map((o) => o.id)).not.toContain('drill');
    await h.until('drill withdrawn', () => listInstances(h.db.pool, D, { obligationId: 'drill' }), (rows) => rows.length === 2 && rows.every((r) => r.status === 'withdrawn'), 60_000);
    await check(page, 'author-deployed-revision-2');

    // The same file once more: nothing to change, no Confirm button.
    await upload(page, v2, 'chi-thi-sua-doi.yaml');
    expect(await page.locator('main').innerText()).toContain('không có gì để thay đổi');
    expect(await page.getByRole('button', { name: 'Xác nhận triển khai' }).count()).toBe(0);
    await check(page, 'author-preview-same');
  }, 180_000);

  it('a non-author gets the 403 page on /chi-thi and no link to it', async () => {
    const page = await newPage();
    await signIn(page, 'can-bo.so-y-te');
    expect(await page.locator('header nav').innerText()).not.toContain('Chỉ thị');
    const res = await page.goto(`${base}/chi-thi`);
    expect(res?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('Không được phép');
    expect(await page.locator('[role=alert]').innerText()).toContain('triển khai, sửa đổi chỉ thị');
    await check(page, 'officer-403');
  }, 60_000);
});

describe('the account page in a browser', () => {
  it('shows who is signed in; creates a token shown once, which the API accepts; revokes it, and the API refuses it', async () => {
    const page = await newPage();
    await signIn(page, 'can-bo.so-y-te');
    await page.getByRole('link', { name: 'can-bo.so-y-te' }).click();
    await page.waitForURL(/\/tai-khoan$/);
    const who = await page.locator('#account').innerText();
    expect(who).toContain('can-bo.so-y-te');
    expect(who).toContain('so-y-te');
    expect(who).toContain('cán bộ đơn vị');
    expect(await page.locator('main').innerText()).toContain('chưa có mã truy cập');
    await check(page, 'account');

    await page.getByLabel('Tên mã mới').fill('kich-ban-bao-cao');
    await page.getByRole('button', { name: 'Tạo mã truy cập' }).click();
    const token = await page.getByLabel('Mã truy cập mới').inputValue();
    expect(token).toMatch(/^chithi_[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('#tokens').innerText()).toContain('kich-ban-bao-cao');
    await check(page, 'account-token-created');
    // Shown once: the page opened again lists the name, never the token.
    await page.goto(`${base}/tai-khoan`);
    expect(await page.content()).not.toContain(token);

    const me = () => fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await me();
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { login: string }).login).toBe('can-bo.so-y-te');

    await page.getByRole('button', { name: 'Thu hồi mã kich-ban-bao-cao' }).click();
    await page.waitForURL(/da-thu-hoi=kich-ban-bao-cao$/);
    expect(await page.locator('[role=status]').innerText()).toContain('Đã thu hồi mã "kich-ban-bao-cao"');
    expect(await page.locator('main').innerText()).toContain('chưa có mã truy cập');
    await check(page, 'account-token-revoked');
    expect((await me()).status).toBe(401);
  }, 60_000);

  it('an administrator (no inbox) lands on the account page, with no inbox link', async () => {
    const page = await newPage();
    await signIn(page, 'quan-tri.ubnd');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/tai-khoan');
    expect(await page.locator('header').innerText()).not.toContain('Thông báo');
    await check(page, 'admin-account');
  }, 60_000);
});
