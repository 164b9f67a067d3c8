/**
 * Biểu đồ xu hướng của một chỉ thị trên bảng tổng quan (issue 10, mục 3): cuối mỗi kỳ, số kỳ nhiệm
 * vụ hoàn thành đúng hạn, hoàn thành quá hạn (cộng dồn) và số đang quá hạn lúc đó. SVG vẽ ở máy chủ
 * (d3-scale, d3-shape): không cần JavaScript, không bước dựng phía trình duyệt; màu là màu nhóm trạng
 * thái của portal.css, mỗi đường còn có kiểu nét và ký hiệu riêng (không chỉ dựa vào màu), kèm bảng
 * số liệu cho trình đọc màn hình.
 * A directive's trend on the dashboard (issue 10, item 3): at the end of each period, the cycles
 * completed on time and late (cumulative) and those overdue then. An SVG drawn on the server with
 * d3-scale and d3-shape: no JavaScript, no client build step; the status colours of portal.css,
 * and each line its own dash pattern and marker besides (never colour alone), with the numbers as
 * a table for screen readers.
 *
 * Ba đường chứ không phải vùng chồng: hai số cộng dồn và một số tại thời điểm không cộng được với
 * nhau, chồng lên thì tổng vô nghĩa.
 * Three lines, not stacked areas: two cumulative counts and one count at a moment do not add up,
 * and a stack would draw their meaningless sum.
 */
import { scaleLinear } from 'd3-scale';
import { line, symbol, symbolCircle, symbolSquare, symbolTriangle, type SymbolType } from 'd3-shape';
import { firstAuditDay, statusTrend, type TrendCounts, type TrendPeriods } from '../../activities/store/index.js';
import type { Lang } from '../../common/cli-spec.js';
import type { Actor } from '../../common/roles.js';
import { STATUS_LABEL } from '../../common/status.js';
import type { Plan } from '../../compiler/plan.js';
import type { InstanceStatus } from '../../workflows/types.js';
import { instanceScope } from '../authz.js';
import type { ServerDeps } from '../context.js';
import { formatDate, STATUS_CLASS } from './present.js';

/** At most this many points: a line a leader reads at a glance, labels that do not collide. */
export const MAX_POINTS = 60;

export interface TrendPoint extends TrendCounts {
  /** Last day of the period (YYYY-MM-DD; today for the period still running). */
  end: string;
}

export interface Trend {
  /** First day of the first period and the last day shown (today). */
  from: string;
  to: string;
  /** Days per period: 1, or a whole number of weeks from a Monday. */
  days: number;
  points: TrendPoint[];
  /** The three series, in the legend's order, with how each is drawn. */
  series: Series[];
  /** The chart: <svg role="img"> with its <title> and <desc>. */
  svg: string;
  /** What the chart shows, in words (its <desc>). */
  summary: string;
}

export interface Series {
  key: keyof TrendCounts;
  status: InstanceStatus;
  label: string;
  /** The portal.css class of the status (its colour). */
  className: string;
  /** SVG stroke-dasharray, or undefined for a solid line. */
  dash: string | undefined;
  width: number;
  marker: string;
  /** A small drawing of the line and its marker, for the legend (decorative: the text says it). */
  swatch: string;
}

/** Today's date (YYYY-MM-DD) on the directive's wall clock. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
}

const DAY = 86_400_000;
const ms = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const isoOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const addDays = (iso: string, n: number) => isoOf(ms(iso) + n * DAY);
const daysBetween = (from: string, to: string) => Math.round((ms(to) - ms(from)) / DAY);

/**
 * Các kỳ từ ngày bắt đầu theo dõi đến hôm nay: theo ngày khi không quá MAX_POINTS ngày, nếu không thì
 * theo tuần (bắt đầu thứ Hai, như tuần làm việc của cơ quan), gộp vài tuần một kỳ khi dài hơn
 * MAX_POINTS tuần.
 * The periods from the first tracked day to today: days when there are at most MAX_POINTS of them,
 * otherwise weeks from the Monday before (the office's working week), several weeks to a period
 * when there are more than MAX_POINTS weeks.
 */
