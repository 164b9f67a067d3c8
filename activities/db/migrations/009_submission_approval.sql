-- A unit whose registry entry says `submissionApproval: unit-head` has its head approve what it
-- sends out: an officer's submission is stored as pending and reaches the instance only once a unit
-- head of the unit approves it (service/approval.ts). NULL: no approval was needed (every submission
-- stored before this, and those of units without the option), so nothing changes for them.
ALTER TABLE submissions
  ADD COLUMN approval         text CHECK (approval IN ('pending', 'approved', 'returned')),
  ADD COLUMN approved_by      text,
  ADD COLUMN approved_at      timestamptz,
  ADD COLUMN approval_comment text,
  -- A decision names who made it and when; a pending or unneeded one names nobody.
  ADD CONSTRAINT submissions_approval_decided CHECK (
    CASE WHEN approval IN ('approved', 'returned') THEN approved_by IS NOT NULL AND approved_at IS NOT NULL
         ELSE approved_by IS NULL AND approved_at IS NULL AND approval_comment IS NULL END
  );

-- A unit head's list of what waits for them: small, so a partial index.
CREATE INDEX submissions_pending_approval ON submissions (unit_id, at) WHERE approval = 'pending';
