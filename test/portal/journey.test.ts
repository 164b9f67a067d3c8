/**
 * Cổng thông tin trong một trình duyệt thật (Chromium của Debian, điều khiển bằng playwright-core):
 * cán bộ nộp, cơ quan duyệt từ chối có nhận xét, cán bộ nộp lại, được chấp nhận, nhiệm vụ "hoàn thành".
 * The portal in a real browser (Debian's Chromium driven by playwright-core), on the server harness
 * (time-skipping Temporal, PostgreSQL, a worker) with a directive deployed: an officer signs in,
 * opens a task, uploads a PDF and fills the fields, reads the receipt; the reviewer rejects with a
 * comment; the officer reads it and submits again; the reviewer accepts; the task shows "hoàn
 * thành"; the reviewer's page shows the PDF inline (its headers checked). An officer asks for two
 * extensions; the reviewer approves another date for both at once on /gia-han; the task shows the
 * new due date, the original one and the decision. Another unit's officer opening the task by URL
 * gets the 403 page. axe runs on every page
 * visited (no serious or critical violations) and each page is saved as a screenshot in
 * .data/screenshots/portal/ (git-ignored) for a reviewer to look at.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInstances } from '../../activities/store/instances.js';
import type { Role } from '../../common/roles.js';
import { deploy } from '../../service/deploy.js';
import { plannedInstances } from '../../service/instances.js';
import { directiveYaml } from '../client/fixtures.js';
import type { ServerHarness } from '../server/harness.js';
import { startPortalTest, type PortalTest } from './support.js';

const D = 'portal-directive';
// The fixture's plan-2027 asks for one document; here it also asks for a typed field and an
// attestation, so the form has every kind of input.
const YAML = directiveYaml({ id: D }).replace(
  '    due: 2027-12-31\n',
  `    due: 2027-12-31
    evidence:
      - { kind: document, name: report, title: { vi: "Kế hoạch đã ký", en: "Signed plan" } }
      - { kind: field, name: issued-on, title: { vi: "Ngày ban hành", en: "Issued on" }, format: date }
      - { kind: attestation, name: true-copy, title: { vi: "Tôi xác nhận bản sao đúng bản gốc", en: "I attest this is a true copy" } }
`,
);
// A minimal PDF: enough for a browser upload and a media type; the content is what the hash covers.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let portal: PortalTest;
let h: ServerHarness;
let base: string;
const account = (login: string, unit: string, roles: Role[]) => portal.account(login, unit, roles);
const check = (page: Page, name: string) => portal.check(page, name);

/** Signed out, the portal sends any page to the sign-in form: checked, then filled. */
async function signIn(page: Page, login: string, name: string): Promise<void> {
  await page.goto(`${base}/`);
  await expect.poll(() => new URL(page.url()).pathname).toBe('/dang-nhap');
  await check(page, `${name}-sign-in`);
  await portal.fillSignIn(page, login);
}

async function statusOf(unit = 'so-y-te'): Promise<string | undefined> {
  return (await listInstances(h.db.pool, D, { unitId: unit, obligationId: 'plan-2027' }))[0]?.status;
}

const waitStatus = (want: string) => h.until(`plan-2027 of so-y-te ${want}`, () => statusOf(), (s) => s === want, 30_000);

beforeAll(async () => {
  portal = await startPortalTest('portal');
  ({ h, base } = portal);
  writeFileSync(join(h.dir, 'portal.yaml'), YAML);
  const plan = await h.compile(join(h.dir, 'portal.yaml'));
  await deploy(plan, { client: h.env.client, pool: h.db.pool, by: 'test' });
  await h.until('instances recorded', () => listInstances(h.db.pool, D), (rows) => rows.length >= plannedInstances(plan).length, 60_000);
  await account('can-bo.so-y-te', 'so-y-te', ['officer']);
  await account('can-bo.so-gd', 'so-gd', ['officer']);
  await account('duyet.so-tttt', 'so-tttt', ['reviewer']);
}, 120_000);

afterAll(async () => {
  await portal?.close();
});

