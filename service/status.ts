import type pg from 'pg';
import type { InstanceStatus } from '../workflows/types.js';
import { STATUS_ORDER } from './labels.js';
import { getLatestDeployment, listInstances, noticeDelivery, type NoticeDelivery } from '../activities/store/index.js';
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

export interface StatusReport {
  directiveId: string;
  number: string;
  title: string;
  revision: number;
  /** The directive's timezone, for times shown to the reader. */
  timezone: string;
  withdrawn: boolean;
  rows: StatusRow[];
  counts: Partial<Record<InstanceStatus, number>>;
  /** Outgoing e-mails and webhooks about these instances not sent yet, and given up. */
  notices: NoticeDelivery;
}

function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
}

/**
 * Reads the PostgreSQL projection the workflows keep up to date, not Temporal visibility: it works
 * on every server (the time-skipping one has no visibility) and costs one query.
 */
export async function status(
  pool: pg.Pool,
  directiveId: string,
  filter: { unit?: string; overdue?: boolean; status?: InstanceStatus; /** Today for the overdue check (a rehearsal's date); default: today in the directive's timezone. */ asOf?: string } = {},
  lang: 'vi' | 'en' = 'vi',
): Promise<StatusReport> {
  const deployment = await getLatestDeployment(pool, directiveId);
  const plan = deployment?.plan ?? (await deployedPlan(pool, directiveId));
  const rows = await listInstances(pool, directiveId, {
    ...(filter.unit ? { unitId: filter.unit } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    // Also open ones past due by the calendar: a stopped worker has not marked them yet.
    ...(filter.overdue ? { overdue: true, asOf: filter.asOf ?? todayIn(plan.directive.timezone) } : {}),
  });
  const obligations = new Map(plan.obligations.map((o) => [o.id, o]));
  const order = new Map(plan.obligations.map((o, i) => [o.id, i]));
  const out: StatusRow[] = rows.map((r) => {
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
  });
  out.sort((a, b) => a.unitId.localeCompare(b.unitId) || (order.get(a.obligationId) ?? 0) - (order.get(b.obligationId) ?? 0) || (a.eventId ?? '').localeCompare(b.eventId ?? ''));
  const counts: Partial<Record<InstanceStatus, number>> = {};
  for (const s of STATUS_ORDER) {
    const n = out.filter((r) => r.status === s).length;
    if (n > 0) counts[s] = n;
  }
  return {
    directiveId,
    number: plan.directive.number,
    title: lang === 'en' ? plan.directive.title.en ?? plan.directive.title.vi : plan.directive.title.vi,
    revision: plan.directive.revision,
    timezone: plan.directive.timezone,
    withdrawn: deployment !== undefined && deployment.status !== 'active',
    rows: out,
    counts,
    notices: await noticeDelivery(pool, directiveId, filter.unit === undefined ? {} : { unitId: filter.unit }),
  };
}
