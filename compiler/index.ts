/**
 * The directive compiler: YAML file → checked, resolved Plan (see plan.ts).
 *
 * Three phases, each reporting every problem it can find in one run: parse (with hostile-input
 * guards), schema, semantics; only a clean directive is resolved into a plan.
 */
import { dirname, isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { DateTime } from 'luxon';
import type { ChithiDirective } from './schema/directive.generated.js';
import type { Plan, IsoDate } from './plan.js';
import { loadCalendar } from './calendar/index.js';
import type { WorkingCalendar } from './calendar/index.js';
import { diag, hasErrors, sortDiagnostics } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { datePrecisely } from './messages.js';
import { readYamlFile } from './parse.js';
import type { ParsedFile } from './parse.js';
import { locate } from './positions.js';
import { loadRegistry, validateRegistryParsed } from './registry.js';
import type { Registry } from './registry.js';
import { resolvePlan } from './resolve.js';
import { validateSchema } from './schema-validate.js';
import { cleanFilter } from './semantics/context.js';
import { checkDirective } from './semantics/directive.js';
import { canonicalJson, sha256 } from './hash.js';
import { durationWords } from '../common/durations.js';

export type { Diagnostic, DiagnosticCode, Severity } from './diagnostics.js';
export { formatDiagnostic, hasErrors } from './diagnostics.js';
export { clearRegistryCache, loadRegistry, registryText, resolveUnit } from './registry.js';
export type { Registry, RegistryResult } from './registry.js';
export { canonicalJson } from './hash.js';

export interface CompileOptions {
  /** Unit registry to use instead of the directive's own `metadata.registry`. */
  registryPath?: string;
  /** Date at which succession and dissolution are applied; default: today in the directive's zone. */
  asOf?: IsoDate;
  /** Directory of working calendars; default: directives/calendars. */
  calendarDir?: string;
  /** Base for relative paths and for the file names printed in diagnostics; default: process.cwd(). */
  cwd?: string;
  /**
   * `asOf` is a date a person typed (`--as-of`), not today's: warn (`as-of-far`) when it is more
   * than a year from the issue date, where a mistyped year is likelier than a plan meant for then.
   */
  asOfGiven?: boolean;
}

export type CompileResult = { ok: true; plan: Plan; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export type FileKind = 'Directive' | 'UnitRegistry';

export interface ValidateResult {
  ok: boolean;
  kind?: FileKind;
  diagnostics: Diagnostic[];
}

/** Paths in messages: relative to the working directory when that is shorter, as compilers print. */
function display(path: string, cwd = process.cwd()): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function kindDiagnostic(parsed: ParsedFile, expected: FileKind | FileKind[]): Diagnostic | null {
  const kind = parsed.data.kind;
  const allowed = Array.isArray(expected) ? expected : [expected];
  if (typeof kind === 'string' && (allowed as string[]).includes(kind)) return null;
  return diag(
    parsed.file,
    parsed.data.kind === undefined ? { line: 1, column: 1 } : locate(parsed, ['kind']),
    'unknown-kind',
    { vi: `\`kind\` phải là ${allowed.join(' hoặc ')} (nhận được: ${JSON.stringify(kind ?? null)})`, en: `\`kind\` must be ${allowed.join(' or ')} (got: ${JSON.stringify(kind ?? null)})` },
    { vi: 'dòng đầu của tệp: `apiVersion: chithi/v1` rồi `kind: Directive`', en: 'the file starts with `apiVersion: chithi/v1` then `kind: Directive`' },
  );
}

/** Reads the file a command names; diagnostics instead when it cannot be read or is of another kind. */
async function openFile(
  path: string,
  options: CompileOptions,
  kinds: Parameters<typeof kindDiagnostic>[1],
): Promise<{ ok: true; path: string; parsed: ParsedFile } | { ok: false; diagnostics: Diagnostic[] }> {
  const cwd = options.cwd ?? process.cwd();
  const absolute = resolvePath(cwd, path);
  const read = await readYamlFile(absolute, display(absolute, cwd));
  if (!read.ok) return { ok: false, diagnostics: read.diagnostics };
  const wrongKind = kindDiagnostic(read.parsed, kinds);
  if (wrongKind) return { ok: false, diagnostics: [wrongKind] };
  return { ok: true, path: absolute, parsed: read.parsed };
}

export async function compileFile(path: string, options: CompileOptions = {}): Promise<CompileResult> {
  const opened = await openFile(path, options, 'Directive');
  if (!opened.ok) return opened;
  const { parsed } = opened;
  return guarded(parsed.file, () => compileParsed(parsed, opened.path, options));
}

/**
 * Date arithmetic on extreme inputs (year 9999 plus P1000Y) or a bug must still end as a
 * diagnostic: callers print diagnostics, and a stack trace helps no policy officer.
 */
async function guarded(file: string, f: () => Promise<CompileResult>): Promise<CompileResult> {
  try {
    return await f();
  } catch (e) {
    const detail = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return {
      ok: false,
      diagnostics: [
        diag(file, { line: 1, column: 1 }, 'internal-error', { vi: `không biên dịch được tệp: ${detail}`, en: `could not compile the file: ${detail}` }, {
          vi: 'kiểm tra các ngày và khoảng thời gian bất thường; nếu tệp đúng, hãy báo lỗi này',
          en: 'check for extreme dates or durations; if the file is right, please report this',
        }),
      ],
    };
  }
}

async function compileParsed(parsed: ParsedFile, path: string, options: CompileOptions): Promise<CompileResult> {
  const diagnostics: Diagnostic[] = [];
  const schema = validateSchema(parsed, 'directive');
  diagnostics.push(...schema.diagnostics);
  const clean = cleanFilter(schema.badPointers);
  const data = parsed.data as unknown as ChithiDirective;
  const md = clean(['metadata']) ? data.metadata : undefined;

  if (options.asOf !== undefined && datePrecisely(options.asOf)) {
    diagnostics.push(diag(parsed.file, { line: 1, column: 1 }, 'invalid-value', { vi: `--as-of: ${datePrecisely(options.asOf)!.vi}`, en: `--as-of: ${datePrecisely(options.asOf)!.en}` }, { vi: 'dạng YYYY-MM-DD', en: 'use YYYY-MM-DD' }));
  }

  if (options.asOfGiven && options.asOf !== undefined && !datePrecisely(options.asOf) && md && clean(['metadata', 'issued']) && !datePrecisely(md.issued)) {
    const far = asOfFar(parsed, md.issued, options.asOf);
    if (far) diagnostics.push(far);
  }

  let registry: Registry | null = null;
  const registryFromFile = md !== undefined || clean(['metadata', 'registry']);
  const cwd = options.cwd ?? process.cwd();
  const registryRef = options.registryPath !== undefined ? resolvePath(cwd, options.registryPath) : (registryFromFile && typeof data.metadata?.registry === 'string' ? resolvePath(dirname(path), data.metadata.registry) : undefined);
  if (registryRef !== undefined) {
    const loaded = await loadRegistry(registryRef, display(registryRef, cwd));
    const notFound = !loaded.ok && loaded.diagnostics.some((d) => d.code === 'file-not-found');
    if (notFound) {
      diagnostics.push(
        diag(
          parsed.file,
          options.registryPath ? { line: 1, column: 1 } : locate(parsed, ['metadata', 'registry']),
          'registry-not-found',
          { vi: `không tìm thấy danh mục đơn vị ${display(registryRef, cwd)}`, en: `unit registry not found: ${display(registryRef, cwd)}` },
          options.registryPath
            ? { vi: 'kiểm tra đường dẫn của --units', en: 'check the --units path' }
            : { vi: '`metadata.registry` tính từ thư mục của tệp chỉ thị', en: '`metadata.registry` is relative to the directive file' },
        ),
      );
    } else if (!loaded.ok) diagnostics.push(...loaded.diagnostics);
    else {
      registry = loaded.registry;
      diagnostics.push(...loaded.diagnostics);
    }
  }

  let calendar: WorkingCalendar | null = null;
  if (md && clean(['metadata', 'calendar'])) {
    try {
      calendar = loadCalendar(md.calendar.id, options.calendarDir);
    } catch (e) {
      diagnostics.push(
        diag(parsed.file, locate(parsed, ['metadata', 'calendar', 'id']), 'calendar-error', { vi: `lịch làm việc \`${md.calendar.id}\`: ${(e as Error).message}`, en: `working calendar \`${md.calendar.id}\`: ${(e as Error).message}` }, {
          vi: 'lịch nằm ở directives/calendars/<id>.yaml',
          en: 'calendars live in directives/calendars/<id>.yaml',
        }),
      );
    }
  }

  diagnostics.push(...checkDirective({ parsed, data, registry, clean }));
  if (hasErrors(diagnostics) || !registry || !calendar || !md) return { ok: false, diagnostics: sortDiagnostics(diagnostics) };

  const asOf = options.asOf ?? DateTime.now().setZone(md.timezone).toISODate()!;
  const resolved = resolvePlan({ parsed, data, registry, calendar, asOf });
  diagnostics.push(...resolved.diagnostics);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
  const plan: Plan = { ...resolved.plan, hash: sha256(canonicalJson(resolved.plan)) };
  return { ok: true, plan, diagnostics: sortDiagnostics(diagnostics) };
}

/**
 * Một năm: danh mục đơn vị đổi theo các đợt sắp xếp cách nhau hàng năm; xa hơn thế, gõ nhầm năm
 * (2012, 2032 cho 2022) dễ xảy ra hơn là cố ý.
 * One year either side of the issue date. `--as-of` picks the registry's state (successions,
 * dissolutions) for a plan previewed around signing or deployment; registries change in yearly
 * reorganisations (the 2025 mergers), so within a year the plan is the directive's, and beyond it a
 * mistyped year (2012 or 2032 for 2022) is likelier than a plan meant for then. A warning, not an
 * error: a plan as of years later is legitimate (a 2014 directive deployed today), and the
 * warning then says what it means.
 */
function asOfFar(parsed: ParsedFile, issued: IsoDate, asOf: IsoDate): Diagnostic | null {
  const i = DateTime.fromISO(issued, { zone: 'utc' });
  const a = DateTime.fromISO(asOf, { zone: 'utc' });
  const before = a < i.minus({ years: 1 });
  if (!before && a <= i.plus({ years: 1 })) return null;
  const gap = (before ? i.diff(a, ['years', 'months', 'days']) : a.diff(i, ['years', 'months', 'days'])).toObject();
  const words = durationWords(`P${Math.floor(gap.years ?? 0)}Y${Math.floor(gap.months ?? 0)}M`);
  return diag(
    parsed.file,
    locate(parsed, ['metadata', 'issued']),
    'as-of-far',
    before
      ? { vi: `--as-of ${asOf} sớm hơn ngày ban hành ${issued} tới ${words.vi}`, en: `--as-of ${asOf} is ${words.en} before the issue date ${issued}` }
      : { vi: `--as-of ${asOf} muộn hơn ngày ban hành ${issued} tới ${words.vi}`, en: `--as-of ${asOf} is ${words.en} after the issue date ${issued}` },
    before
      ? {
          vi: 'chỉ thị chưa ra đời vào ngày đó: đơn vị được tính theo danh mục trước khi văn bản được ký; kiểm tra lại năm của --as-of',
          en: 'the directive did not exist then: units are taken as they were before it was signed; check the year of --as-of',
        }
      : {
          vi: 'đơn vị được tính theo danh mục tại ngày đó (đã áp dụng sáp nhập, giải thể từ khi ban hành); nếu không cố ý, kiểm tra lại năm của --as-of',
          en: 'units are taken as of that date (mergers and dissolutions since the issue applied); if that is not meant, check the year of --as-of',
        },
    'warning',
  );
}

/** Checks a directive (fully: registry, calendar, resolution) or a registry, detected by `kind`. */
export async function validateFile(path: string, options: CompileOptions = {}): Promise<ValidateResult> {
  const opened = await openFile(path, options, ['Directive', 'UnitRegistry']);
  if (!opened.ok) return opened;
  const { parsed } = opened;
  if (parsed.data.kind === 'UnitRegistry') {
    const r = await validateRegistryParsed(parsed, opened.path);
    return { ok: r.ok, kind: 'UnitRegistry', diagnostics: sortDiagnostics(r.diagnostics) };
  }
  const r = await guarded(parsed.file, () => compileParsed(parsed, opened.path, options));
  return { ok: r.ok, kind: 'Directive', diagnostics: r.diagnostics };
}
