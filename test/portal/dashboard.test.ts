/**
 * Bảng tổng quan của lãnh đạo trong một trình duyệt thật (Chromium của Debian, playwright-core):
 * số nhiệm vụ theo nhóm trạng thái, đơn vị xếp theo mức chậm trễ, lưới điểm × đơn vị, xem sâu một đơn
 * vị và dòng thời gian của một phiên, tải tệp Excel rồi đọc lại nội dung; cán bộ đơn vị chỉ thấy đơn
 * vị mình, trang của đơn vị khác và nhật ký thì bị 403.
 * The leadership dashboard in a real browser, on the server harness with the fixture directive plus
 * one clause due earlier for so-gd only, so the two departments are late by different amounts
 * (today's wall clock is past both due dates): leadership signs in, reads the counts and the grid,
 * drills down to a unit and to an instance's timeline, downloads the Excel export and the test reads
 * it back with exceljs. An officer sees only its own unit and gets the 403 page for another unit's
 * page and for a timeline (audit.read). axe on every page; screenshots in .data/screenshots/dashboard/.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../activities/store/audit.js';
import { listInstances } from '../../activities/store/instances.js';
import type { Role } from '../../common/roles.js';
import { deploy } from '../../service/deploy.js';
import { plannedInstances } from '../../service/instances.js';
import { formatTime } from '../../server/portal/present.js';
import { directiveYaml } from '../client/fixtures.js';
import type { ServerHarness } from '../server/harness.js';
import { pdfText } from './pdf-text.js';
import { startPortalTest, type PortalTest } from './support.js';

const D = 'dashboard-directive';
// A clause for so-gd alone, due before contact-point: so-gd is late twice, so-y-te once.
const YAML = directiveYaml({ id: D }).replace(
  '  - id: report-attack\n',
  `  - id: budget
    clause: "1.e"
    title: { vi: "Báo cáo kinh phí", en: "Budget report" }
    assignees: [{ units: [so-gd] }]
    kind: deadline
    due: 2026-01-30
  - id: report-attack
`,
);

let portal: PortalTest;
let h: ServerHarness;
let base: string;
const account = (login: string, unit: string, roles: Role[]) => portal.account(login, unit, roles);
const check = (page: Page, name: string) => portal.check(page, name);
const signIn = (page: Page, login: string) => portal.signIn(page, login);
const newPage = () => portal.newPage({ acceptDownloads: true });

beforeAll(async () => {
  portal = await startPortalTest('dashboard');
  ({ h, base } = portal);
  writeFileSync(join(h.dir, 'dashboard.yaml'), YAML);
  const plan = await h.compile(join(h.dir, 'dashboard.yaml'));
  await deploy(plan, { client: h.env.client, pool: h.db.pool, by: 'test' });
  await h.until('instances recorded', () => listInstances(h.db.pool, D), (rows) => rows.length >= plannedInstances(plan).length, 60_000);
  // The workflows mark the clauses already past due as overdue; the bucket counts read that mark.
  await h.until('past-due clauses marked overdue', () => listInstances(h.db.pool, D, { status: 'overdue' }), (rows) => rows.length === 3, 60_000);
  await account('lanh-dao.chu-tich', 'chu-tich', ['leadership']);
  await account('can-bo.so-y-te', 'so-y-te', ['officer']);
}, 180_000);

afterAll(async () => {
  await portal?.close();
});

describe('the leadership dashboard in a browser', () => {
  it('leadership reads the counts, the ranking and the grid, drills down to a unit and a timeline, and exports to Excel', async () => {
    const page = await newPage();
    await signIn(page, 'lanh-dao.chu-tich');
    // Leadership starts on the dashboard.
    await expect.poll(() => new URL(page.url()).pathname).toBe('/tong-quan');
    const overview = await page.locator('table.counts').innerText();
    expect(overview).toContain('1/CT-TEST');
    await check(page, 'leadership-overview');

    await page.getByRole('link', { name: '1/CT-TEST' }).click();
    await page.waitForURL(new RegExp(`/tong-quan/${D}$`));
    // Counts: 3 overdue (contact-point of both departments, budget of so-gd); plan-2027 and drill
    // in progress for both (4); report-attack has no reported event, so no instance.
    const count = (s: string) => page.locator(`#counts td[data-status="${s}"]`).innerText();
    expect(await count('overdue')).toBe('3');
    expect(await count('in-progress')).toBe('4');
    expect(await count('completed-on-time')).toBe('0');

    // Ranking: so-gd (2 overdue) before so-y-te (1).
    const ranked = await page.locator('#ranking tbody th').allInnerTexts();
    expect(ranked).toEqual(['Sở Giáo dục và Đào tạo', 'Sở Y tế']);
    expect(await page.locator('#ranking tbody tr').first().locator('td').nth(1).innerText()).toBe('2');

    // The grid: a row per unit, a column per clause, each cell with text as well as colour.
    const headers = await page.locator('#grid thead th').allInnerTexts();
    expect(headers).toEqual(['Đơn vị', '1.a', '1.b', '1.c', '1.e', '2.a']);
    // A cell's visible text (its first line; an empty cell also says why, for screen readers only).
    const cells = async (row: ReturnType<Page['locator']>) => (await row.locator('td').allInnerTexts()).map((t) => t.split('\n')[0]!.trim());
    const gdRow = page.locator('#grid tbody tr', { has: page.getByRole('link', { name: 'Sở Giáo dục và Đào tạo', exact: true }) });
    expect(await cells(gdRow)).toEqual(['QH', 'ĐTH', 'ĐTH', 'QH', '·']);
    const ytRow = page.locator('#grid tbody tr', { has: page.getByRole('link', { name: 'Sở Y tế', exact: true }) });
    expect((await cells(ytRow))[3]).toBe('—'); // 1.e is not so-y-te's
    expect(await gdRow.locator('td').first().getAttribute('class')).toContain('st-overdue');
    await check(page, 'leadership-directive');

    // The trend: a chart named for what it shows (an image to assistive technology, its numbers
    // in the table under "Số liệu"): deployed today, one period, the three overdue tasks.
    expect(await page.getByRole('img', { name: '1/CT-TEST: hoàn thành đúng hạn, hoàn thành quá hạn và quá hạn theo thời gian' }).count()).toBe(1);
    await page.locator('#h-trend ~ details summary').click();
    expect(await page.locator('#trend-data tbody tr').last().locator('td').allInnerTexts()).toEqual(['0', '0', '3']);
    await check(page, 'leadership-directive-trend-data');

    // The Excel export, read back.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải về Excel' }).click()]);
    expect(download.suggestedFilename()).toBe(`tong-quan-${D}.xlsx`);
    const file = join(h.dir, 'tong-quan.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const units = wb.getWorksheet('Đơn vị')!;
    const head = (units.getRow(1).values as unknown[]).slice(1);
    expect(head).toEqual([
      'Mã đơn vị', 'Đơn vị', 'Chưa đến hạn', 'Đang thực hiện trong hạn', 'Chờ duyệt', 'Hoàn thành đúng hạn', 'Hoàn thành quá hạn',
      'Quá hạn chưa hoàn thành', 'Đã thu hồi', 'Tổng số', 'Số ngày quá hạn (cộng dồn)',
    ]);
    const rowOf = (id: string) => {
      for (let i = 2; i <= units.rowCount; i += 1) if (units.getRow(i).getCell(1).value === id) return (units.getRow(i).values as unknown[]).slice(1);
      return undefined;
    };
    const gd = rowOf('so-gd');
    expect(gd?.slice(0, 10)).toEqual(['so-gd', 'Sở Giáo dục và Đào tạo', 0, 2, 0, 0, 0, 2, 0, 4]);
    expect(gd?.[10]).toBeGreaterThan(0);
    expect(rowOf('so-y-te')?.slice(0, 10)).toEqual(['so-y-te', 'Sở Y tế', 0, 2, 0, 0, 0, 1, 0, 3]);
    const late = wb.getWorksheet('Quá hạn')!;
    expect(late.getRow(1).getCell(8).value).toBe('Hạn');
    expect(late.rowCount).toBe(4); // the header and three overdue instances
    // Most days overdue first: so-gd's budget, due 30/01/2026, as a real date.
    const first = late.getRow(2);
    expect(first.getCell(1).value).toBe('1.e');
    expect(first.getCell(3).value).toBe('so-gd');
    const due = first.getCell(8);
    expect(due.value).toBeInstanceOf(Date);
    expect((due.value as Date).toISOString()).toBe('2026-01-30T00:00:00.000Z');
    expect(due.numFmt).toBe('dd/mm/yyyy');

    // Drill down: the unit, then the instance's timeline.
    await page.getByRole('link', { name: 'Sở Giáo dục và Đào tạo', exact: true }).first().click();
    await page.waitForURL(new RegExp(`/tong-quan/${D}/don-vi/so-gd$`));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Sở Giáo dục và Đào tạo');
    const tasks = await page.locator('#unit-tasks').innerText();
    expect(tasks).toContain('Báo cáo kinh phí');
    expect(tasks).toContain('30/01/2026');
    expect(tasks).toContain('quá hạn chưa hoàn thành');
    await check(page, 'leadership-unit');

    // The reminder letter to the unit: the PDF link downloads it, and the letter lists its two late tasks.
    const [letter] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tạo văn bản đôn đốc (PDF)' }).click()]);
    expect(letter.suggestedFilename()).toBe(`don-doc-${D}-so-gd.pdf`);
    await letter.saveAs(join(h.dir, 'don-doc.pdf'));
    const { text: letterText } = await pdfText(readFileSync(join(h.dir, 'don-doc.pdf')));
    expect(letterText).toContain('Kính gửi: Sở Giáo dục và Đào tạo.');
    expect(letterText).toContain('V/v đôn đốc thực hiện Chỉ thị số 1/CT-TEST');
    expect(letterText).toMatch(/1 1\.a Gửi thông tin đầu mối 27\/02\/2026 \d+ 2 1\.e Báo cáo kinh phí 30\/01\/2026 \d+ /);

    await page.getByRole('link', { name: /^Dòng thời gian\W*1\.e$/ }).click();
    await page.waitForURL(new RegExp(`/tong-quan/${D}/phien/`));
    const timeline = page.locator('#timeline tbody tr');
    expect(await timeline.count()).toBeGreaterThan(0);
    expect(await page.locator('#timeline').innerText()).toContain('Quá hạn');
    // Times are the directive's wall clock (Asia/Ho_Chi_Minh), dd/mm/yyyy HH:mm.
    const audit = await listAudit(h.db.pool, D, { workflowId: decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!) });
    expect(await timeline.first().locator('td').first().innerText()).toBe(formatTime(audit[0]!.at, 'Asia/Ho_Chi_Minh'));
    expect(await timeline.first().locator('td').first().innerText()).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    await check(page, 'leadership-timeline');

    // The grid's cell links to the same kind of page.
    await page.goto(`${base}/tong-quan/${D}`);
    await page.getByRole('link', { name: '1.a, Sở Y tế: quá hạn chưa hoàn thành' }).click();
    await page.waitForURL(new RegExp(`/tong-quan/${D}/phien/`));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('1.a');
  }, 120_000);

  it("an officer sees only its own unit; another unit's page and a timeline are 403", async () => {
    const page = await newPage();
    await signIn(page, 'can-bo.so-y-te');
    await page.goto(`${base}/tong-quan/${D}`);
    expect(await page.locator('#grid tbody th').allInnerTexts()).toEqual(['Sở Y tế']);
    expect(await page.locator('#counts td[data-status="overdue"]').innerText()).toBe('1');
    await check(page, 'officer-directive');

    await page.goto(`${base}/tong-quan/${D}/don-vi/so-y-te`);
    expect(await page.locator('#unit-tasks').innerText()).toContain('Gửi thông tin đầu mối');
    // No timeline link: an officer does not read the audit trail.
    expect(await page.getByRole('link', { name: /Dòng thời gian/ }).count()).toBe(0);
    await check(page, 'officer-unit');

    const other = await page.goto(`${base}/tong-quan/${D}/don-vi/so-gd`);
    expect(other?.status()).toBe(403);
    expect(await page.locator('[role=alert]').innerText()).toContain('so-gd');
    await check(page, 'officer-other-unit-403');

    const [own] = await listInstances(h.db.pool, D, { unitId: 'so-y-te', obligationId: 'contact-point' });
    const timeline = await page.goto(`${base}/tong-quan/${D}/phien/${encodeURIComponent(own!.workflowId)}`);
    expect(timeline?.status()).toBe(403);
    await check(page, 'officer-timeline-403');

    // The export follows the same rows: the officer's workbook has its unit only.
    const res = await page.request.get(`${base}/tong-quan/${D}.xlsx`);
    expect(res.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(await res.body()).buffer); // a plain ArrayBuffer, as exceljs types it
    expect(wb.getWorksheet('Đơn vị')!.getColumn(1).values.slice(2)).toEqual(['so-y-te']);
  }, 60_000);
});