export function trendPeriods(first: string, today: string, timeZone: string): TrendPeriods {
  const start = first > today ? today : first;
  const span = daysBetween(start, today) + 1;
  if (span <= MAX_POINTS) return { from: start, days: 1, count: span, timeZone };
  const monday = addDays(start, -((new Date(ms(start)).getUTCDay() + 6) % 7));
  const total = daysBetween(monday, today) + 1;
  const days = 7 * Math.ceil(Math.ceil(total / 7) / MAX_POINTS);
  return { from: monday, days, count: Math.ceil(total / days), timeZone };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);

/**
 * Kiểu vẽ của từng đường: quá hạn (điều lãnh đạo cần thấy trước) nét liền đậm, tam giác; đúng hạn nét
 * gạch dài, chấm tròn; quá hạn đã xong nét gạch ngắn, ô vuông.
 * How each line is drawn: overdue (what leadership must see first) thick and solid with triangles;
 * on time long dashes with circles; late short dashes with squares.
 */
export function trendSeries(lang: Lang): Series[] {
  const t = (vi: string, en: string) => (lang === 'en' ? en : vi);
  const def = (key: keyof TrendCounts, status: InstanceStatus, qualifier: string, dash: string | undefined, width: number, type: SymbolType): Series => {
    const marker = symbol(type, 36)() ?? '';
    const className = STATUS_CLASS[status];
    const dashAttr = dash ? ` stroke-dasharray="${dash}"` : '';
    const swatch =
      `<svg class="trend-swatch ${className}" width="36" height="12" viewBox="0 0 36 12" aria-hidden="true" focusable="false">` +
      `<path d="M2,6H34" fill="none" stroke="currentColor" stroke-width="${width}"${dashAttr}/>` +
      `<path d="${marker}" transform="translate(18,6)" fill="currentColor"/></svg>`;
    return { key, status, label: `${capitalise(STATUS_LABEL[status][lang])} (${qualifier})`, className, dash, width, marker, swatch };
  };
  return [
    def('onTime', 'completed-on-time', t('cộng dồn', 'cumulative'), '8 4', 2, symbolCircle),
    def('late', 'completed-late', t('cộng dồn', 'cumulative'), '3 3', 2, symbolSquare),
    def('overdue', 'overdue', t('cuối mỗi kỳ', 'at the end of each period'), undefined, 3, symbolTriangle),
  ];
}

/** The chart's description: the span, the period, where each line ends, the overdue peak. */
function summaryOf(points: TrendPoint[], from: string, days: number, lang: Lang): string {
  const last = points[points.length - 1]!;
  const peak = points.reduce((a, b) => (b.overdue > a.overdue ? b : a), points[0]!);
  const per = days === 1 ? (lang === 'en' ? 'By day' : 'Theo ngày') : days === 7 ? (lang === 'en' ? 'By week' : 'Theo tuần') : lang === 'en' ? `By ${days / 7} weeks` : `Theo từng ${days / 7} tuần`;
  const peakText =
    peak.overdue > last.overdue ? (lang === 'en' ? ` (highest ${peak.overdue}, period ending ${formatDate(peak.end)})` : ` (cao nhất ${peak.overdue}, kỳ kết thúc ${formatDate(peak.end)})`) : '';
  return lang === 'en'
    ? `${per}, from ${formatDate(from)} to ${formatDate(last.end)}. By ${formatDate(last.end)}: ${last.onTime} cycles completed on time, ${last.late} completed late; ${last.overdue} overdue${peakText}.`
    : `${per}, từ ${formatDate(from)} đến ${formatDate(last.end)}. Đến ${formatDate(last.end)}: ${last.onTime} kỳ hoàn thành đúng hạn, ${last.late} kỳ hoàn thành quá hạn; ${last.overdue} kỳ đang quá hạn${peakText}.`;
}

const W = 720;
const H = 300;
const M = { top: 16, right: 20, bottom: 48, left: 48 };

