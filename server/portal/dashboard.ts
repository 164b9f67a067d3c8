/**
 * Bảng tổng quan cho lãnh đạo (issue 10, mục 3): mỗi chỉ thị đang triển khai, số nhiệm vụ theo từng
 * nhóm trạng thái, các đơn vị xếp theo mức chậm trễ, lưới điểm × đơn vị tô màu theo trạng thái; xem
 * sâu một đơn vị và dòng thời gian (nhật ký) của một phiên; xuất Excel. Ai thấy gì theo đúng bảng
 * server/authz.ts (`status.read`, `audit.read`): lãnh đạo thấy chỉ thị có tên đơn vị mình, người soạn
 * thấy tất cả, cán bộ chỉ thấy đơn vị mình, cơ quan duyệt thấy các nghĩa vụ mình duyệt.
 * The leadership dashboard (issue 10, item 3): per deployed directive, the counts in each status
 * bucket, units ranked by lateness, a clause × unit grid coloured by status; drill down to a unit and
 * to an instance's timeline (its audit lines); Excel export. Who sees what is the table of
 * server/authz.ts, row by row: the dashboard has no rules of its own.
 *
 *   GET /tong-quan                          the directives the actor may read, with their counts
 *   GET /tong-quan/:directive               counts, lateness ranking, clause × unit grid
 *   GET /tong-quan/:directive.xlsx          units × status counts, and the overdue instances
 *   GET /tong-quan/:directive/don-vi/:unit  a unit's instances in the directive
 *   GET /tong-quan/:directive/phien/:wf     an instance's timeline (audit.read)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countInstances, getInstance, getLatestDeployment, instanceCells, listAudit, listInstances, listLatestDeployments, type InstanceCell, type InstanceRow, type InstanceScope } from '../../activities/store/index.js';
import type { Lang } from '../../common/cli-spec.js';
import { actorName, type Actor } from '../../common/roles.js';
import type { Plan, PlanObligation } from '../../compiler/plan.js';
import { reviewerOf } from '../../compiler/relations.js';
import type { InstanceStatus } from '../../workflows/types.js';
import { allowed, authorize, instanceScope, scopesOf } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';
import { HttpError } from '../errors.js';
import { taskPath } from './index.js';
import { dashboardWorkbook, unitWorkbook, XLSX } from './export.js';
import { letterLinks } from './letter.js';
import { formatDate, formatTime, helpers, pageLang, STATUS_ORDER } from './present.js';
import { directiveTrend } from './trend.js';

/** The portal's page renderer (server/portal/index.ts): layout data, CSRF token, cache headers. */
export type PageFn = (request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown>, status?: number) => Promise<unknown>;

/**
 * Chữ viết tắt của từng trạng thái trong ô lưới: màu không đủ (người mù màu, bản in đen trắng),
 * nên mỗi ô còn có chữ, và <abbr> kèm tên đầy đủ cho trình đọc màn hình.
 * Each status's abbreviation in a grid cell: colour alone is not enough (colour-blind readers,
 * black-and-white printouts), so every cell also has text, an <abbr> with the full label.
 */
export const STATUS_ABBR: Record<InstanceStatus, { vi: string; en: string }> = {
  'not-yet-due': { vi: 'CĐH', en: 'NYD' },
  'in-progress': { vi: 'ĐTH', en: 'IP' },
  'awaiting-review': { vi: 'CD', en: 'AR' },
  'completed-on-time': { vi: 'HT', en: 'OT' },
  'completed-late': { vi: 'HTQH', en: 'LATE' },
  overdue: { vi: 'QH', en: 'OD' },
  withdrawn: { vi: 'TH', en: 'WD' },
};

/**
 * Khi một ô có nhiều phiên (mỗi sự kiện một phiên), ô mang trạng thái cần chú ý nhất: quá hạn trước,
 * đã thu hồi sau cùng.
 * When a cell holds several instances (one per reported event), it shows the one most in need of
 * attention: overdue first, withdrawn last.
 */
