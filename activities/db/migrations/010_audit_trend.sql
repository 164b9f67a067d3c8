-- The dashboard's trend (activities/store/trend.ts statusTrend) follows each workflow's overdue
-- state through the audit lines that change it, in workflow then time order, and counts the cycles
-- completed late. Without these indexes it reads every line of the directive from the table
-- (reminders, escalations and notices are half of them or more) and sorts them, spilling to disk at
-- 100,000 instances. Partial, so each holds only the lines it serves:
-- 1. the state lines, covering (obligation, unit and action included): read without the table and
--    already in the window's order. Its condition lists the query's actions (STATUS_ACTIONS_SQL
--    there): PostgreSQL uses a partial index only when the query's condition implies the index's.
CREATE INDEX audit_status_changes ON audit (directive_id, workflow_id, at, id) INCLUDE (obligation_id, unit_id, action)
  WHERE action IN ('cycle-scheduled', 'opened', 'overdue', 'overdue-waiting-for-prerequisite', 'accepted', 'withdrawn', 'extension-approved', 'amended');
-- 2. extensions and amendments, the few lines whose new due date (in `detail`) decides whether they
--    end an overdue spell;
CREATE INDEX audit_due_moves ON audit (directive_id, at) WHERE action IN ('extension-approved', 'amended');
-- 3. the cycles completed late, covering: with all the accepted ones in 1, they give the on-time ones.
CREATE INDEX audit_completed_late ON audit (directive_id, at) INCLUDE (obligation_id, unit_id)
  WHERE action = 'accepted' AND detail->'onTime' = 'false';
-- Built in the migration's transaction, holding appends to the audit table meanwhile (seconds for
-- millions of lines): migrations run at start-up, before the worker appends.
