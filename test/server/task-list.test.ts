/**
 * "Nhiệm vụ của tôi" beyond the list: due within N days (overdue ones too, completed ones not), the
 * month calendar (each task on its due date, Monday first), and the Excel exports of the officer's
 * list and of the dashboard's unit page, read back cell by cell. Dates are taken from today, so the
 * test means the same on any day it runs.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInstances } from '../../activities/store/instances.js';
import { formatDate } from '../../server/portal/present.js';
import { startServerHarness, type ServerHarness } from './harness.js';

const D = 'task-list';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
const SOON = day(3);
const LATER = day(60);

let h: ServerHarness;
const token = {} as Record<'officer' | 'leader', string>;

async function get(t: string, url: string) {
  const res = await h.request(t, 'GET', url);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res;
}

/** The task titles the list shows, in its order. */
function titles(html: string): string[] {
  return [...html.matchAll(/<td><a href="\/nhiem-vu\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

async function sheet(body: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

beforeAll(async () => {
  h = await startServerHarness();
  // contact-point (27/02/2026) is long past due; plan-2027 is due in 3 days, the drill in 60.
  await h.deployFixture({ id: D, futureDue: SOON, drillDue: LATER });
  await h.until('contact-point marked overdue', () => listInstances(h.db.pool, D, { unitId: 'so-y-te', status: 'overdue' }), (rows) => rows.length === 1, 60_000);
  token.officer = await h.account('can-bo.yte', 'so-y-te', ['officer']);
  token.leader = await h.account('lanh-dao', 'chu-tich', ['leadership']);
}, 240_000);

afterAll(async () => {
  await h?.close();
});

describe("the officer's task list", () => {
  it('all open tasks, grouped by status', async () => {
    const html = (await get(token.officer, '/nhiem-vu')).body;
    expect(titles(html).sort()).toEqual(['Diễn tập ứng cứu sự cố', 'Gửi thông tin đầu mối', 'Xây dựng kế hoạch 2027']);
    const overdue = /<section aria-labelledby="g-overdue">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(titles(overdue)).toEqual(['Gửi thông tin đầu mối']);
  });

  it('due within 7 days: the overdue task and the one due in 3 days, not the one in 60', async () => {
    const html = (await get(token.officer, '/nhiem-vu?trong=7')).body;
    expect(titles(html).sort()).toEqual(['Gửi thông tin đầu mối', 'Xây dựng kế hoạch 2027']);
    expect(html).toMatch(/<option value="7" selected>7 ngày tới \(cả quá hạn\)<\/option>/);
    // A number the form does not offer is kept and shown.
    const ten = (await get(token.officer, '/nhiem-vu?trong=90')).body;
    expect(titles(ten)).toHaveLength(3);
    expect(ten).toMatch(/<option value="90" selected>/);
  });

  it('the month calendar puts each task on its due date, Monday first, and keeps the filter', async () => {
    const month = SOON.slice(0, 7);
    const html = (await get(token.officer, `/nhiem-vu?xem=lich&thang=${month}&trong=7`)).body;
    expect(html).toContain(`<h2 id="h-calendar">Tháng ${Number(month.slice(5))}/${month.slice(0, 4)}</h2>`);
    expect(/<thead><tr><th scope="col">([^<]+)<\/th>/.exec(html)?.[1]).toBe('Thứ Hai');
    const cell = new RegExp(`<td class="[^"]*" data-date="${SOON}">([\\s\\S]*?)</td>`).exec(html)?.[1] ?? '';
    expect(cell).toContain('1.b Xây dựng kế hoạch 2027');
    expect(cell).toContain(`hạn ${formatDate(SOON)}`);
    // The overdue task is due in February 2026: outside this month, and said so.
    expect(html).toMatch(/1 nhiệm vụ khác đến hạn ngoài tháng này hoặc chưa có hạn\./);
    // The month links keep the filter.
    expect(html).toMatch(/href="\/nhiem-vu\?trong=7&amp;xem=lich&amp;thang=\d{4}-\d{2}" rel="next"/);
    // Without a month: the month of the next task due.
    expect((await get(token.officer, '/nhiem-vu?xem=lich')).body).toContain(`data-date="${SOON}"`);
  });

  it('exports what it shows to Excel: statuses in words, real dates', async () => {
    const res = await get(token.officer, '/nhiem-vu?xem=excel&trong=7');
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe('attachment; filename="nhiem-vu-so-y-te.xlsx"');
    const rows = await sheet(res.rawPayload);
    expect(rows[0]).toEqual(['Chỉ thị', 'Điểm', 'Nhiệm vụ', 'Sự kiện', 'Trạng thái', 'Hạn', 'Hạn gốc']);
    expect(rows.slice(1).map((r) => [r[1], r[2], r[4]])).toEqual([
      ['1.a', 'Gửi thông tin đầu mối', 'quá hạn chưa hoàn thành'],
      ['1.b', 'Xây dựng kế hoạch 2027', 'đang thực hiện trong hạn'],
    ]);
    expect(rows[2]![5]).toEqual(new Date(`${SOON}T00:00:00Z`));
  });
});

describe("the dashboard's unit page", () => {
  it('exports the unit’s tasks to Excel, with the days overdue', async () => {
    const res = await get(token.leader, `/tong-quan/${D}/don-vi/so-y-te.xlsx`);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="tong-quan-${D}-so-y-te.xlsx"`);
    const rows = await sheet(res.rawPayload);
    expect(rows[0]).toEqual(['Điểm', 'Nhiệm vụ', 'Sự kiện', 'Kỳ', 'Trạng thái', 'Hạn', 'Hạn gốc', 'Hoàn thành', 'Số ngày quá hạn']);
    const byClause = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byClause.get('1.a')![4]).toBe('quá hạn chưa hoàn thành');
    expect(byClause.get('1.a')![8]).toBe(Math.round((Date.parse(`${day(0)}T00:00:00Z`) - Date.parse('2026-02-27T00:00:00Z')) / 86_400_000));
    expect(byClause.get('1.b')![5]).toEqual(new Date(`${SOON}T00:00:00Z`));
    // An officer reads its own unit only: another unit's export is refused like its page.
    expect((await h.request(token.officer, 'GET', `/tong-quan/${D}/don-vi/so-gd.xlsx`)).statusCode).toBe(403);
  });
});
