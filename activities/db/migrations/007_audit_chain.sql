-- The audit trail becomes tamper-evident (issue 9, item 5). The append-only trigger of 001 stops
-- the application, but not the role that owns the table: it can drop the trigger, rewrite a row,
-- put the trigger back. Two defences are added here:
--
-- 1. A hash chain per directive. Each row carries its place in its directive's chain (`seq`, from
--    1), the previous row's hash (`prev_hash`; 64 zeros for the first) and its own `hash`:
--    sha256 over prev_hash and a canonical encoding of its content, computed in TypeScript
--    (activities/audit-chain.ts) at append time and recomputed by `chithi audit verify`. A row
--    altered, removed or slipped in afterwards breaks the chain where it happened.
-- 2. An application role, `chithi_app`, that may INSERT and SELECT audit rows but not UPDATE,
--    DELETE or TRUNCATE them, nor drop the trigger (only an owner can). See the end of the file.
--
-- Rows already stored are left as they are, outside the chain (seq, prev_hash and hash NULL), and
-- each directive's chain starts with its next row. Chaining them here would need the canonical
-- encoding written a second time, in SQL, where jsonb orders keys its own way; and rewriting
-- evidence in a migration is exactly what the trail must not allow. Verify counts these rows as
-- "before the chain": nothing vouches for them but the database's own permissions.

ALTER TABLE audit ADD COLUMN seq bigint, ADD COLUMN prev_hash text, ADD COLUMN hash text;

-- NOT VALID: enforced for every row written from now on, not checked against the rows above.
ALTER TABLE audit ADD CONSTRAINT audit_chained CHECK (
  seq IS NOT NULL AND seq > 0 AND prev_hash ~ '^[0-9a-f]{64}$' AND hash ~ '^[0-9a-f]{64}$'
) NOT VALID;

-- One row per place in a chain: an append that raced another one onto the same head (a fork)
-- fails instead of being stored. Also the order verify walks the chain in.
CREATE UNIQUE INDEX audit_chain ON audit (directive_id, seq);

-- Each chain's last row. Appends lock their directive's row here (SELECT … FOR UPDATE semantics
-- through INSERT … ON CONFLICT DO UPDATE), so one chain grows one row at a time while other
-- directives append in parallel. Not evidence itself (the application moves it); verify checks it
-- against the chain, which catches a tail cut off the chain by someone who forgot this table.
CREATE TABLE audit_heads (
  directive_id text   PRIMARY KEY,
  seq          bigint NOT NULL,
  hash         text   NOT NULL
);

-- The application role. Roles belong to the whole cluster, not this database, so the name is
-- fixed (several chithi databases on one cluster share it; each database's grants are its own) and
-- its creation tolerates another database's migration creating it at the same moment. It is
-- NOLOGIN: it holds privileges, and the login the worker and CLI use (DATABASE_URL) is made a
-- member of it by whoever administers the cluster (README, "Audit trail"), with a password chithi
-- never sees. Migrations run as the owner (DATABASE_OWNER_URL).
-- Created only when the role migrating may create roles; otherwise, if a database administrator
-- created it beforehand, it is granted to all the same, and if nobody did, nothing is separated
-- (as before this migration) and a notice says so. The embedded PGlite runs everything as one
-- superuser: the role is created there but nothing connects as it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chithi_app') THEN
    IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
      RAISE NOTICE 'chithi: role chithi_app not created (% may not create roles): the application and the owner are not separated', current_user;
      RETURN;
    END IF;
    BEGIN
      CREATE ROLE chithi_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- another database of this cluster created it just now
    END;
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO chithi_app', current_database());
  GRANT USAGE ON SCHEMA public TO chithi_app;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO chithi_app;
  GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO chithi_app;
  -- The evidence: append and read only. TRUNCATE was never granted; REFERENCES/TRIGGER neither.
  REVOKE UPDATE, DELETE ON audit FROM chithi_app;
  -- Which migrations ran is the owner's business; the application only reads it.
  REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM chithi_app;
  -- Tables and sequences later migrations create (as this same owner) are granted the same way;
  -- a later migration that adds evidence must revoke its own UPDATE/DELETE, as above.
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO chithi_app;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO chithi_app;
END;
$$;
