/**
 * Biểu đồ xu hướng trên trang chỉ thị của bảng tổng quan, từ nhật ký do chính các workflow ghi (máy
 * chủ Temporal bỏ qua thời gian, PostgreSQL, một worker): hai nhiệm vụ đã quá hạn khi triển khai;
 * Sở Y tế nộp muộn và được chấp nhận (hoàn thành quá hạn), Sở Giáo dục nộp kế hoạch 2027 trong hạn
 * (hoàn thành đúng hạn). Lãnh đạo, cán bộ từng sở thấy số của phần mình được đọc.
 * The trend chart on the dashboard's directive page, from audit lines the workflows write themselves
 * (time-skipping Temporal, PostgreSQL, a worker): two tasks are overdue when deployed; so-y-te
 * submits late and is accepted (completed late), so-gd submits its 2027 plan in time (completed on
 * time). Leadership and each department's officer read the numbers of what they may read: an
 * <svg role="img"> with its title and description, the legend's texts, the data table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInstance, listInstances } from '../../activities/store/index.js';
import { formatDate } from '../../server/portal/present.js';
import { instanceWorkflowId } from '../../workflows/types.js';
import { startServerHarness, type ServerHarness } from './harness.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const D = 'trend-page';
let h: ServerHarness;
const token = {} as Record<'leader' | 'yte' | 'gd', string>;
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

const statusOf = async (o: string, u: string) => (await getInstance(h.db.pool, instanceWorkflowId(D, o, u)))?.status;

/** The page's data table: one row per period, its end date and the three numbers, as shown. */
function trendTable(html: string): { end: string; onTime: string; late: string; overdue: string }[] {
  const table = /<table id="trend-data">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) => {
    const cell = (series: string) => new RegExp(`<td class="num" data-series="${series}">(\\d+)</td>`).exec(row!)?.[1] ?? '';
    return { end: /<th scope="row">([^<]*)<\/th>/.exec(row!)?.[1] ?? '', onTime: cell('onTime'), late: cell('late'), overdue: cell('overdue') };
  });
}

/**
 * The trend as the directive's page shows it: the page has the section and a link to the chart,
 * which htmx then loads as a fragment (the chart reads the whole audit trail, so the page does not
 * wait for it); that fragment is what is returned.
 */
