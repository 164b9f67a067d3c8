-- Claim, commit, send, mark. A row used to be sent under a row lock inside a transaction, so a mail
-- relay that hung (nodemailer waits for up to 10 minutes of silence) held the lock, the transaction
-- and a pooled connection that long. Now a sender claims the row in one short statement
-- (claimed_until: the end of its lease; claimed_by: which process), sends with nothing open, and
-- marks the row sent or failed in another short transaction. A claim whose lease ran out (its
-- process died mid-send) can be claimed again; the re-sent e-mail keeps the Message-ID derived
-- from the outbox key. Marking clears claimed_until; claimed_by stays, naming the last sender.
ALTER TABLE outbox
  ADD COLUMN claimed_until timestamptz,
  ADD COLUMN claimed_by    text;

-- The rows being sent, for "when does the next lease run out": small, rows leave it when marked.
CREATE INDEX outbox_claims ON outbox (claimed_until)
  WHERE claimed_until IS NOT NULL AND sent_at IS NULL;
