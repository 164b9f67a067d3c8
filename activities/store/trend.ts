/**
 * Xu hướng của một chỉ thị theo thời gian (bảng tổng quan, issue 10 mục 3): cuối mỗi kỳ (ngày hoặc
 * tuần), bao nhiêu kỳ nhiệm vụ đã hoàn thành đúng hạn, hoàn thành quá hạn (cộng dồn), và bao nhiêu
 * đang quá hạn lúc đó. Nguồn là nhật ký (bảng audit): chỉ nó giữ mọi kỳ với thời điểm của từng việc;
 * bảng instances chỉ giữ kỳ hiện tại.
 * A directive's trend (the dashboard, issue 10 item 3): at the end of each period (a day or a
 * week), how many cycles were completed on time and late (cumulative), and how many were overdue
 * then. The source is the audit trail: only it keeps every cycle with the time of each step; the
 * `instances` projection keeps the current cycle only.
 */
import { scopeCondition, scopeValues, type InstanceScope } from './instances.js';
import type { Db } from './rows.js';

/**
 * Các dòng nhật ký làm đổi trạng thái "đang quá hạn" của một phiên (workflows/): vào quá hạn
 * (`overdue` của markOverdue, `overdue-waiting-for-prerequisite`), ra khỏi quá hạn (kỳ được chấp
 * nhận, thu hồi, kỳ mới được lên lịch, mở kỳ, gia hạn hay sửa đổi dời hạn sang sau hôm đó). Cùng danh
 * sách với chỉ mục riêng phần của migration 010: PostgreSQL chỉ dùng chỉ mục khi điều kiện khớp.
 * The audit actions that move a workflow into or out of "overdue" (workflows/): in with
 * `overdue` (markOverdue) and `overdue-waiting-for-prerequisite`; out with `accepted`,
 * `withdrawn`, `cycle-scheduled` (the next cycle: a handed-over window leaves overdue there, as the
 * projection does), `opened` (a cycle held back by a prerequisite) and `extension-approved` or
 * `amended` moving the due date to that day or later (reconcileWithDue). The list of the partial
 * index of migration 010_audit_trend.sql: PostgreSQL uses a partial index only when the query's
 * condition implies the index's, so no action may be here that is not there.
 */
const STATUS_ACTIONS_SQL = `action IN ('cycle-scheduled', 'opened', 'overdue', 'overdue-waiting-for-prerequisite', 'accepted', 'withdrawn', 'extension-approved', 'amended')`;

/** What the reader may see, on the INCLUDE columns of the indexes (read without the table). */
const SCOPE_SQL = scopeCondition(6);

/** The periods of a trend: `count` periods of `days` days from `from`, on the directive's clock. */
export interface TrendPeriods {
  /** First day of the first period (YYYY-MM-DD). */
  from: string;
  days: number;
  count: number;
  timeZone: string;
}

/** The trend at the end of one period. */
export interface TrendCounts {
  /** Cycles completed on time so far (accepted, with evidence submitted by the due date in force). */
  onTime: number;
  /** Cycles completed late so far. */
  late: number;
  /** Cycles overdue at the end of the period: marked overdue and not yet accepted, withdrawn, handed over or extended. */
  overdue: number;
}

/**
 * firstAuditDay(pool, directiveId, timeZone) → the day of the directive's first audit line on its
 * clock (when chithi began tracking it), or undefined before any. One row off audit_by_directive.
 */
export async function firstAuditDay(pool: Db, directiveId: string, timeZone: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ day: string | null }>(
    `SELECT to_char(min(at) AT TIME ZONE $2, 'YYYY-MM-DD') AS day FROM audit WHERE directive_id = $1`,
    [directiveId, timeZone],
  );
  return rows[0]?.day ?? undefined;
}

