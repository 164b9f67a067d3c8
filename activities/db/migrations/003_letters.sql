-- Letters: e-mails to a person are combined instead of sent one per notice. A notice whose
-- e-mail is held carries the business time of the letter it goes into (`hold_until`); when that
-- time comes the directive's postbox workflow composes every held row of each (directive,
-- recipient) into one letter row (its own outbox row, sent by the dispatcher like any other) and marks the
-- held rows with the letter's key, in one transaction. The in-app inbox still gets every notice.
ALTER TABLE outbox
  ADD COLUMN hold_until timestamptz,
  ADD COLUMN letter_key text,
  -- What the letter needs to say about the notice (kind, obligation, unit, due, detail): the
  -- rendered body of a single notice is not what a letter is made of.
  ADD COLUMN notice     jsonb;

-- Held rows waiting for their letter, by recipient.
CREATE INDEX outbox_held ON outbox (directive_id, recipient, hold_until)
  WHERE hold_until IS NOT NULL AND letter_key IS NULL;

-- One row per letter time of a recipient: its kind and whether it was composed (an assignment
-- letter still gathering is joined by the notices of the same deployment).
CREATE TABLE letters (
  directive_id  text        NOT NULL,
  recipient     text        NOT NULL,
  slot          timestamptz NOT NULL,
  -- 'assignment' (tasks given at deployment, gathered for a few minutes) or 'digest' (the
  -- recipient's daily/weekly letter).
  kind          text        NOT NULL CHECK (kind IN ('assignment', 'digest')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  composed_at   timestamptz,
  letter_key    text,
  PRIMARY KEY (directive_id, recipient, slot)
);

-- One row per letter time of a directive: whether the directive's postbox workflow was told
-- (signalled_at). Recipients share letter times (everyone's daily letter is at 08:00), so the
-- postbox wakes once per time for all of them, not once per recipient.
CREATE TABLE postbox_slots (
  directive_id    text        NOT NULL,
  slot            timestamptz NOT NULL,
  clock_offset_ms bigint      NOT NULL DEFAULT 0,
  signalled_at    timestamptz,
  PRIMARY KEY (directive_id, slot)
);
