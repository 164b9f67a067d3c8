/**
 * The CLI's HTTP client of the API server: every command that acts goes through apiRequest, with
 * the credential of CHITHI_TOKEN or of `chithi login`, and the CLI's language. Cheap to import
 * (Node's fetch, no fastify, pg or Temporal): `chithi` starts for every command.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Bilingual, Lang } from '../common/cli-spec.js';
import { apiSettings, credentialsFile, ENV_FILE, mergeEnvFile, type Env } from '../common/config.js';
import { UserError } from '../common/errors.js';

/** What `chithi login` saves: one server, one token (and its name, for `chithi logout`). */
export interface Credentials {
  url: string;
  token: string;
  name: string;
  login: string;
}

/** An error answer of the API: its message in the CLI's language, and the status and code for callers that branch. */
export class ApiError extends UserError {
  constructor(
    readonly status: number,
    readonly code: string,
    text: Bilingual,
    options?: ErrorOptions,
  ) {
    super(text, 1, options);
    this.name = 'ApiError';
  }
}

export interface ApiIo {
  env: Env;
  lang: Lang;
}

/** The environment with what `npm start` saved (CHITHI_API_URL of the server it runs). */
function effectiveEnv(env: Env): Env {
  return mergeEnvFile(env, ENV_FILE).env;
}

/** The API server's address. */
export function apiUrl(env: Env): string {
  return apiSettings(effectiveEnv(env)).url;
}

export function readCredentials(env: Env): Credentials | undefined {
  const path = credentialsFile(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const c = JSON.parse(text) as Partial<Credentials>;
    if (typeof c.url === 'string' && typeof c.token === 'string') return { url: c.url, token: c.token, name: String(c.name ?? ''), login: String(c.login ?? '') };
  } catch {
    // Reported below, as for a file of the wrong shape.
  }
  throw new UserError({
    vi: `Tệp đăng nhập ${path} bị hỏng. Xoá nó rồi chạy lại: chithi login`,
    en: `The credentials file ${path} is corrupt. Delete it and run again: chithi login`,
  });
}

/** Writes the file readable by its owner only: it holds a bearer credential. Returns its path. */
export function saveCredentials(env: Env, c: Credentials): string {
  const path = credentialsFile(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  // Created 0600 and renamed into place: the token is never in a file others may read, not even
  // for an instant, and an interrupted write leaves the old file whole.
  writeFileSync(tmp, JSON.stringify(c, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return path;
}

export function deleteCredentials(env: Env): void {
  rmSync(credentialsFile(env), { force: true });
}

/** The token to send to `url`: CHITHI_TOKEN, else the saved one, but only to the server it was issued by. */
function tokenFor(env: Env, url: string): string {
  const settings = apiSettings(env);
  if (settings.token !== undefined) return settings.token;
  const saved = readCredentials(env);
  if (!saved) {
    throw new UserError({
      vi: `Chưa đăng nhập: chạy \`chithi login\` hoặc đặt CHITHI_TOKEN (máy chủ ${url}).`,
      en: `Not signed in: run \`chithi login\` or set CHITHI_TOKEN (server ${url}).`,
    });
  }
  if (saved.url !== url) {
    // Never send a token to a server other than the one that issued it.
    throw new UserError({
      vi: `Bạn đã đăng nhập ở ${saved.url}, không phải ${url} (CHITHI_API_URL). Chạy \`chithi login\` để đăng nhập ở ${url}.`,
      en: `You are signed in at ${saved.url}, not at ${url} (CHITHI_API_URL). Run \`chithi login\` to sign in at ${url}.`,
    });
  }
  return saved.token;
}

export interface RequestOptions {
  json?: unknown;
  form?: FormData;
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** false: send no credential (sign-in itself). */
  auth?: boolean;
}

/**
 * One call to the API server → its parsed JSON (undefined for 204). An error answer becomes an
 * ApiError with the server's message (exit 1); an unreachable server, a message naming the URL.
 */
export async function apiRequest<T = unknown>(io: ApiIo, method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const env = effectiveEnv(io.env);
  const base = apiSettings(env).url;
  const url = new URL(base + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': io.lang };
  if (opts.auth !== false) headers.authorization = `Bearer ${tokenFor(env, base)}`;
  let body: string | FormData | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    body = opts.form;
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, ...(body !== undefined && { body }) });
  } catch (err) {
    throw unreachable(base, err);
  }
  const text = await res.text();
  const parsed = parseJson(text);
  if (res.ok) return (res.status === 204 || text === '' ? undefined : (parsed ?? text)) as T;
  throw errorOf(res, parsed, text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorOf(res: Response, parsed: unknown, text: string): ApiError {
  const e = (parsed as { error?: { code?: unknown; message?: unknown; text?: unknown } } | undefined)?.error;
  if (e && typeof e.message === 'string') {
    const t = e.text as Partial<Bilingual> | undefined;
    // The server answered in the CLI's language (Accept-Language); keep both when it sent both.
    const message: Bilingual = t && typeof t.vi === 'string' && typeof t.en === 'string' ? { vi: t.vi, en: t.en } : { vi: e.message, en: e.message };
    return new ApiError(res.status, typeof e.code === 'string' ? e.code : String(res.status), message);
  }
  // Not chithi's answer: a reverse proxy's error page, or another service at that address.
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  const where = res.url || '';
  return new ApiError(res.status, String(res.status), {
    vi: `Máy chủ ${where} trả về HTTP ${res.status} ${res.statusText} không kèm lỗi của chithi${snippet ? `: ${snippet}` : ''}. Kiểm tra CHITHI_API_URL.`,
    en: `The server ${where} answered HTTP ${res.status} ${res.statusText} without a chithi error${snippet ? `: ${snippet}` : ''}. Check CHITHI_API_URL.`,
  });
}

function unreachable(url: string, err: unknown): UserError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new UserError(
    {
      vi: `Không kết nối được máy chủ API ${url} (${why}). \`npm start\` đang chạy chưa? (địa chỉ đặt bằng CHITHI_API_URL)`,
      en: `Cannot reach the API server at ${url} (${why}). Is \`npm start\` running? (CHITHI_API_URL)`,
    },
    1,
    { cause: err },
  );
}