/**
 * statusTrend(pool, directiveId, scope, periods) → one TrendCounts per period, cumulative, counting
 * only the instances `scope` admits (server/authz.ts instanceScope, as the dashboard's counts).
 *
 * Một truy vấn gộp nhóm: mỗi dòng nhật ký liên quan mang trạng thái quá hạn (1) hay không (0) sau
 * nó; hiệu với dòng trước của cùng phiên (LAG) là +1 khi vào quá hạn, −1 khi ra; cộng theo kỳ rồi
 * cộng dồn ở đây (tối đa ~60 kỳ). Dòng `accepted` mang `onTime` (workflows/evidence.ts: nộp trước
 * hạn đang có hiệu lực, kể cả gia hạn).
 * One grouped query: each relevant line carries the workflow's overdue state after it (1 or 0);
 * its difference from the workflow's previous line (LAG) is +1 entering overdue and −1 leaving;
 * summed per period in SQL, then accumulated here (at most ~60 periods). An `accepted` line says
 * `onTime` (workflows/evidence.ts: submitted by the due date in force, extensions included).
 * A `rejected` submission past due writes `overdue` again: no change, the state was already 1.
 * Evidence awaiting review past its due date counts as overdue from the workflow's mark on, as
 * the dashboard counts it; a submission made in time and reviewed after the due date is never
 * marked, so it is not overdue here (the dashboard's today counts it while it waits).
 *
 * Cost (migration 010): the state lines are read off a covering partial index already in workflow
 * order, without the table (an index-only scan, no sort), the completed-late ones off another; only
 * the rare extension and amendment lines are read from the table, for their new due date. Periods
 * are found by width_bucket over their ≤ 61 boundary instants, not a time-zone conversion a line.
 * What it reads grows with the directive's cycles, not with other directives or with the reminder
 * and notice lines. Measured at 700,000 state lines (100,000 instances × 2 cycles, 1.6 million
 * lines in all) on PostgreSQL 15, a shared 2-core machine under load: 0.7–1 s for a reader of the
 * whole directive (the index-only scan ~0.3 s, the window ~0.4 s), a third of what reading the
 * table and sorting took; ~0.3 s for an officer or a reviewer (the same scan, fewer lines kept).
 */
export async function statusTrend(pool: Db, directiveId: string, scope: InstanceScope, periods: TrendPeriods): Promise<TrendCounts[]> {
  const { rows } = await pool.query<{ period: number; on_time: number; late: number; overdue: number }>(
    `WITH bounds AS (
       -- Đầu mỗi kỳ (nửa đêm theo giờ của chỉ thị) và cuối kỳ cuối. / Each period's start (midnight on the directive's clock), and the end of the last.
       SELECT array_agg((($3::date + i * $4)::timestamp AT TIME ZONE $2) ORDER BY i) AS b FROM generate_series(0, $5::int) AS i
     ), lines AS (
       SELECT workflow_id, id, at, action,
              CASE WHEN action IN ('overdue', 'overdue-waiting-for-prerequisite') THEN 1 ELSE 0 END AS od
       FROM audit
       WHERE directive_id = $1 AND ${STATUS_ACTIONS_SQL} AND ${SCOPE_SQL}
         -- Gia hạn, sửa đổi chỉ đưa phiên ra khỏi quá hạn khi hạn mới từ hôm đó trở đi; các dòng khác bỏ ra.
         -- An extension or amendment leaves overdue only with a due date on that day or later; the others are left out.
         AND id NOT IN (SELECT id FROM audit
                        WHERE directive_id = $1 AND action IN ('extension-approved', 'amended')
                          AND NOT COALESCE(COALESCE(detail->>'until', detail->>'due') >= to_char(at AT TIME ZONE $2, 'YYYY-MM-DD'), false))
     ), changes AS (
       SELECT at, action, od - COALESCE(lag(od) OVER (PARTITION BY workflow_id ORDER BY at, id), 0) AS d FROM lines
     ), counted AS (
       SELECT at, (action = 'accepted')::int AS accepted, 0 AS late, d FROM changes WHERE action = 'accepted' OR d <> 0
       UNION ALL
       SELECT at, 0, 1, 0 FROM audit
       WHERE directive_id = $1 AND action = 'accepted' AND detail->'onTime' = 'false' AND ${SCOPE_SQL}
     )
     -- width_bucket: 0 before the first boundary, one past the last after it; so -1 and count here, both outside.
     SELECT width_bucket(at, (SELECT b FROM bounds)) - 1 AS period,
            (sum(accepted) - sum(late))::int AS on_time, sum(late)::int AS late, sum(d)::int AS overdue
     FROM counted GROUP BY 1 ORDER BY 1`,
    [directiveId, periods.timeZone, periods.from, periods.days, periods.count, ...scopeValues(scope)],
  );
  const out: TrendCounts[] = [];
  const sum: TrendCounts = { onTime: 0, late: 0, overdue: 0 };
  let next = 0;
  for (let p = 0; p < periods.count; p += 1) {
    // Lines before `from` (none when it is the first audit day) count in the first period.
    while (next < rows.length && rows[next]!.period <= p) {
      const r = rows[next]!;
      sum.onTime += r.on_time;
      sum.late += r.late;
      sum.overdue += r.overdue;
      next += 1;
    }
    out.push({ ...sum });
  }
  return out;
}
