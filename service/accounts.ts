/**
 * Provisioning accounts: the checks an account must pass before it is stored, whoever creates it
 * (the operator's `chithi users add` today, an administrator's API call later).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { createAccount, isValidLogin, normaliseLogin, type Account } from '../activities/store/index.js';
import { ROOT } from '../common/config.js';
import { UserError } from '../common/errors.js';
import { isRole, ROLES, type Role } from '../common/roles.js';
import { suggestion } from '../compiler/did-you-mean.js';
import { loadRegistry } from '../compiler/registry.js';

/** Where the unit registries are: the folder directives name theirs in (`registry: registries/…`). */
export const REGISTRIES_DIR = join(ROOT, 'directives', 'registries');

/** Every unit id of every registry in `dir`, with the registry file that lists it first. */
export async function knownUnits(dir: string = REGISTRIES_DIR): Promise<Map<string, string>> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch (err) {
    throw new UserError(
      { vi: `Không đọc được thư mục danh mục đơn vị ${dir}: ${(err as Error).message}`, en: `Cannot read the unit registry folder ${dir}: ${(err as Error).message}` },
      1,
      { cause: err },
    );
  }
  const units = new Map<string, string>();
  for (const f of files) {
    const r = await loadRegistry(join(dir, f), `registries/${f}`);
    // A registry with errors is skipped: `chithi validate` reports it, and a unit only a broken
    // registry lists is not one any directive can address.
    if (!r.ok) continue;
    for (const id of r.registry.units.keys()) if (!units.has(id)) units.set(id, `registries/${f}`);
  }
  return units;
}

export interface AccountRequest {
  login: string;
  unit: string;
  roles: readonly string[];
  displayName?: string;
  passwordHash?: string;
  createdBy: string;
}

/**
 * The checks a new account must pass before anything is asked or stored: a well-formed login, known
 * roles (at least one), a unit some registry lists. Every refusal is a UserError (exit 1) saying what
 * to change. Returns the request with its login normalised.
 */
export async function checkAccountRequest(req: AccountRequest, registriesDir: string = REGISTRIES_DIR): Promise<AccountRequest & { roles: readonly Role[] }> {
  const login = normaliseLogin(req.login);
  if (!isValidLogin(login)) {
    throw new UserError({
      vi: `Tên đăng nhập "${req.login}" không hợp lệ: dùng chữ không dấu, số và . _ @ - (tối đa 64 ký tự, bắt đầu bằng chữ hoặc số).`,
      en: `Login "${req.login}" is not valid: use unaccented letters, digits and . _ @ - (at most 64 characters, starting with a letter or digit).`,
    });
  }
  const roles = req.roles;
  checkRoles(roles);
  // Loaded registries are cached by content (compiler/registry.ts): checking again in
  // provisionAccount after the password prompt costs nothing.
  const units = await knownUnits(registriesDir);
  if (!units.has(req.unit)) {
    const hint = suggestion(req.unit, units.keys());
    throw new UserError({
      vi: `Không có đơn vị "${req.unit}" trong danh mục đơn vị nào (${registriesDir})${hint.vi}. Dùng mã đơn vị (id) như trong danh mục.`,
      en: `No unit "${req.unit}" in any unit registry (${registriesDir})${hint.en}. Use the unit's id as the registry writes it.`,
    });
  }
  return { ...req, login, roles: [...new Set(roles)] };
}

/**
 * Checks (checkAccountRequest) and stores a new account; a login already taken is the store's
 * ConflictError, shown as a message like a UserError (client/cli.ts, server/errors.ts).
 */
export async function provisionAccount(pool: pg.Pool, request: AccountRequest, registriesDir: string = REGISTRIES_DIR): Promise<Account> {
  const req = await checkAccountRequest(request, registriesDir);
  return createAccount(pool, {
    login: req.login,
    unitId: req.unit,
    roles: req.roles,
    createdBy: req.createdBy,
    ...(req.displayName !== undefined && { displayName: req.displayName }),
    ...(req.passwordHash !== undefined && { passwordHash: req.passwordHash }),
  });
}

function checkRoles(roles: readonly string[]): asserts roles is readonly Role[] {
  if (roles.length === 0) {
    throw new UserError({ vi: `Cần ít nhất một --role (${ROLES.join(', ')}).`, en: `Give at least one --role (${ROLES.join(', ')}).` });
  }
  for (const r of roles) {
    if (!isRole(r)) {
      const hint = suggestion(r, ROLES);
      throw new UserError({ vi: `Không có vai trò "${r}"${hint.vi}. Các vai trò: ${ROLES.join(', ')}.`, en: `No role "${r}"${hint.en}. The roles: ${ROLES.join(', ')}.` });
    }
  }
}