/** The SVG: axes with dd/mm dates (the year under the first and where it changes), three lines. */
export function trendSvg(points: TrendPoint[], series: Series[], title: string, summary: string, id = 'trend'): string {
  const n = points.length;
  const x = scaleLinear().domain(n === 1 ? [-1, 1] : [0, n - 1]).range([M.left, W - M.right]);
  const max = Math.max(1, ...points.flatMap((p) => series.map((s) => p[s.key])));
  const y = scaleLinear().domain([0, max]).nice().range([H - M.bottom, M.top]);
  const f = (v: number) => (Math.round(v * 10) / 10).toString();

  const yTicks = y.ticks(5).filter(Number.isInteger);
  const grid = yTicks
    .map((v) => `<line class="trend-grid" x1="${M.left}" x2="${W - M.right}" y1="${f(y(v))}" y2="${f(y(v))}"/><text class="trend-tick" x="${M.left - 6}" y="${f(y(v))}" dy="0.32em" text-anchor="end">${v}</text>`)
    .join('');

  // Nhãn trục ngày: tối đa 8, cách đều; năm ghi dưới nhãn đầu và nơi năm đổi.
  // Date labels: at most 8, evenly spaced; the year under the first and wherever it changes.
  const step = Math.max(1, Math.ceil(n / 8));
  const ticks: number[] = [];
  for (let i = 0; i < n; i += step) ticks.push(i);
  if (ticks[ticks.length - 1] !== n - 1 && n - 1 - ticks[ticks.length - 1]! >= step / 2) ticks.push(n - 1);
  let year = '';
  const xLabels = ticks
    .map((i) => {
      const d = points[i]!.end;
      const yy = d.slice(0, 4);
      const showYear = yy !== year;
      year = yy;
      const px = f(x(i));
      return (
        `<line class="trend-axis" x1="${px}" x2="${px}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}"/>` +
        `<text class="trend-tick" x="${px}" y="${H - M.bottom + 18}" text-anchor="middle">${d.slice(8, 10)}/${d.slice(5, 7)}` +
        (showYear ? `<tspan x="${px}" dy="1.2em">${yy}</tspan>` : '') +
        '</text>'
      );
    })
    .join('');

  const lines = series
    .map((s) => {
      const path = line<TrendPoint>()
        .x((_, i) => x(i))
        .y((p) => y(p[s.key]))(points);
      const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
      const marks = points.map((p, i) => `<path d="${s.marker}" transform="translate(${f(x(i))},${f(y(p[s.key]))})"/>`).join('');
      return `<g class="trend-series ${s.className}" data-series="${s.key}"><path class="trend-line" d="${path ?? ''}" fill="none" stroke="currentColor" stroke-width="${s.width}"${dash}/><g fill="currentColor">${marks}</g></g>`;
    })
    .join('');

  return (
    `<svg class="trend" id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${W} ${H}" width="100%" preserveAspectRatio="xMidYMid meet">` +
    `<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(summary)}</desc>` +
    grid +
    `<line class="trend-axis" x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}"/>` +
    `<line class="trend-axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}"/>` +
    xLabels +
    lines +
    '</svg>'
  );
}

/**
 * The trend of what the actor may read of the directive (`status.read`, the same filter as the
 * dashboard's counts: server/authz.ts instanceScope), from the first audit line to today; undefined
 * before the directive has any.
 */
export async function directiveTrend(deps: Pick<ServerDeps, 'pool'>, actor: Actor, plan: Plan, lang: Lang, today = todayIn(plan.directive.timezone)): Promise<Trend | undefined> {
  const d = plan.directive;
  const first = await firstAuditDay(deps.pool, d.id, d.timezone);
  if (first === undefined) return undefined;
  const periods = trendPeriods(first, today, d.timezone);
  const counts = await statusTrend(deps.pool, d.id, instanceScope(actor, 'status.read', plan), periods);
  const points = counts.map((c, i) => {
    const end = addDays(periods.from, (i + 1) * periods.days - 1);
    return { ...c, end: end > today ? today : end };
  });
  const series = trendSeries(lang);
  const summary = summaryOf(points, periods.from, periods.days, lang);
  const title = lang === 'en' ? `${d.number}: completed on time, completed late and overdue over time` : `${d.number}: hoàn thành đúng hạn, hoàn thành quá hạn và quá hạn theo thời gian`;
  return { from: periods.from, to: today, days: periods.days, points, series, svg: trendSvg(points, series, title, summary), summary };
}
