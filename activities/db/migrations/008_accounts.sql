-- Who may act: accounts, their API tokens and their sign-in sessions (issue 9, item 3). Until now
-- the CLI named the actor with a flag (--as); from here the API server takes it from a credential.

-- Logins are stored lower-case and ASCII, so uniqueness is case-insensitive with a plain primary
-- key (no citext extension, no lower() index to keep in step with every lookup), and a login reads
-- the same in `unit/login` audit lines whatever the database's collation. The application lowers
-- what people type (and what a single sign-on provider sends) before it looks an account up.
CREATE TABLE accounts (
  login         text        PRIMARY KEY CHECK (login ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
  -- A unit of one of the registries; checked by `chithi users add`, not here: registries are
  -- files, and a unit dissolved later must not make the account row invalid.
  unit_id       text        NOT NULL CHECK (unit_id <> ''),
  display_name  text,
  -- common/roles.ts ROLES; a new role needs a migration, as it needs code that honours it.
  roles         text[]      NOT NULL CHECK (
                  cardinality(roles) >= 1
                  AND roles <@ ARRAY['officer', 'unit-head', 'reviewer', 'leadership', 'author', 'admin']::text[]
                ),
  -- argon2id (PHC string). NULL: the account signs in through single sign-on only.
  password_hash text        CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
  disabled      boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text        NOT NULL
);

-- A token is 32 random bytes: its SHA-256 is as good as a slow hash at rest (nothing to guess
-- or brute-force, unlike a password), and a unique index on it finds the token in one probe.
CREATE TABLE api_tokens (
  id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  login        text        NOT NULL REFERENCES accounts (login),
  name         text        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  token_hash   text        NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
-- A name picks one live token of an account (`chithi token revoke <name>`); a revoked token's
-- name may be used again.
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (login, name) WHERE revoked_at IS NULL;

-- The cookie holds a random id; the table holds its SHA-256, so whoever reads the table (a backup,
-- a replica) cannot sign in with what they read.
CREATE TABLE sessions (
  id_hash    text        PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
  login      text        NOT NULL REFERENCES accounts (login),
  via        text        NOT NULL CHECK (via IN ('password', 'oidc')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_by_login ON sessions (login);

-- Keys the server generates once and every server process shares (cookie signing): kept here, not
-- in a setting, so a newcomer configures nothing and a restart does not break a sign-in under way.
CREATE TABLE server_secrets (
  name       text        PRIMARY KEY,
  value      bytea       NOT NULL CHECK (length(value) >= 32),
  created_at timestamptz NOT NULL DEFAULT now()
);
