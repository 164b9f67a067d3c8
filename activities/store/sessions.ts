import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { accountFromRow, normaliseLogin, type AccountWithPassword } from './accounts.js';

/**
 * createSession(pool, { idHash, login, via, expiresAt }). The caller makes the id and keeps it in
 * the cookie; the table gets only its hash. The account's expired sessions are deleted on the way,
 * so the table stays as small as the number of people signed in, with no cleaning job.
 */
export async function createSession(pool: pg.Pool, s: { idHash: string; login: string; via: 'password' | 'oidc'; expiresAt: Date }): Promise<void> {
  const login = normaliseLogin(s.login);
  await pool.query('DELETE FROM sessions WHERE login = $1 AND expires_at <= now()', [login]);
  await pool.query('INSERT INTO sessions (id_hash, login, via, expires_at) VALUES ($1, $2, $3, $4)', [s.idHash, login, s.via, s.expiresAt]);
}

/** findSession(pool, idHash) → the live (unexpired) session's account, or undefined. */
export async function findSession(pool: pg.Pool, idHash: string): Promise<{ account: AccountWithPassword; expiresAt: Date } | undefined> {
  const { rows } = await pool.query(
    `SELECT s.expires_at, a.login, a.unit_id, a.display_name, a.roles, a.password_hash, a.disabled, a.created_at, a.created_by
     FROM sessions s JOIN accounts a ON a.login = s.login WHERE s.id_hash = $1 AND s.expires_at > now()`,
    [idHash],
  );
  const r = rows[0];
  return r && { account: accountFromRow(r), expiresAt: r.expires_at as Date };
}

/** deleteSession(pool, idHash): sign-out. */
export async function deleteSession(pool: pg.Pool, idHash: string): Promise<void> {
  await pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

/**
 * serverSecret(pool, name) → 32 random bytes, made by the first server process that asks and
 * shared by every later one (migration 008: server_secrets). Racing first calls agree: the insert
 * that loses does nothing and both read the winner's value.
 */
export async function serverSecret(pool: pg.Pool, name: string): Promise<Buffer> {
  await pool.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32)]);
  const { rows } = await pool.query<{ value: Buffer }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
  return rows[0]!.value;
}
