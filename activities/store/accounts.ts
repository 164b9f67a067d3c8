import type pg from 'pg';
import { isRole, type Role } from '../../common/roles.js';
import { inTransaction } from '../db/tx.js';
import { ConflictError, InvalidRequestError } from '../errors.js';
import { instant, opt } from './rows.js';

/** An account as shown (never its password hash). */
export interface Account {
  login: string;
  unitId: string;
  displayName?: string;
  roles: Role[];
  disabled: boolean;
  /** False: single sign-on only. */
  hasPassword: boolean;
  createdAt: string;
  createdBy: string;
}

/** What sign-in needs: the account and its hash. */
export interface AccountWithPassword extends Account {
  passwordHash?: string;
}

export interface NewAccount {
  login: string;
  unitId: string;
  roles: readonly Role[];
  displayName?: string;
  /** argon2id; absent: single sign-on only. */
  passwordHash?: string;
  createdBy: string;
}

/** The shape the database accepts (migration 008): lower-case ASCII, at most 64 characters. */
const LOGIN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

/**
 * Logins are compared case-insensitively by storing them lower-case; every lookup goes through
 * this, so `NguyenVanA` typed at sign-in finds `nguyenvana`.
 */
export function normaliseLogin(login: string): string {
  return login.trim().toLowerCase();
}

export function isValidLogin(login: string): boolean {
  return LOGIN.test(login);
}

interface AccountDbRow {
  login: string;
  unit_id: string;
  display_name: string | null;
  roles: string[];
  password_hash: string | null;
  disabled: boolean;
  created_at: Date;
  created_by: string;
}

const COLUMNS = 'login, unit_id, display_name, roles, password_hash, disabled, created_at, created_by';

export function accountFromRow(r: AccountDbRow): AccountWithPassword {
  const displayName = opt(r.display_name);
  const passwordHash = opt(r.password_hash);
  return {
    login: r.login,
    unitId: r.unit_id,
    ...(displayName !== undefined && { displayName }),
    // The CHECK of migration 008 keeps every stored role one of ROLES.
    roles: r.roles.filter(isRole),
    disabled: r.disabled,
    hasPassword: passwordHash !== undefined,
    ...(passwordHash !== undefined && { passwordHash }),
    createdAt: instant(r.created_at)!,
    createdBy: r.created_by,
  };
}

function withoutHash(a: AccountWithPassword): Account {
  const { passwordHash: _, ...rest } = a;
  return rest;
}

/**
 * createAccount(pool, NewAccount) → Account. The login is normalised first; one already taken
 * (in any case) is a ConflictError, a malformed one an InvalidRequestError.
 */
export async function createAccount(pool: pg.Pool, a: NewAccount): Promise<Account> {
  const login = normaliseLogin(a.login);
  if (!isValidLogin(login)) {
    throw new InvalidRequestError({
      vi: `Tên đăng nhập "${a.login}" không hợp lệ: dùng chữ thường không dấu, số và . _ @ - (tối đa 64 ký tự, bắt đầu bằng chữ hoặc số).`,
      en: `Login "${a.login}" is not valid: use unaccented letters, digits and . _ @ - (at most 64 characters, starting with a letter or digit).`,
    });
  }
  try {
    const { rows } = await pool.query<AccountDbRow>(
      `INSERT INTO accounts (login, unit_id, display_name, roles, password_hash, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [login, a.unitId, a.displayName ?? null, [...a.roles], a.passwordHash ?? null, a.createdBy],
    );
    return withoutHash(accountFromRow(rows[0]!));
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new ConflictError(
        { vi: `Tài khoản "${login}" đã có. Chọn tên đăng nhập khác, hoặc xem: chithi users list`, en: `Account "${login}" already exists. Choose another login, or see: chithi users list` },
        { cause: err },
      );
    }
    throw err;
  }
}

/** getAccount(pool, login) → the account with its password hash, or undefined. */
export async function getAccount(pool: pg.Pool, login: string): Promise<AccountWithPassword | undefined> {
  const { rows } = await pool.query<AccountDbRow>(`SELECT ${COLUMNS} FROM accounts WHERE login = $1`, [normaliseLogin(login)]);
  return rows[0] && accountFromRow(rows[0]);
}

/** listAccounts(pool) → every account, by unit then login. */
export async function listAccounts(pool: pg.Pool): Promise<Account[]> {
  const { rows } = await pool.query<AccountDbRow>(`SELECT ${COLUMNS} FROM accounts ORDER BY unit_id, login`);
  return rows.map((r) => withoutHash(accountFromRow(r)));
}

/**
 * disableAccount(pool, login) → false when there is no such account. Its sessions end now; its
 * tokens stay (an administrator can see what it had) but are refused, because every credential
 * lookup checks `disabled`.
 */
export async function disableAccount(pool: pg.Pool, login: string): Promise<boolean> {
  const name = normaliseLogin(login);
  return inTransaction(pool, async (db) => {
    const r = await db.query('UPDATE accounts SET disabled = true WHERE login = $1', [name]);
    await db.query('DELETE FROM sessions WHERE login = $1', [name]);
    return r.rowCount === 1;
  });
}
