-- chithi: initial schema. Applied once, in a transaction, by activities/db/migrate.ts.
-- Business times (at, due, completed_at …) come from the workflow clock; recorded_at/created_at
-- are wall-clock bookkeeping only.

CREATE TABLE deployments (
  id            bigserial PRIMARY KEY,
  directive_id  text        NOT NULL,
  revision      integer     NOT NULL,
  plan_hash     text        NOT NULL,
  plan          jsonb       NOT NULL,
  deployed_at   timestamptz NOT NULL DEFAULT now(),
  deployed_by   text,
  status        text        NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'withdrawn', 'superseded')),
  superseded_by text,
  -- Deploying the same compiled plan twice must not create a second row.
  UNIQUE (directive_id, revision, plan_hash)
);
CREATE INDEX deployments_latest ON deployments (directive_id, deployed_at DESC, id DESC);

CREATE TABLE instances (
  workflow_id    text        PRIMARY KEY,
  directive_id   text        NOT NULL,
  obligation_id  text        NOT NULL,
  unit_id        text        NOT NULL,
  event_id       text,
  cycle          integer     NOT NULL,
  status         text        NOT NULL CHECK (status IN (
                   'not-yet-due', 'in-progress', 'awaiting-review', 'completed-on-time',
                   'completed-late', 'overdue', 'withdrawn')),
  due            date,
  original_due   date,
  completed_at   timestamptz,
  -- A later cycle's status replaces the earlier one; dependencies still need to know that
  -- the unit completed the obligation at least once.
  ever_completed boolean     NOT NULL DEFAULT false,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX instances_by_directive ON instances (directive_id, unit_id, obligation_id);

CREATE TABLE events (
  id           text        PRIMARY KEY,
  directive_id text        NOT NULL,
  type         text        NOT NULL,
  reported_by  text        NOT NULL,
  occurred_at  timestamptz NOT NULL,
  description  text,
  reported_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_by_directive ON events (directive_id, occurred_at);

CREATE TABLE submissions (
  id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  workflow_id   text        NOT NULL,
  directive_id  text        NOT NULL,
  obligation_id text        NOT NULL,
  unit_id       text        NOT NULL,
  event_id      text,
  cycle         integer,
  submitted_by  text        NOT NULL,
  note          text,
  at            timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX submissions_by_workflow ON submissions (workflow_id, at);

CREATE TABLE evidence (
  id            bigserial   PRIMARY KEY,
  submission_id uuid        NOT NULL REFERENCES submissions (id),
  name          text        NOT NULL,
  kind          text        NOT NULL CHECK (kind IN ('document', 'link', 'field', 'attestation')),
  value         text        NOT NULL,
  sha256        text,
  content       bytea,
  size          integer,
  media_type    text,
  path          text,
  metadata      jsonb       NOT NULL DEFAULT '{}'::jsonb,
  -- 20 MB: documents are scans of signed reports, not data dumps; PostgreSQL is their archive.
  CHECK (size IS NULL OR size <= 20971520)
);
CREATE INDEX evidence_by_submission ON evidence (submission_id);

CREATE TABLE reviews (
  id            bigserial   PRIMARY KEY,
  submission_id uuid        NOT NULL REFERENCES submissions (id),
  decision      text        NOT NULL CHECK (decision IN ('accept', 'reject')),
  comment       text,
  reviewer      text        NOT NULL,
  at            timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reviews_by_submission ON reviews (submission_id);

CREATE TABLE extensions (
  request_id     text        PRIMARY KEY,
  workflow_id    text        NOT NULL,
  directive_id   text        NOT NULL,
  obligation_id  text        NOT NULL,
  unit_id        text        NOT NULL,
  requested_until date       NOT NULL,
  reason         text        NOT NULL,
  requested_by   text        NOT NULL,
  requested_at   timestamptz NOT NULL,
  approved       boolean,
  granted_until  date,
  decision_comment text,
  decided_by     text,
  decided_at     timestamptz
);
CREATE INDEX extensions_by_workflow ON extensions (workflow_id);

CREATE TABLE audit (
  id              bigserial   PRIMARY KEY,
  idempotency_key text        NOT NULL UNIQUE,
  workflow_id     text        NOT NULL,
  directive_id    text        NOT NULL,
  obligation_id   text,
  unit_id         text,
  actor           text        NOT NULL,
  action          text        NOT NULL,
  at              timestamptz NOT NULL,
  detail          jsonb       NOT NULL DEFAULT '{}'::jsonb,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_by_directive ON audit (directive_id, at);

-- The audit trail is evidence in an administrative dispute: the database itself refuses to
-- rewrite it, whatever the application code does.
CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

CREATE TABLE outbox (
  id              bigserial   PRIMARY KEY,
  idempotency_key text        NOT NULL UNIQUE,
  -- The NotificationRequest key: a retried notify dispatches exactly the rows of its request.
  request_key     text        NOT NULL,
  channel         text        NOT NULL CHECK (channel IN ('email', 'webhook')),
  recipient       text        NOT NULL,
  subject         text        NOT NULL,
  body            text        NOT NULL,
  payload         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  attempts        integer     NOT NULL DEFAULT 0,
  last_error      text
);
CREATE INDEX outbox_unsent ON outbox (request_key) WHERE sent_at IS NULL;

CREATE TABLE inbox (
  id              bigserial   PRIMARY KEY,
  idempotency_key text        NOT NULL UNIQUE,
  unit_id         text        NOT NULL,
  kind            text        NOT NULL,
  directive_id    text        NOT NULL,
  obligation_id   text,
  cycle           integer,
  due             date,
  subject         text        NOT NULL,
  body            text        NOT NULL,
  at              timestamptz NOT NULL,
  read            boolean     NOT NULL DEFAULT false,
  read_at         timestamptz
);
CREATE INDEX inbox_by_unit ON inbox (unit_id, read, at DESC);
