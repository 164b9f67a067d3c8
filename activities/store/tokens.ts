import type pg from 'pg';
import { ConflictError } from '../errors.js';
import { accountFromRow, normaliseLogin, type AccountWithPassword } from './accounts.js';
import { instant } from './rows.js';

/** A live API token as listed (never its hash). */
export interface ApiTokenInfo {
  name: string;
  createdAt: string;
  lastUsedAt?: string;
}

/** What a Bearer lookup finds: the token and its account. */
export interface ApiTokenMatch {
  id: string;
  name: string;
  revoked: boolean;
  lastUsedAt?: string;
  account: AccountWithPassword;
}

/**
 * createApiToken(pool, { login, name, tokenHash }) → ApiTokenInfo. The caller makes the token and
 * hashes it (server/auth/tokens.ts); the plaintext never reaches the database. A name already
 * used by one of the account's live tokens is a ConflictError.
 */
export async function createApiToken(pool: pg.Pool, t: { login: string; name: string; tokenHash: string }): Promise<ApiTokenInfo> {
  try {
    const { rows } = await pool.query<{ name: string; created_at: Date }>(
      'INSERT INTO api_tokens (login, name, token_hash) VALUES ($1, $2, $3) RETURNING name, created_at',
      [normaliseLogin(t.login), t.name, t.tokenHash],
    );
    return { name: rows[0]!.name, createdAt: instant(rows[0]!.created_at)! };
  } catch (err) {
    if ((err as { code?: string; constraint?: string }).constraint === 'api_tokens_live_name') {
      throw new ConflictError(
        {
          vi: `Đã có mã truy cập tên "${t.name}". Chọn tên khác, hoặc thu hồi mã cũ: chithi token revoke ${t.name}`,
          en: `A token named "${t.name}" already exists. Choose another name, or revoke the old one: chithi token revoke ${t.name}`,
        },
        { cause: err },
      );
    }
    throw err;
  }
}

/** listApiTokens(pool, login) → the account's live tokens, newest first. */
export async function listApiTokens(pool: pg.Pool, login: string): Promise<ApiTokenInfo[]> {
  const { rows } = await pool.query<{ name: string; created_at: Date; last_used_at: Date | null }>(
    'SELECT name, created_at, last_used_at FROM api_tokens WHERE login = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC',
    [normaliseLogin(login)],
  );
  return rows.map((r) => ({ name: r.name, createdAt: instant(r.created_at)!, ...(r.last_used_at && { lastUsedAt: instant(r.last_used_at)! }) }));
}

/** revokeApiToken(pool, login, name) → false when the account has no live token of that name. */
export async function revokeApiToken(pool: pg.Pool, login: string, name: string): Promise<boolean> {
  const r = await pool.query('UPDATE api_tokens SET revoked_at = now() WHERE login = $1 AND name = $2 AND revoked_at IS NULL', [normaliseLogin(login), name]);
  return r.rowCount === 1;
}

/** findApiToken(pool, tokenHash) → the token (revoked ones too, so the caller can say so) and its account. */
export async function findApiToken(pool: pg.Pool, tokenHash: string): Promise<ApiTokenMatch | undefined> {
  const { rows } = await pool.query(
    `SELECT t.id::text AS token_id, t.name AS token_name, t.revoked_at, t.last_used_at,
            a.login, a.unit_id, a.display_name, a.roles, a.password_hash, a.disabled, a.created_at, a.created_by
     FROM api_tokens t JOIN accounts a ON a.login = t.login WHERE t.token_hash = $1`,
    [tokenHash],
  );
  const r = rows[0];
  return (
    r && {
      id: r.token_id,
      name: r.token_name,
      revoked: r.revoked_at !== null,
      ...(r.last_used_at && { lastUsedAt: instant(r.last_used_at)! }),
      account: accountFromRow(r),
    }
  );
}

/**
 * touchApiToken(pool, id) records a use. The WHERE makes a second call within the minute write
 * nothing, so a script's burst of requests does not queue on one row's lock; the caller skips the
 * call altogether when the lookup's lastUsedAt is already that recent.
 */
export async function touchApiToken(pool: pg.Pool, id: string): Promise<void> {
  await pool.query(
    `UPDATE api_tokens SET last_used_at = now()
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}