const URGENCY: InstanceStatus[] = ['overdue', 'awaiting-review', 'in-progress', 'not-yet-due', 'completed-late', 'completed-on-time', 'withdrawn'];

/** Vietnamese labels of the audit actions a timeline shows most; any other shows its code. */
const AUDIT_LABEL: Record<string, { vi: string; en: string }> = {
  opened: { vi: 'Bắt đầu theo dõi', en: 'Opened' },
  'cycle-scheduled': { vi: 'Lên lịch kỳ mới', en: 'Cycle scheduled' },
  reminded: { vi: 'Nhắc hạn', en: 'Reminded' },
  'evidence-submitted': { vi: 'Nộp minh chứng', en: 'Evidence submitted' },
  'submission-repeated': { vi: 'Nộp lại cùng minh chứng', en: 'Submission repeated' },
  'submission-approved': { vi: 'Lãnh đạo đơn vị phê duyệt', en: 'Approved by the unit head' },
  'submission-returned': { vi: 'Lãnh đạo đơn vị trả lại', en: 'Returned by the unit head' },
  accepted: { vi: 'Chấp nhận minh chứng', en: 'Evidence accepted' },
  rejected: { vi: 'Từ chối minh chứng', en: 'Evidence rejected' },
  'extension-requested': { vi: 'Đề nghị gia hạn', en: 'Extension requested' },
  'extension-approved': { vi: 'Đồng ý gia hạn', en: 'Extension approved' },
  'extension-refused': { vi: 'Không đồng ý gia hạn', en: 'Extension refused' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  escalated: { vi: 'Báo cáo cấp trên', en: 'Escalated' },
  amended: { vi: 'Chỉ thị được sửa đổi', en: 'Directive amended' },
  withdrawn: { vi: 'Thu hồi', en: 'Withdrawn' },
  'notice-undelivered': { vi: 'Thông báo không gửi được', en: 'Notice undelivered' },
  'dependency-completed': { vi: 'Nhiệm vụ tiên quyết đã xong', en: 'Prerequisite completed' },
};

/** Today's date (YYYY-MM-DD) on the directive's wall clock: a task due today is not late yet. */
export function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}


function text(b: { vi: string; en?: string } | undefined, lang: Lang, fallback = ''): string {
  return b ? (lang === 'en' ? (b.en ?? b.vi) : b.vi) : fallback;
}

export interface UnitLine {
  unitId: string;
  name: string;
  counts: Record<InstanceStatus, number>;
  total: number;
  overdue: number;
  /** Sum over the unit's overdue instances of the days past due. */
  daysOverdue: number;
}

export interface OverdueLine {
  row: InstanceRow;
  clause: string;
  title: string;
  unitName: string;
  days: number;
}

export interface GridCell {
  /** The unit is an assignee of the clause and the actor may read it. */
  visible: boolean;
  status?: InstanceStatus;
  n: number;
  href?: string;
}

/** Units per page of the clause × unit grid: a province's ~60 fit on one; a national directive's 3,400 take pages. */
export const GRID_PAGE_SIZE = 60;
/** Units the lateness ranking lists on the page (the Excel export has them all). */
export const RANKING_SHOWN = 50;

export interface DirectiveView {
  plan: Plan;
  today: string;
  /** Instances the actor may read. */
  total: number;
  counts: Record<InstanceStatus, number>;
  units: UnitLine[];
  ranking: UnitLine[];
  /** Only when asked for (the Excel export): every overdue instance, most days first. */
  overdue: OverdueLine[];
  clauses: PlanObligation[];
  /** One page of the clause × unit grid (units in the registry's order). */
  grid: { unit: UnitLine; cells: GridCell[] }[];
  gridPage: { page: number; pages: number };
}

export interface ViewOptions {
  basePath?: string;
  /** The grid's page, from 1. */
  page?: number;
  /** Also list every overdue instance (the export's second sheet). */
  overdue?: boolean;
  /** Leave the grid out (the list of directives shows only their counts). */
  grid?: boolean;
}

