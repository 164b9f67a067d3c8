-- Letters: e-mails to a person are combined instead of sent one per notice. A notice whose
-- e-mail is held carries the business time of the letter it goes into (`hold_until`); when that
-- time comes the recipient's postbox workflow composes every held row of (directive, recipient)
-- into one letter row (its own outbox row, sent by the dispatcher like any other) and marks the
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

-- One row per letter time of a recipient: whether its postbox workflow was told (signalled_at)
-- and whether it was composed. The primary key makes "tell the postbox" happen once per letter,
-- not once per notice.
CREATE TABLE letters (
  directive_id  text        NOT NULL,
  recipient     text        NOT NULL,
  slot          timestamptz NOT NULL,
  -- 'assignment' (tasks given at deployment, gathered for a few minutes) or 'digest' (the
  -- recipient's daily/weekly letter).
  kind          text        NOT NULL CHECK (kind IN ('assignment', 'digest')),
  clock_offset_ms bigint    NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  signalled_at  timestamptz,
  composed_at   timestamptz,
  letter_key    text,
  PRIMARY KEY (directive_id, recipient, slot)
);
CREATE INDEX letters_unsignalled ON letters (created_at) WHERE signalled_at IS NULL;
