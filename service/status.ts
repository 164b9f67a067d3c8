import type pg from 'pg';
import type { Plan } from '../compiler/plan.js';
import type { InstanceStatus } from '../workflows/types.js';
import { STATUS_ORDER } from './labels.js';
import { countByObligation, getLatestDeployment, listInstances, noticeDelivery, pageInstances, type InstanceFilter, type InstanceRow, type NoticeDelivery } from '../activities/store/index.js';
import { deployedPlan } from './target.js';

export interface StatusRow {
  unitId: string;
  unitName: string;
  obligationId: string;
  clause: string;
  title: string;
  eventId?: string;
  cycle: number;
  status: InstanceStatus;
  due?: string;
  originalDue?: string;
  completedAt?: string;
}

/** One obligation's line of the summary: its matching instances in each status. */
export interface ObligationCounts {
  obligationId: string;
  clause: string;
  title: string;
  counts: Partial<Record<InstanceStatus, number>>;
  total: number;
}

export interface StatusReport {
  directiveId: string;
  number: string;
  title: string;
  revision: number;
  /** The directive's timezone, for times shown to the reader. */
  timezone: string;
  withdrawn: boolean;
  /** The rows of this page: all of them when `total` is not more than the page's size. */
  rows: StatusRow[];
  /** Rows matching the filter, on every page. */
  total: number;
  /** Where this page starts among them. */
  offset: number;
  /** Of every matching row, not only this page's. */
  counts: Partial<Record<InstanceStatus, number>>;
  /** The same per obligation, in the plan's order: what a national directive is read by. */
  byObligation: ObligationCounts[];
  /** Outgoing e-mails and webhooks about these instances not sent yet, and given up. */
  notices: NoticeDelivery;
}

export { STATUS_PAGE, STATUS_PAGE_MAX } from '../common/status.js';

export interface StatusPage {
  limit: number;
  offset: number;
}

function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
}

/**
 * Reads the PostgreSQL projection the workflows keep up to date, not Temporal visibility: it works
 * on every server (the time-skipping one has no visibility). With `page`, the counts come from an
 * aggregate query and only the page's rows are read: every row, sorted as before, when they fit in
 * it; else the page in the store's stable order (pageInstances: by unit bytewise, then the plan's
 * obligations). Without, every row (the caller filters and pages them itself: pageOf).
 */
