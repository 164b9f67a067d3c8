/**
 * Local account passwords: argon2id (the library's defaults: 64 MiB, 3 passes, 4 lanes, which
 * OWASP's guidance accepts) in PHC strings, so the parameters travel with each hash and can be
 * raised later without a migration.
 */
import argon2 from 'argon2';
import type { Bilingual } from '../../common/cli-spec.js';

/** Below this a password is refused at `chithi users add`; longer ones only cost hashing time. */
export const MIN_PASSWORD = 8;
/** Cap on what the server hashes, so a megabyte "password" cannot keep a core busy. */
export const MAX_PASSWORD = 1024;

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): Bilingual | undefined {
  if (password.length < MIN_PASSWORD) {
    return { vi: `Mật khẩu cần ít nhất ${MIN_PASSWORD} ký tự.`, en: `The password needs at least ${MIN_PASSWORD} characters.` };
  }
  if (password.length > MAX_PASSWORD) {
    return { vi: `Mật khẩu dài quá ${MAX_PASSWORD} ký tự.`, en: `The password is longer than ${MAX_PASSWORD} characters.` };
  }
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

let dummy: Promise<string> | undefined;

/**
 * True when `password` matches `hash`. Without a hash (unknown login, single-sign-on-only account)
 * it still verifies, against a dummy hash, so the answer takes as long as for a real account and
 * its timing does not tell which logins exist.
 */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD) return false;
  if (hash === undefined) {
    dummy ??= hashPassword('chithi: no such account');
    await argon2.verify(await dummy, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    // A malformed stored hash: the CHECK of migration 008 prevents it; refuse rather than crash.
    return false;
  }
}