/**
 * Vietnamese order for unit names, one collator for the process: `localeCompare(x, 'vi')` builds a
 * collator per call, ~40 ms to rank a national directive's 3,334 units (bench/portal.ts).
 */
const byName = new Intl.Collator('vi').compare;

const zeroCounts = (): Record<InstanceStatus, number> => Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<InstanceStatus, number>;

/**
 * The units whose tasks the actor may read, in the registry's order, and the clauses with at least
 * one of them: from the plan and the scope alone, no instance read.
 */
function readableUnits(plan: Plan, scope: InstanceScope): { unitIds: string[]; clauses: PlanObligation[]; readable: (o: PlanObligation, unit: string) => boolean } {
  const all = new Set(scope.all);
  const others = new Set(scope.others);
  const own = new Set(scope.own);
  const pairs = new Set((scope.pairs?.obligations ?? []).map((o, i) => `${o}\u0000${scope.pairs!.units[i]}`));
  const paired = new Set(scope.pairs?.obligations ?? []);
  const readable = (o: PlanObligation, unit: string) =>
    all.has(o.id) || (unit === scope.unit ? own.has(o.id) : others.has(o.id)) || pairs.has(`${o.id}\u0000${unit}`);
  const seen = new Set<string>();
  const clauses: PlanObligation[] = [];
  for (const o of plan.obligations) {
    let any = false;
    if (all.has(o.id) || others.has(o.id) || paired.has(o.id)) {
      for (const u of o.assignees) {
        if (!readable(o, u)) continue;
        seen.add(u);
        any = true;
      }
    } else if (own.has(o.id) && o.assignees.includes(scope.unit)) {
      seen.add(scope.unit);
      any = true;
    }
    if (any) clauses.push(o);
  }
  return { unitIds: Object.keys(plan.units).filter((u) => seen.has(u)), clauses, readable };
}

/**
 * Everything the directive's page and its export show, from what the actor may read: `status.read`
 * as a filter in SQL (server/authz.ts instanceScope; a leadership unit named in the directive and an
 * author: all; an officer: its unit; a reviewer: what it reviews). Counts and the ranking come from
 * one grouped query and the grid from one query for its page of units, so the page costs the same
 * at 500 instances as at 100,000 (bench/portal.ts).
 */