export async function status(
  pool: pg.Pool,
  directiveId: string,
  filter: { unit?: string; overdue?: boolean; status?: InstanceStatus; /** Today for the overdue check (a rehearsal's date); default: today in the directive's timezone. */ asOf?: string } = {},
  lang: 'vi' | 'en' = 'vi',
  page?: StatusPage,
): Promise<StatusReport> {
  const deployment = await getLatestDeployment(pool, directiveId);
  const plan = deployment?.plan ?? (await deployedPlan(pool, directiveId));
  const f: InstanceFilter = {
    ...(filter.unit ? { unitId: filter.unit } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    // Also open ones past due by the calendar: a stopped worker has not marked them yet.
    ...(filter.overdue ? { overdue: true, asOf: filter.asOf ?? todayIn(plan.directive.timezone) } : {}),
  };
  const order = plan.obligations.map((o) => o.id);
  let rows: StatusRow[];
  let byObligation: ObligationCounts[];
  if (page === undefined) {
    rows = sorted(plan, (await listInstances(pool, directiveId, f)).map((r) => statusRow(plan, r, lang)));
    byObligation = summary(plan, rows.map((r) => ({ obligationId: r.obligationId, status: r.status, n: 1 })), lang);
  } else {
    byObligation = summary(plan, await countByObligation(pool, directiveId, f), lang);
    const total = byObligation.reduce((n, o) => n + o.total, 0);
    // A directive that fits in a page is read whole, in its old order, whatever the offset; a larger
    // one page by page in the store's order, so no two pages of it overlap.
    rows =
      total <= page.limit
        ? sorted(plan, (await listInstances(pool, directiveId, f)).map((r) => statusRow(plan, r, lang))).slice(page.offset, page.offset + page.limit)
        : (await pageInstances(pool, directiveId, f, order, page)).map((r) => statusRow(plan, r, lang));
  }
  const total = byObligation.reduce((n, o) => n + o.total, 0);
  return {
    directiveId,
    number: plan.directive.number,
    title: lang === 'en' ? plan.directive.title.en ?? plan.directive.title.vi : plan.directive.title.vi,
    revision: plan.directive.revision,
    timezone: plan.directive.timezone,
    withdrawn: deployment !== undefined && deployment.status !== 'active',
    rows,
    total,
    offset: page?.offset ?? 0,
    counts: totals(byObligation),
    byObligation,
    notices: await noticeDelivery(pool, directiveId, filter.unit === undefined ? {} : { unitId: filter.unit }),
  };
}

/**
 * A report of every row (status() without a page), narrowed to `rows` (what a reader may see) and
 * cut to one page: counts and summary of those rows, the page's share of them.
 */
export function pageOf(report: StatusReport, rows: StatusRow[], plan: Plan, page: StatusPage, lang: 'vi' | 'en' = 'vi'): StatusReport {
  const byObligation = summary(plan, rows.map((r) => ({ obligationId: r.obligationId, status: r.status, n: 1 })), lang);
  return { ...report, rows: rows.slice(page.offset, page.offset + page.limit), total: rows.length, offset: page.offset, counts: totals(byObligation), byObligation };
}

const obligationsOf = new WeakMap<Plan, Map<string, Plan['obligations'][number]>>();

function statusRow(plan: Plan, r: InstanceRow, lang: 'vi' | 'en'): StatusRow {
  let obligations = obligationsOf.get(plan);
  if (!obligations) obligationsOf.set(plan, (obligations = new Map(plan.obligations.map((o) => [o.id, o]))));
  const o = obligations.get(r.obligationId);
  const unit = plan.units[r.unitId];
  const row: StatusRow = {
    unitId: r.unitId,
    unitName: unit ? (lang === 'en' ? unit.name.en ?? unit.name.vi : unit.name.vi) : r.unitId,
    obligationId: r.obligationId,
    clause: o?.clause ?? '',
    title: o ? (lang === 'en' ? o.title.en ?? o.title.vi : o.title.vi) : r.obligationId,
    cycle: r.cycle,
    status: r.status,
  };
  if (r.eventId) row.eventId = r.eventId;
  if (r.due) row.due = r.due;
  if (r.originalDue) row.originalDue = r.originalDue;
  if (r.completedAt) row.completedAt = r.completedAt;
  return row;
}

/** By unit, then the plan's order of obligations, then event: how a directive of a page reads. */
function sorted(plan: Plan, rows: StatusRow[]): StatusRow[] {
  const order = new Map(plan.obligations.map((o, i) => [o.id, i]));
  return rows.sort((a, b) => a.unitId.localeCompare(b.unitId) || (order.get(a.obligationId) ?? 0) - (order.get(b.obligationId) ?? 0) || (a.eventId ?? '').localeCompare(b.eventId ?? ''));
}

/** Per obligation, in the plan's order (then any an amendment removed, by id), with a count per status. */
function summary(plan: Plan, counted: { obligationId: string; status: InstanceStatus; n: number }[], lang: 'vi' | 'en'): ObligationCounts[] {
  const by = new Map<string, ObligationCounts>();
  for (const c of counted) {
    let line = by.get(c.obligationId);
    if (!line) {
      const o = plan.obligations.find((x) => x.id === c.obligationId);
      line = { obligationId: c.obligationId, clause: o?.clause ?? '', title: o ? (lang === 'en' ? o.title.en ?? o.title.vi : o.title.vi) : c.obligationId, counts: {}, total: 0 };
      by.set(c.obligationId, line);
    }
    line.counts[c.status] = (line.counts[c.status] ?? 0) + c.n;
    line.total += c.n;
  }
  const order = new Map(plan.obligations.map((o, i) => [o.id, i]));
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  return [...by.values()].sort((a, b) => rank(a.obligationId) - rank(b.obligationId) || a.obligationId.localeCompare(b.obligationId));
}

function totals(byObligation: ObligationCounts[]): Partial<Record<InstanceStatus, number>> {
  const counts: Partial<Record<InstanceStatus, number>> = {};
  for (const s of STATUS_ORDER) {
    const n = byObligation.reduce((sum, o) => sum + (o.counts[s] ?? 0), 0);
    if (n > 0) counts[s] = n;
  }
  return counts;
}
