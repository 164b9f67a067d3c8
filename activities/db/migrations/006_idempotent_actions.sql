-- Submit, review and extend each write a row, then signal the workflow. Each is now one idempotent
-- action under an id the client chose (printed, and given again with --id when the signal failed
-- after the write): the same id with the same content is a retry that sends the signal again, with
-- other content an error. A submission's id is already its primary key; reviews and extension
-- decisions get theirs here, with one decision per submission and per request.

-- Two reviewers racing could each write a row for one submission, contradicting each other (the
-- workflow applied whichever signal reached it first). Rows already stored that way keep the first
-- one written (whose signal most likely came first; the workflow's audit says which it applied);
-- the later ones move here, so nothing a reviewer recorded is lost.
CREATE TABLE reviews_set_aside (
  id            bigint      PRIMARY KEY,
  submission_id uuid        NOT NULL REFERENCES submissions (id),
  decision      text        NOT NULL,
  comment       text,
  reviewer      text        NOT NULL,
  at            timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL,
  reason        text        NOT NULL,
  set_aside_at  timestamptz NOT NULL DEFAULT now()
);

WITH ranked AS (
  SELECT id, row_number() OVER (PARTITION BY submission_id ORDER BY recorded_at, id) AS n FROM reviews
), moved AS (
  DELETE FROM reviews r USING ranked WHERE r.id = ranked.id AND ranked.n > 1
  RETURNING r.id, r.submission_id, r.decision, r.comment, r.reviewer, r.at, r.recorded_at
)
INSERT INTO reviews_set_aside (id, submission_id, decision, comment, reviewer, at, recorded_at, reason)
SELECT id, submission_id, decision, comment, reviewer, at, recorded_at,
       'a second decision on a submission already decided, recorded before one decision per submission (migration 006)'
FROM moved;

ALTER TABLE reviews ADD COLUMN review_id text;
UPDATE reviews SET review_id = gen_random_uuid()::text;
ALTER TABLE reviews ALTER COLUMN review_id SET NOT NULL;
ALTER TABLE reviews ADD CONSTRAINT reviews_review_id_key UNIQUE (review_id);
-- The unique constraint's index replaces the plain one.
DROP INDEX reviews_by_submission;
ALTER TABLE reviews ADD CONSTRAINT reviews_one_per_submission UNIQUE (submission_id);

-- An extension request is for the run (instances.generation, migration 005) and cycle it was
-- asked in: `extend approve` must not grant a request left pending by a cycle that has closed,
-- which the workflow no longer holds. A decision is written once, under its id.
ALTER TABLE extensions
  ADD COLUMN generation  integer NOT NULL DEFAULT 1,
  ADD COLUMN cycle       integer,
  ADD COLUMN decision_id text UNIQUE;
-- Requests stored before this: those of an instance still in the first cycle of its run were asked
-- for it; the others' cycle is unknown and stays NULL (`extend approve` asks for a new request
-- rather than guess).
UPDATE extensions e SET cycle = 1 FROM instances i
 WHERE i.workflow_id = e.workflow_id AND i.generation = e.generation AND i.cycle = 1;

-- A submission sent again by its id goes to the run and cycle it was made for, or nowhere.
ALTER TABLE submissions ADD COLUMN generation integer NOT NULL DEFAULT 1;