export async function directiveView(deps: Pick<ServerDeps, 'pool'>, actor: Actor, plan: Plan, lang: Lang, opts: ViewOptions = {}): Promise<DirectiveView> {
  const { basePath = '/tong-quan' } = opts;
  const d = plan.directive;
  const today = todayIn(d.timezone);
  const scope = instanceScope(actor, 'status.read', plan);
  const { unitIds, clauses, readable } = readableUnits(plan, scope);
  const lines = new Map<string, UnitLine>(
    unitIds.map((u) => [u, { unitId: u, name: text(plan.units[u]?.name, lang, u), counts: zeroCounts(), total: 0, overdue: 0, daysOverdue: 0 }]),
  );
  // The grid's page of units is known from the plan alone, so its cells are read while the counts are.
  const pages = Math.max(1, Math.ceil(unitIds.length / GRID_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pages);
  const shownIds = opts.grid === false ? [] : unitIds.slice((page - 1) * GRID_PAGE_SIZE, page * GRID_PAGE_SIZE);
  const [unitCounts, cellRows] = await Promise.all([
    countInstances(deps.pool, d.id, scope, today),
    shownIds.length > 0 ? instanceCells(deps.pool, d.id, scope, shownIds, URGENCY) : Promise.resolve([]),
  ]);
  const counts = zeroCounts();
  let total = 0;
  for (const c of unitCounts) {
    const line = lines.get(c.unitId);
    for (const [status, n] of Object.entries(c.counts) as [InstanceStatus, number][]) {
      counts[status] += n;
      total += n;
      if (line) {
        line.counts[status] += n;
        line.total += n;
      }
    }
    if (!line) continue;
    line.overdue += c.late;
    line.daysOverdue += c.lateDays;
  }
  const units = [...lines.values()];
  // Most overdue instances first, then most days overdue: who to call first.
  const ranking = units.filter((u) => u.overdue > 0).sort((a, b) => b.overdue - a.overdue || b.daysOverdue - a.daysOverdue || byName(a.name, b.name));

  const overdue: OverdueLine[] = [];
  if (opts.overdue) {
    const obligations = new Map(plan.obligations.map((o) => [o.id, o]));
    for (const r of await listInstances(deps.pool, d.id, { overdue: true, asOf: today, scope })) {
      const o = obligations.get(r.obligationId);
      overdue.push({ row: r, clause: o?.clause ?? '', title: text(o?.title, lang, r.obligationId), unitName: lines.get(r.unitId)?.name ?? r.unitId, days: r.due ? Math.max(0, daysBetween(r.due, today)) : 0 });
    }
    overdue.sort((a, b) => b.days - a.days || byName(a.unitName, b.unitName) || a.clause.localeCompare(b.clause));
  }

  const shown = shownIds.map((u) => lines.get(u)!);
  const cells = new Map<string, InstanceCell>(cellRows.map((c) => [`${c.obligationId}\u0000${c.unitId}`, c]));
  const assignees = new Map(clauses.map((o) => [o.id, new Set(o.assignees)]));
  const grid = shown.map((unit) => ({
    unit,
    cells: clauses.map((o): GridCell => {
      if (!assignees.get(o.id)!.has(unit.unitId) || !readable(o, unit.unitId)) return { visible: false, n: 0 };
      const top = cells.get(`${o.id}\u0000${unit.unitId}`);
      if (!top) return { visible: true, n: 0 };
      return { visible: true, status: top.status, n: top.n, href: `${basePath}/${encodeURIComponent(d.id)}/phien/${encodeURIComponent(top.workflowId)}` };
    }),
  }));
  return { plan, today, total, counts, units, ranking, overdue, clauses, grid, gridPage: { page, pages } };
}

/**
 * One detail of an audit line, short: dates as dd/mm/yyyy, instants as dd/mm/yyyy HH:mm on the
 * directive's clock (as every time the portal shows), nested values left out.
 */
function detailText(detail: unknown, timeZone: string): string {
  if (!detail || typeof detail !== 'object') return '';
  return Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => {
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return `${k}: ${formatDate(v)}`;
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return `${k}: ${formatTime(v, timeZone)}`;
      return `${k}: ${String(v)}`;
    })
    .join(' · ');
}

/**
 * Nothing of the directive readable: 403 with the reason. The table's own refusal when no role
 * reads it; an officer (who reads its own unit) of a unit the directive does not task is told so,
 * rather than shown an empty dashboard.
 */
function refuseUnreadable(actor: Actor, plan: Plan): never {
  if (scopesOf(actor, 'status.read').length === 0) authorize(actor, 'status.read', { plan });
  throw new HttpError(403, 'not-allowed', {
    vi: `Chỉ thị ${plan.directive.number} không giao nhiệm vụ nào cho đơn vị ${actor.unit} mà tài khoản ${actorName(actor)} được xem.`,
    en: `Directive ${plan.directive.number} gives unit ${actor.unit} no task that account ${actorName(actor)} may read.`,
  });
}

