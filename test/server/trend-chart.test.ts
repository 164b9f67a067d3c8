/**
 * Biểu đồ xu hướng, phần không cần cơ sở dữ liệu (server/portal/trend.ts): chọn kỳ (ngày, tuần,
 * nhiều tuần; không quá 60 điểm) và SVG (nhãn ngày dd/mm, năm nơi năm đổi, chữ được thoát).
 * The trend chart without a database: the periods (days, weeks, several weeks; at most 60 points)
 * and the SVG (dd/mm labels, the year where it changes, text escaped).
 */
import { describe, expect, it } from 'vitest';
import { MAX_POINTS, trendPeriods, trendSeries, trendSvg, type TrendPoint } from '../../server/portal/trend.js';

const TZ = 'Asia/Ho_Chi_Minh';

describe('trendPeriods', () => {
  it('counts days up to 60 of them, from the first tracked day', () => {
    expect(trendPeriods('2026-11-26', '2026-11-26', TZ)).toEqual({ from: '2026-11-26', days: 1, count: 1, timeZone: TZ });
    expect(trendPeriods('2026-09-28', '2026-11-26', TZ)).toEqual({ from: '2026-09-28', days: 1, count: 60, timeZone: TZ });
    // A first line dated after today (a clock ahead of the server's) still gives today.
    expect(trendPeriods('2026-12-01', '2026-11-26', TZ)).toEqual({ from: '2026-11-26', days: 1, count: 1, timeZone: TZ });
  });

  it('counts weeks from the Monday before beyond 60 days, several to a period beyond 60 weeks', () => {
    // 61 days from Sunday 27/09/2026: weeks from Monday 21/09, the last one running.
    expect(trendPeriods('2026-09-27', '2026-11-26', TZ)).toEqual({ from: '2026-09-21', days: 7, count: 10, timeZone: TZ });
    // Hanoi 3968, tracked from Monday 28/11/2022: 209 weeks, four to a period.
    const p = trendPeriods('2022-11-28', '2026-11-26', TZ);
    expect(p).toEqual({ from: '2022-11-28', days: 28, count: 53, timeZone: TZ });
    expect(p.count).toBeLessThanOrEqual(MAX_POINTS);
  });
});

describe('trendSvg', () => {
  const points: TrendPoint[] = Array.from({ length: 20 }, (_, i) => ({
    end: new Date(Date.UTC(2025, 11, 7 + 7 * i)).toISOString().slice(0, 10),
    onTime: i * 3,
    late: i,
    overdue: 10 - Math.abs(10 - i),
  }));

  it('labels at most 8 dates as dd/mm, the year under the first and where it changes, and marks every point', () => {
    const svg = trendSvg(points, trendSeries('vi'), 'Tiêu đề', 'Mô tả');
    const labels = [...svg.matchAll(/<text class="trend-tick" x="[\d.]+" y="[\d.]+" text-anchor="middle">([^<]*)(?:<tspan[^>]*>(\d{4})<\/tspan>)?<\/text>/g)].map((m) => (m[2] ? `${m[1]} ${m[2]}` : m[1]));
    expect(labels).toEqual(['07/12 2025', '28/12', '18/01 2026', '08/02', '01/03', '22/03', '12/04']);
    // Three series of 20 markers.
    expect(svg.match(/<path d="M[^"]*" transform="translate\(/g)).toHaveLength(60);
  });

  it('escapes its title and description', () => {
    const svg = trendSvg(points, trendSeries('en'), '1/CT <b>&</b>', 'a "quoted" <desc>');
    expect(svg).toContain('<title id="trend-title">1/CT &lt;b&gt;&amp;&lt;/b&gt;</title>');
    expect(svg).toContain('<desc id="trend-desc">a &quot;quoted&quot; &lt;desc&gt;</desc>');
  });
});
