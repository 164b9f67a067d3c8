-- Notices committed with the step that caused them (recordStep) are delivered by a dispatcher in
-- the worker, not inside a workflow's activity. The dispatcher retries with backoff, gives up
-- after a window and records that in the audit trail, so a row now says whose it is, when to try
-- next and whether it was given up. Rows written by the older `notify` activity keep these NULL:
-- that activity delivers and retries its own rows.
ALTER TABLE outbox
  ADD COLUMN workflow_id     text,
  ADD COLUMN directive_id    text,
  ADD COLUMN obligation_id   text,
  ADD COLUMN unit_id         text,
  ADD COLUMN next_attempt_at timestamptz,
  ADD COLUMN gave_up_at      timestamptz;

CREATE INDEX outbox_to_deliver ON outbox (next_attempt_at, id)
  WHERE sent_at IS NULL AND gave_up_at IS NULL AND workflow_id IS NOT NULL;