export async function dashboardRoutes(app: FastifyInstance, deps: ServerDeps, page: PageFn): Promise<void> {
  const { pool } = deps;

  /** The directive's latest deployment (withdrawn ones too: their history stays readable), or 404. */
  async function planOf(directiveId: string): Promise<Plan> {
    const deployment = await getLatestDeployment(pool, directiveId);
    if (!deployment) throw new HttpError(404, 'not-found', { vi: `Không có chỉ thị ${directiveId}.`, en: `No directive ${directiveId}.` });
    return deployment.plan;
  }

  app.get('/tong-quan', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    // An account none of whose roles reads status (an administrator) is told so, with who may.
    if (scopesOf(actor, 'status.read').length === 0) authorize(actor, 'status.read');
    const lang = pageLang(request, reply);
    const directives: { id: string; number: string; title: string; counts: Record<InstanceStatus, number>; total: number; overdue: number }[] = [];
    for (const dep of (await listLatestDeployments(pool)).filter((x) => x.status === 'active')) {
      const v = await directiveView(deps, actor, dep.plan, lang, { grid: false });
      if (v.units.length === 0) continue;
      const overdue = v.units.reduce((n, u) => n + u.overdue, 0);
      directives.push({ id: dep.directiveId, number: dep.plan.directive.number, title: text(dep.plan.directive.title, lang), counts: v.counts, total: v.total, overdue });
    }
    return page(request, reply, 'dashboard', { directives, statuses: STATUS_ORDER });
  });

  app.get<{ Params: { directive: string }; Querystring: { trang?: string } }>('/tong-quan/:directive', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    const lang = pageLang(request, reply);
    const xlsx = request.params.directive.endsWith('.xlsx');
    const directiveId = xlsx ? request.params.directive.slice(0, -'.xlsx'.length) : request.params.directive;
    const plan = await planOf(directiveId);
    const view = await directiveView(deps, actor, plan, lang, xlsx ? { overdue: true, grid: false } : { page: Number(request.query.trang) || 1 });
    if (view.units.length === 0) refuseUnreadable(actor, plan);
    if (xlsx) {
      const body = await dashboardWorkbook(view);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="tong-quan-${directiveId}.xlsx"`)
        .header('cache-control', 'no-store')
        .send(body);
    }
    return page(request, reply, 'dashboard-directive', {
      view,
      d: plan.directive,
      abbr: (s: InstanceStatus) => STATUS_ABBR[s][lang],
      statuses: STATUS_ORDER,
      base: `/tong-quan/${encodeURIComponent(directiveId)}`,
      rankingShown: RANKING_SHOWN,
      // The reminder letter's links per ranked unit (./letter-routes.ts), for whoever may draft one.
      letterOf: (u: UnitLine) => letterLinks(actor, plan, u.unitId, u.overdue),
    });
  });

  // Xu hướng theo thời gian, từ nhật ký, cùng bộ lọc status.read (./trend.ts): trang tổng quan tải
  // nó sau (htmx), không có JavaScript thì là một trang riêng.
  // The trend over time, from the audit trail, under the same status.read filter (./trend.ts): the
  // directive's page loads it after itself (htmx, the fragment); without JavaScript, a page of its own.
  app.get<{ Params: { directive: string } }>('/tong-quan/:directive/xu-huong', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    const lang = pageLang(request, reply);
    const plan = await planOf(request.params.directive);
    if (readableUnits(plan, instanceScope(actor, 'status.read', plan)).unitIds.length === 0) refuseUnreadable(actor, plan);
    const data = { d: plan.directive, base: `/tong-quan/${encodeURIComponent(plan.directive.id)}`, trend: await directiveTrend(deps, actor, plan, lang) };
    if (request.headers['hx-request'] === 'true') return reply.header('cache-control', 'no-store').header('vary', 'HX-Request').view('trend', { ...helpers(lang), ...data });
    return page(request, reply, 'dashboard-trend', data);
  });

  app.get<{ Params: { directive: string; unit: string } }>('/tong-quan/:directive/don-vi/:unit', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    const lang = pageLang(request, reply);
    const plan = await planOf(request.params.directive);
    const xlsx = request.params.unit.endsWith('.xlsx') && !plan.units[request.params.unit];
    const unitId = xlsx ? request.params.unit.slice(0, -'.xlsx'.length) : request.params.unit;
    const unit = plan.units[unitId];
    if (!unit) throw new HttpError(404, 'not-found', { vi: `Chỉ thị ${plan.directive.number} không có đơn vị ${unitId}.`, en: `Directive ${plan.directive.number} names no unit ${unitId}.` });
    const obligations = new Map(plan.obligations.map((o) => [o.id, o]));
    const today = todayIn(plan.directive.timezone);
    const late = new Set((await listInstances(pool, plan.directive.id, { unitId, overdue: true, asOf: today })).map((r) => r.workflowId + '#' + r.generation));
    const rows = (await listInstances(pool, plan.directive.id, { unitId })).filter((r) => {
      const o = obligations.get(r.obligationId);
      return o !== undefined && allowed(actor, 'status.read', { unit: unitId, reviewer: reviewerOf(plan, o, unitId), plan });
    });
    // None readable: 403 unless the table lets the actor read this unit (then it simply has none).
    if (rows.length === 0) authorize(actor, 'status.read', { unit: unitId, plan });
    const order = new Map(plan.obligations.map((o, i) => [o.id, i]));
    rows.sort((a, b) => (order.get(a.obligationId) ?? 0) - (order.get(b.obligationId) ?? 0) || (a.eventId ?? '').localeCompare(b.eventId ?? ''));
    const canAudit = allowed(actor, 'audit.read', { unit: unitId, plan });
    const base = `/tong-quan/${encodeURIComponent(plan.directive.id)}`;
    const items = rows.map((r) => {
      const o = obligations.get(r.obligationId)!;
      const isLate = late.has(r.workflowId + '#' + r.generation);
      return {
        r,
        clause: o.clause,
        title: text(o.title, lang),
        days: isLate && r.due ? Math.max(0, daysBetween(r.due, today)) : 0,
        late: isLate,
        timeline: canAudit ? `${base}/phien/${encodeURIComponent(r.workflowId)}` : undefined,
        task: r.status === 'withdrawn' ? undefined : taskPath(plan.directive.id, r.obligationId, r.unitId, r.eventId),
      };
    });
    if (xlsx) {
      const body = await unitWorkbook(`${plan.directive.number} — ${text(unit.name, lang, unitId)}`, items, lang, plan.directive.timezone);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="tong-quan-${plan.directive.id}-${unitId}.xlsx"`)
        .header('cache-control', 'no-store')
        .send(body);
    }
    const letter = letterLinks(actor, plan, unitId, late.size);
    return page(request, reply, 'dashboard-unit', { d: plan.directive, unitName: text(unit.name, lang, unitId), unitId, items, base, tz: plan.directive.timezone, letter });
  });

  app.get<{ Params: { directive: string; workflow: string } }>('/tong-quan/:directive/phien/:workflow', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    const lang = pageLang(request, reply);
    const plan = await planOf(request.params.directive);
    const inst = await getInstance(pool, request.params.workflow);
    if (!inst || inst.directiveId !== plan.directive.id) {
      throw new HttpError(404, 'not-found', { vi: `Không có phiên ${request.params.workflow} trong chỉ thị ${plan.directive.number}.`, en: `No instance ${request.params.workflow} in directive ${plan.directive.number}.` });
    }
    // The timeline is the audit trail: unit head (own unit), leadership (named in it), author.
    authorize(actor, 'audit.read', { unit: inst.unitId, plan });
    const o = plan.obligations.find((x) => x.id === inst.obligationId);
    const lines = (await listAudit(pool, plan.directive.id, { workflowId: inst.workflowId })).map((a) => ({
      at: a.at,
      actor: a.actor,
      action: AUDIT_LABEL[a.action] ? text(AUDIT_LABEL[a.action], lang) : a.action,
      code: a.action,
      detail: detailText(a.detail, plan.directive.timezone),
    }));
    return page(request, reply, 'dashboard-timeline', {
      d: plan.directive,
      inst,
      clause: o?.clause ?? inst.obligationId,
      title: text(o?.title, lang, inst.obligationId),
      unitName: text(plan.units[inst.unitId]?.name, lang, inst.unitId),
      lines,
      tz: plan.directive.timezone,
      base: `/tong-quan/${encodeURIComponent(plan.directive.id)}`,
      unitHref: `/tong-quan/${encodeURIComponent(plan.directive.id)}/don-vi/${encodeURIComponent(inst.unitId)}`,
      canUnit: allowed(actor, 'status.read', { unit: inst.unitId, ...(o && { reviewer: reviewerOf(plan, o, inst.unitId) }), plan }),
    });
  });
}