async function pageOf(t: string, lang = 'vi'): Promise<string> {
  const res = await h.request(t, 'GET', `/tong-quan/${D}?lang=${lang}`);
  expect(res.statusCode, res.body).toBe(200);
  const slot = /<div id="trend-slot" hx-get="([^"]+)" hx-trigger="load" hx-swap="outerHTML"><p><a href="([^"]+)">/.exec(res.body);
  expect(slot?.[1]).toBe(`/tong-quan/${D}/xu-huong`);
  expect(slot?.[2]).toBe(slot?.[1]);
  const fragment = await h.request(t, 'GET', `${slot![1]!}?lang=${lang}`, undefined, { 'hx-request': 'true' });
  expect(fragment.statusCode, fragment.body).toBe(200);
  expect(fragment.body).not.toContain('<html');
  return res.body.slice(0, res.body.indexOf('<div id="trend-slot"')) + fragment.body;
}

beforeAll(async () => {
  h = await startServerHarness();
  await h.deployFixture({ id: D });
  // contact-point (due 27/02/2026) is past due for both departments: their workflows mark it.
  await h.until('contact-point marked overdue', () => listInstances(h.db.pool, D, { status: 'overdue' }), (rows) => rows.length === 2, 60_000);
  writeFileSync(join(h.dir, 'plan.pdf'), '%PDF-1.4 Kế hoạch 2027');
  const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
  ok(await h.cli(['submit', '--directive', D, '--obligation', 'contact-point', '--unit', 'so-y-te', '--field', 'officer=Nguyễn Văn A', '--field', 'phone=0243 123 4567', '--field', 'email=a@soyte.example']));
  ok(await h.cli(['submit', '--directive', D, '--obligation', 'plan-2027', '--unit', 'so-gd', '--file', 'report=plan.pdf']));
  await h.until('both awaiting review', async () => [await statusOf('contact-point', 'so-y-te'), await statusOf('plan-2027', 'so-gd')], (s) => s.every((x) => x === 'awaiting-review'));
  ok(await h.cli(['review', 'accept', '--directive', D, '--obligation', 'contact-point', '--unit', 'so-y-te']));
  ok(await h.cli(['review', 'accept', '--directive', D, '--obligation', 'plan-2027', '--unit', 'so-gd']));
  await h.until('both completed', async () => [await statusOf('contact-point', 'so-y-te'), await statusOf('plan-2027', 'so-gd')], (s) => s[0] === 'completed-late' && s[1] === 'completed-on-time');
  token.leader = await h.account('lanh-dao', 'chu-tich', ['leadership']);
  token.yte = await h.account('can-bo.yte', 'so-y-te', ['officer']);
  token.gd = await h.account('can-bo.gd', 'so-gd', ['officer']);
}, 240_000);

afterAll(async () => {
  await h?.close();
});

describe('the trend on the directive page', () => {
  it('draws an <svg role="img"> with a title and a description, a legend in words, and the numbers in a table', async () => {
    const html = await pageOf(token.leader);
    expect(html).toContain('<h2 id="h-trend">Xu hướng</h2>');
    const svg = /<svg class="trend"[^>]*>[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(svg).toMatch(/^<svg class="trend" id="trend" role="img" aria-labelledby="trend-title trend-desc"/);
    expect(svg).toContain('<title id="trend-title">1/CT-TEST: hoàn thành đúng hạn, hoàn thành quá hạn và quá hạn theo thời gian</title>');
    // Deployed today: one period so far, a day long.
    expect(svg).toContain(`<desc id="trend-desc">Theo ngày, từ ${formatDate(today)} đến ${formatDate(today)}. Đến ${formatDate(today)}: 1 kỳ hoàn thành đúng hạn, 1 kỳ hoàn thành quá hạn; 1 kỳ đang quá hạn.</desc>`);
    // Three lines in the status colours, each its own dash pattern.
    expect(svg).toMatch(/<g class="trend-series st-completed-on-time" data-series="onTime"><path class="trend-line" d="M[^"]+" fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="8 4"\/>/);
    expect(svg).toMatch(/<g class="trend-series st-completed-late" data-series="late"><path class="trend-line" d="M[^"]+" fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="3 3"\/>/);
    expect(svg).toMatch(/<g class="trend-series st-overdue" data-series="overdue"><path class="trend-line" d="M[^"]+" fill="none" stroke="currentColor" stroke-width="3"\/>/);
    // The date axis says dd/mm.
    expect(svg).toContain(`>${today.slice(8, 10)}/${today.slice(5, 7)}<tspan`);

    const legend = /<ul class="legend trend-legend"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    const texts = [...legend.matchAll(/<\/svg> ([^<]+)<\/li>/g)].map((m) => m[1]);
    expect(texts).toEqual(['Hoàn thành đúng hạn (cộng dồn)', 'Hoàn thành quá hạn (cộng dồn)', 'Quá hạn chưa hoàn thành (cuối mỗi kỳ)']);

    expect(html).toMatch(/<details class="trend-data">\s*<summary>Số liệu<\/summary>/);
    expect(trendTable(html)).toEqual([{ end: formatDate(today), onTime: '1', late: '1', overdue: '1' }]);
  });

  it("counts only what the reader may read: each department's officer its own unit", async () => {
    expect(trendTable(await pageOf(token.yte))).toEqual([{ end: formatDate(today), onTime: '0', late: '1', overdue: '0' }]);
    expect(trendTable(await pageOf(token.gd))).toEqual([{ end: formatDate(today), onTime: '1', late: '0', overdue: '1' }]);
  });

  it('without JavaScript, the link opens the chart as a page of its own; a unit the directive does not task gets 403', async () => {
    const res = await h.request(token.leader, 'GET', `/tong-quan/${D}/xu-huong`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html');
    expect(res.body).toMatch(/<h1>Xu hướng — 1\/CT-TEST<\/h1>/);
    expect(trendTable(res.body)).toEqual([{ end: formatDate(today), onTime: '1', late: '1', overdue: '1' }]);
    const outsider = await h.account('can-bo.ngoai', 'so-khac', ['officer']);
    expect((await h.request(outsider, 'GET', `/tong-quan/${D}/xu-huong`)).statusCode).toBe(403);
  });

  it('speaks English when asked', async () => {
    const html = await pageOf(token.leader, 'en');
    expect(html).toContain('<h2 id="h-trend">Trend</h2>');
    expect(html).toContain('<title id="trend-title">1/CT-TEST: completed on time, completed late and overdue over time</title>');
    expect(html).toContain('Completed on time (cumulative)');
    expect(html).toContain('Overdue, not completed (at the end of each period)');
    expect(html).toMatch(/<summary>Data<\/summary>/);
  });
});