describe('the portal in a browser', () => {
  it('officer submits, reviewer rejects with a comment, officer resubmits, reviewer accepts: the task is completed', async () => {
    const officer = await portal.newPage();
    const reviewer = await portal.newPage();

    // The officer: signed out, the portal asks to sign in, then shows the unit's tasks.
    await signIn(officer, 'can-bo.so-y-te', 'officer');
    await expect.poll(() => new URL(officer.url()).pathname).toBe('/nhiem-vu');
    await expect(officer.getByRole('heading', { name: 'Nhiệm vụ của tôi' })).toBeDefined();
    expect((await officer.locator('h2').allTextContents()).join(' | ')).toMatch(/đang thực hiện trong hạn\s*\(\d+\)/);
    await check(officer, 'officer-tasks');
    // The same tasks as a month calendar, from the list's link: it opens on the month of the next
    // task due (the drill, 30/10/2027), each task on its due date; two months on, the plan.
    await officer.getByRole('link', { name: 'Lịch', exact: true }).click();
    await expect.poll(() => new URL(officer.url()).search).toBe('?xem=lich');
    expect(await officer.locator('td[data-date="2027-10-30"]').innerText()).toContain('1.c Diễn tập ứng cứu sự cố');
    await check(officer, 'officer-tasks-calendar');
    await officer.getByRole('link', { name: 'Tháng sau ›' }).click();
    await officer.getByRole('link', { name: 'Tháng sau ›' }).click();
    await expect.poll(() => new URL(officer.url()).searchParams.get('thang')).toBe('2027-12');
    expect(await officer.locator('td[data-date="2027-12-31"]').innerText()).toContain('1.b Xây dựng kế hoạch 2027');
    await officer.getByRole('link', { name: 'Danh sách', exact: true }).click();

    await officer.getByRole('link', { name: 'Xây dựng kế hoạch 2027' }).click();
    await officer.waitForURL(/\/nhiem-vu\/portal-directive\/plan-2027\/so-y-te$/);
    const facts = await officer.locator('dl.facts').innerText();
    expect(facts).toContain('1/CT-TEST');
    expect(facts).toContain('1.b');
    expect(facts).toContain('31/12/2027');
    await check(officer, 'officer-task');

    const submit = async (fileName: string) => {
      await officer.getByLabel(/Kế hoạch đã ký/).setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: PDF });
      await officer.getByLabel(/Ngày ban hành/).fill('2026-01-05');
      await officer.getByLabel(/Tôi xác nhận bản sao đúng bản gốc/).check();
      await officer.getByRole('button', { name: 'Nộp', exact: true }).click();
      await officer.waitForURL(/\/nop$/);
      expect(await officer.getByRole('heading', { level: 1 }).innerText()).toBe('Biên nhận nộp minh chứng');
      const receipt = await officer.locator('main').innerText();
      expect(receipt).toContain(createHash('sha256').update(PDF).digest('hex'));
      expect(receipt).toContain(fileName);
      expect(receipt).toMatch(/Ngày ban hành\s+05\/01\/2026/);
      expect(await officer.locator('#submission-id').innerText()).toMatch(/^[0-9a-f-]{36}$/);
    };
    await submit('ke-hoach-2027.pdf');
    await check(officer, 'officer-receipt');
    await waitStatus('awaiting-review');

    // The reviewer of the coordinating department: the queue, the submission, reject with a comment.
    const decide = async (decision: 'Chấp nhận' | 'Từ chối', comment: string | undefined, name: string) => {
      await reviewer.goto(`${base}/duyet`);
      await check(reviewer, `${name}-queue`);
      await reviewer.getByRole('link', { name: 'Xây dựng kế hoạch 2027' }).click();
      await reviewer.waitForURL(/\/duyet\/[0-9a-f-]{36}$/);
      const text = await reviewer.locator('main').innerText();
      // Each piece under its requirement's title, the date field dd/mm/yyyy, the attestation in words.
      expect(text).toMatch(/Ngày ban hành\s+05\/01\/2026/);
      expect(text).toMatch(/Tôi xác nhận bản sao đúng bản gốc\s+Đã cam kết/);
      expect(text).not.toContain('issued-on');
      const download = await reviewer.getByRole('link', { name: /\.pdf$/ }).getAttribute('href');
      expect(download).toMatch(/^\/api\/v1\/submissions\/[0-9a-f-]{36}\/evidence\/report$/);
      // The PDF is in the page, from the inline variant of the download; the link stays as the fallback.
      expect(await reviewer.locator('iframe.pdf').getAttribute('src')).toBe(`${download}/inline`);
      const inline = await reviewer.request.get(`${base}${download}/inline`);
      expect(inline.status()).toBe(200);
      const headers = inline.headers();
      expect(headers['content-type']).toBe('application/pdf');
      expect(headers['content-disposition']).toMatch(/^inline; filename\*=UTF-8''ke-hoach-2027/);
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['content-security-policy']).toContain("default-src 'none'");
      expect(headers['content-security-policy']).toContain("frame-ancestors 'self'");
      expect(Buffer.from(await inline.body()).equals(PDF)).toBe(true);
      await check(reviewer, `${name}-submission`);
      if (comment !== undefined) await reviewer.getByLabel(/Nhận xét/).fill(comment);
      // Chromium's PDF viewer in the page takes the focus once the PDF loads, and headless Chromium
      // then drops the next synthetic click on the page: give the page the focus back first.
      else await reviewer.getByLabel(/Nhận xét/).focus();
      const navigated = reviewer.waitForURL(/\/duyet\?da-duyet=/);
      await reviewer.getByRole('button', { name: decision }).click();
      await navigated;
    };
    await signIn(reviewer, 'duyet.so-tttt', 'reviewer');
    await expect.poll(() => new URL(reviewer.url()).pathname).toBe('/duyet');
    await decide('Từ chối', 'Thiếu chữ ký của Giám đốc Sở; ký rồi nộp lại.', 'reviewer-reject');
    await waitStatus('in-progress');

    // The officer reads the comment on the task page, and the notice in the inbox; submits again.
    await officer.goto(`${base}/nhiem-vu/${D}/plan-2027/so-y-te`);
    expect(await officer.locator('.review.reject').first().innerText()).toContain('Thiếu chữ ký của Giám đốc Sở');
    await check(officer, 'officer-task-rejected');
    await officer.goto(`${base}/thong-bao`);
    await check(officer, 'officer-inbox');
    await officer.goto(`${base}/nhiem-vu/${D}/plan-2027/so-y-te`);
    await submit('ke-hoach-2027-da-ky.pdf');
    await waitStatus('awaiting-review');

    await decide('Chấp nhận', undefined, 'reviewer-accept');
    await h.until('plan-2027 completed', () => statusOf(), (s) => s?.startsWith('completed') === true, 30_000);
    await officer.goto(`${base}/nhiem-vu/${D}/plan-2027/so-y-te`);
    expect(await officer.locator('#task-status').innerText()).toContain('hoàn thành');
    await check(officer, 'officer-task-completed');

    // The language switch: the same page in English, remembered by a cookie.
    await officer.goto(`${base}/nhiem-vu?lang=en`);
    expect(await officer.getByRole('heading', { level: 1 }).innerText()).toBe('My tasks');
    await check(officer, 'officer-tasks-en');
  }, 120_000);

  it('officer asks for extensions; the reviewer approves another date for both at once on /gia-han; the task shows the new and the original due date', async () => {
    const officer = await portal.newPage();
    const reviewer = await portal.newPage();
    await signIn(officer, 'can-bo.so-gd', 'ext-officer');
    const ask = async (obligation: string, reason: string) => {
      await officer.goto(`${base}/nhiem-vu/${D}/${obligation}/so-gd`);
      await officer.getByLabel('Gia hạn đến ngày').fill('2028-03-31');
      await officer.getByLabel('Lý do').fill(reason);
      await officer.getByRole('button', { name: 'Gửi đề nghị' }).click();
      await officer.waitForURL(/da-gui=gia-han$/);
      expect(await officer.locator('#extension-history').innerText()).toContain('Chờ quyết định');
    };
    await ask('plan-2027', 'Chờ số liệu quyết toán năm 2027');
    await check(officer, 'ext-officer-requested');
    await ask('drill', 'Trùng lịch diễn tập của Bộ');

    await signIn(reviewer, 'duyet.so-tttt', 'ext-reviewer');
    await reviewer.goto(`${base}/gia-han`);
    const rows = reviewer.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await reviewer.locator('tbody').innerText()).toContain('Chờ số liệu quyết toán năm 2027');
    await check(reviewer, 'ext-reviewer-list');
    // Several at once: both ticked, one decision, another date than the one asked.
    for (const box of await reviewer.getByRole('checkbox').all()) await box.check();
    await reviewer.getByLabel(/Ngày khác/).fill('2028-02-29');
    await reviewer.getByLabel(/Ý kiến/).fill('Đồng ý đến hết tháng 2/2028.');
    await reviewer.getByRole('button', { name: 'Chấp thuận đến ngày khác' }).click();
    await reviewer.waitForURL(/\/gia-han\?da-quyet=2$/);
    expect(await reviewer.locator('[role=status]').innerText()).toContain('Đã quyết định 2 đề nghị');
    expect(await reviewer.locator('main').innerText()).toContain('Không có đề nghị gia hạn nào chờ quyết định');
    await check(reviewer, 'ext-reviewer-decided');

    const dueOf = async (obligation: string) => (await listInstances(h.db.pool, D, { unitId: 'so-gd', obligationId: obligation }))[0]?.due;
    await h.until('plan-2027 of so-gd extended', () => dueOf('plan-2027'), (d) => d === '2028-02-29', 30_000);
    await h.until('drill of so-gd extended', () => dueOf('drill'), (d) => d === '2028-02-29', 30_000);
    await officer.goto(`${base}/nhiem-vu/${D}/plan-2027/so-gd`);
    const facts = await officer.locator('dl.facts').innerText();
    expect(facts).toContain('29/02/2028');
    expect(facts).toContain('hạn gốc: 31/12/2027');
    const history = await officer.locator('#extension-history').innerText();
    expect(history).toContain('Chấp thuận đến 29/02/2028');
    expect(history).toContain('Đồng ý đến hết tháng 2/2028.');
    expect(history).toContain('31/03/2028'); // what was asked stays visible next to what was granted
    await check(officer, 'ext-officer-extended');
  }, 120_000);

  it("another unit's officer opening the task by URL gets the 403 page", async () => {
    const other = await portal.newPage();
    await signIn(other, 'can-bo.so-gd', 'other-officer');
    const res = await other.goto(`${base}/nhiem-vu/${D}/plan-2027/so-y-te`);
    expect(res?.status()).toBe(403);
    expect(await other.getByRole('heading', { level: 1 }).innerText()).toContain('Không được phép');
    expect(await other.locator('[role=alert]').innerText()).toContain('so-y-te');
    await check(other, 'other-officer-403');
  }, 60_000);
});
