/**
 * API tokens: 32 random bytes, shown once, stored as SHA-256. A fast hash is enough here (unlike a
 * password, a 256-bit random value cannot be guessed from its hash), and it lets a Bearer lookup
 * be one index probe on every request instead of an argon2 verification.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { ConflictError } from '../../activities/errors.js';
import { createApiToken, type ApiTokenInfo } from '../../activities/store/index.js';
import { HttpError } from '../errors.js';

/** The prefix lets secret scanners (and people) recognise a leaked chithi token. */
const PREFIX = 'chithi_';

export function newToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token name: what `chithi token revoke <name>` takes (migration 008 checks the same). */
export const TOKEN_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$';

/** Makes a token for `login`, stores its hash, returns the plaintext once. A taken name is a 409. */
export async function issueToken(pool: pg.Pool, login: string, name: string): Promise<ApiTokenInfo & { token: string }> {
  const token = newToken();
  try {
    const info = await createApiToken(pool, { login, name, tokenHash: hashToken(token) });
    return { token, ...info };
  } catch (err) {
    if (err instanceof ConflictError) throw new HttpError(409, 'conflict', err.text, undefined, { cause: err });
    throw err;
  }
}
