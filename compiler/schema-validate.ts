/**
 * Phase one: JSON Schema validation, with ajv's errors turned into diagnostics that point at the
 * offending key or value and read like a colleague's remark rather than a validator's log.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Bilingual } from '../common/cli-spec.js';
import { diag } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { suggestion } from './did-you-mean.js';
import { FORMAT_TEXT, datePrecisely, IMPOSSIBLE_DATE_HINT, jsonTypeOf, typeText } from './messages.js';
import { locate, pointerToPath } from './positions.js';
import type { JsonPath } from './positions.js';
import type { ParsedFile } from './parse.js';
import { loadValidator } from './validators.js';

export type SchemaName = 'directive' | 'registry';

const validators = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    v = loadValidator(name);
    validators.set(name, v);
  }
  return v;
}

export interface SchemaResult {
  diagnostics: Diagnostic[];
  /** Instance paths (JSON pointers) that had an error: semantics skip those parts. */
  badPointers: string[];
}

export function validateSchema(parsed: ParsedFile, name: SchemaName): SchemaResult {
  const validate = validator(name);
  if (validate(parsed.data)) return { diagnostics: [], badPointers: [] };
  const errors = relevant(validate.errors ?? []);
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const d = toDiagnostic(parsed, e);
    if (!d) continue;
    const key = `${d.line}:${d.column}:${d.code}:${d.message.en}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(d);
  }
  return { diagnostics, badPointers: errors.map((e) => e.instancePath) };
}

/**
 * Drops the noise allErrors produces: `if` wrappers, errors about a property name that the
 * `propertyNames` error already reports, and for `anyOf` the branches whose type did not even match.
 */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  let out = errors.filter((e) => e.keyword !== 'if' && !(e.propertyName !== undefined && e.keyword !== 'propertyNames'));
  for (const any of out.filter((e) => e.keyword === 'anyOf')) {
    const at = any.instancePath;
    const branch = out.filter((e) => e !== any && (e.instancePath === at || e.instancePath.startsWith(at + '/')));
    const substantive = branch.filter((e) => !(e.keyword === 'type' && e.instancePath === at));
    if (substantive.length > 0) out = out.filter((e) => e !== any && !(e.keyword === 'type' && e.instancePath === at));
    else out = out.filter((e) => !branch.includes(e));
  }
  return out;
}

function label(path: JsonPath): string {
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const parent = path[path.length - 2];
    return `${typeof parent === 'string' ? parent : ''}[${last}]`;
  }
  return last === undefined ? '(root)' : String(last);
}

function formatName(e: ErrorObject, path: JsonPath): string | undefined {
  const m = /\$defs\/(\w+)\/pattern$/.exec(e.schemaPath);
  // `dueAfter` is a string or { obligation, plus }: its pattern is the timing duration's (1.1).
  if (m) return m[1] === 'dueAfter' ? 'timingDuration' : m[1];
  const last = path[path.length - 1];
  if (last === 'due') return 'date';
  // `every` and `within` are a duration or { interpreted, text } (1.1): their patterns are inline.
  if (last === 'every') return 'duration';
  if (last === 'within') return 'timingDuration';
  return undefined;
}

function obligationKindAt(parsed: ParsedFile, path: JsonPath): string | undefined {
  if (path[0] !== 'obligations' || typeof path[1] !== 'number') return undefined;
  const obs = parsed.data.obligations;
  const ob = Array.isArray(obs) ? (obs[path[1]] as unknown) : undefined;
  const kind = ob && typeof ob === 'object' ? (ob as Record<string, unknown>).kind : undefined;
  return typeof kind === 'string' ? kind : undefined;
}

function toDiagnostic(parsed: ParsedFile, e: ErrorObject): Diagnostic | null {
  const path = pointerToPath(e.instancePath);
  const file = parsed.file;
  const name = label(path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String(p.additionalProperty);
      const parent = e.parentSchema as { properties?: Record<string, unknown> } | undefined;
      const allowed = Object.keys(parent?.properties ?? {});
      const s = suggestion(prop, allowed);
      return diag(
        file,
        locate(parsed, [...path, prop], 'key'),
        'unknown-property',
        { vi: `thuộc tính \`${prop}\` không hợp lệ ở đây${s.vi}`, en: `unknown property \`${prop}\`${s.en}` },
        allowed.length > 0
          ? { vi: `các thuộc tính được phép: ${allowed.join(', ')}`, en: `allowed here: ${allowed.join(', ')}` }
          : { vi: 'xóa thuộc tính này', en: 'remove this property' },
      );
    }
    case 'required': {
      const prop = String(p.missingProperty);
      const kind = obligationKindAt(parsed, path);
      const forKind = kind && path.length === 2 && ['due', 'every', 'event', 'within'].includes(prop);
      return diag(
        file,
        locate(parsed, path),
        'missing-property',
        forKind
          ? { vi: `nhiệm vụ loại ${kind} cần có \`${prop}\``, en: `${article(kind)} ${kind} obligation needs \`${prop}\`` }
          : { vi: `thiếu thuộc tính bắt buộc \`${prop}\``, en: `missing required property \`${prop}\`` },
        { vi: `thêm \`${prop}: …\``, en: `add \`${prop}: …\`` },
      );
    }
    case 'false schema': {
      const prop = name;
      if (path[path.length - 2] === 'notify') return notifyNotAllowed(parsed, path, prop);
      const kind = obligationKindAt(parsed, path) ?? '';
      return diag(
        file,
        locate(parsed, path, 'key'),
        'property-not-allowed',
        kind
          ? { vi: `\`${prop}\` không áp dụng cho nhiệm vụ loại ${kind}`, en: `\`${prop}\` does not apply to ${article(kind)} ${kind} obligation` }
          : { vi: `\`${prop}\` không được dùng ở đây`, en: `\`${prop}\` is not allowed here` },
        kindHint(kind),
      );
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const s = typeof e.data === 'string' ? suggestion(e.data, allowed) : { vi: '', en: '' };
      return diag(
        file,
        locate(parsed, path),
        'invalid-value',
        { vi: `\`${name}\` phải là một trong: ${allowed.join(', ')}${s.vi}`, en: `\`${name}\` must be one of ${allowed.join(', ')}${s.en}` },
        { vi: `giá trị hiện tại: ${JSON.stringify(e.data)}`, en: `got: ${JSON.stringify(e.data)}` },
      );
    }
    case 'const':
      return diag(
        file,
        locate(parsed, path),
        'invalid-value',
        { vi: `\`${name}\` phải là \`${String(p.allowedValue)}\``, en: `\`${name}\` must be \`${String(p.allowedValue)}\`` },
        { vi: `giá trị hiện tại: ${JSON.stringify(e.data)}`, en: `got: ${JSON.stringify(e.data)}` },
      );
    case 'type': {
      const want = typeText(p.type as string | string[]);
      const got = jsonTypeOf(e.data);
      const numberForString = (p.type === 'string' || (Array.isArray(p.type) && p.type.includes('string'))) && got === 'number';
      return diag(
        file,
        locate(parsed, path),
        'wrong-type',
        { vi: `\`${name}\` phải là ${want.vi}`, en: `\`${name}\` must be ${want.en}` },
        numberForString
          ? { vi: `YAML đọc ${String(e.data)} là số: đặt trong dấu nháy, ví dụ "${String(e.data)}"`, en: `YAML reads ${String(e.data)} as a number: quote it, e.g. "${String(e.data)}"` }
          : got === 'null'
            ? { vi: 'giá trị đang để trống', en: 'the value is empty' }
            : { vi: `giá trị hiện tại là ${typeText(got).vi}`, en: `got ${typeText(got).en}` },
      );
    }
    case 'pattern': {
      const fmt = formatName(e, path);
      const value = String(e.data);
      const t = fmt ? FORMAT_TEXT[fmt] : undefined;
      // Working days (1.1) where only a calendar period goes: `every`, `attestEvery`, `reportingPeriod`.
      if (fmt === 'duration' && /^P\d+WD$/.test(value)) {
        return diag(
          file,
          locate(parsed, path),
          'invalid-format',
          { vi: `\`${name}\`: kỳ không tính bằng ngày làm việc (\`${value}\`)`, en: `\`${name}\`: a period is not counted in working days (\`${value}\`)` },
          { vi: 'ngày làm việc dùng cho hạn, thời hạn sự kiện, nhắc việc và báo cáo vượt cấp; kỳ dùng P7D, P1M, P6M, P1Y', en: 'working days are for due dates, event windows, reminders and escalation steps; a period is P7D, P1M, P6M, P1Y' },
        );
      }
      if (fmt === 'date' || fmt === 'duration' || fmt === 'clause' || fmt === 'timingDuration' || fmt === 'interpretedTiming') {
        return diag(
          file,
          locate(parsed, path),
          'invalid-format',
          { vi: `\`${name}\`: \`${value}\` không phải ${t!.what.vi}`, en: `\`${name}\`: \`${value}\` is not ${t!.what.en}` },
          { vi: `ví dụ: ${t!.example}`, en: `for example: ${t!.example}` },
        );
      }
      return diag(
        file,
        locate(parsed, path),
        'invalid-format',
        { vi: `\`${name}\`: \`${value}\` không phải ${t?.what.vi ?? 'giá trị hợp lệ'}`, en: `\`${name}\`: \`${value}\` is not ${t?.what.en ?? 'a valid value'}` },
        { vi: `ví dụ: ${t?.example ?? '—'}`, en: `for example: ${t?.example ?? '—'}` },
      );
    }
    case 'format': {
      const precise = typeof e.data === 'string' ? datePrecisely(e.data) : null;
      if (!precise) return null;
      return diag(file, locate(parsed, path), 'impossible-date', precise, IMPOSSIBLE_DATE_HINT);
    }
    case 'propertyNames': {
      const prop = String(p.propertyName);
      return diag(
        file,
        locate(parsed, [...path, prop], 'key'),
        'invalid-format',
        { vi: `tên \`${prop}\` không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch ngang`, en: `name \`${prop}\` is invalid: use lower-case letters, digits and dashes` },
        { vi: 'ví dụ: priority-sectors', en: 'for example: priority-sectors' },
      );
    }
    case 'minItems':
      return diag(file, locate(parsed, path), 'invalid-value', { vi: `\`${name}\` cần ít nhất ${String(p.limit)} phần tử`, en: `\`${name}\` needs at least ${String(p.limit)} item(s)` }, noHint);
    case 'minLength':
      return diag(file, locate(parsed, path), 'invalid-value', { vi: `\`${name}\` không được để trống`, en: `\`${name}\` must not be empty` }, noHint);
    case 'minProperties':
      return diag(file, locate(parsed, path), 'invalid-value', { vi: `\`${name}\` không được rỗng`, en: `\`${name}\` must not be empty` }, noHint);
    case 'minimum':
    case 'maximum':
      return diag(
        file,
        locate(parsed, path),
        'invalid-value',
        { vi: `\`${name}\` phải ${e.keyword === 'minimum' ? '≥' : '≤'} ${String(p.limit)}`, en: `\`${name}\` must be ${e.keyword === 'minimum' ? '≥' : '≤'} ${String(p.limit)}` },
        { vi: `giá trị hiện tại: ${JSON.stringify(e.data)}`, en: `got: ${JSON.stringify(e.data)}` },
      );
    case 'anyOf':
      if (path[0] === 'roles' && path.length === 2) {
        return diag(
          file,
          locate(parsed, path),
          'wrong-type',
          { vi: `\`${name}\` phải là mã đơn vị hoặc { unit, notify }`, en: `\`${name}\` must be a unit id or { unit, notify }` },
          { vi: 'ví dụ: so-tttt hoặc { unit: so-tttt, notify: { cadence: daily } }', en: 'for example: so-tttt or { unit: so-tttt, notify: { cadence: daily } }' },
        );
      }
      return diag(
        file,
        locate(parsed, path),
        'wrong-type',
        { vi: `\`${name}\` phải là tên nhóm đối tượng, mã đơn vị hoặc một bộ chọn`, en: `\`${name}\` must be an audience name, a unit id or a selector` },
        { vi: 'ví dụ: departments hoặc { units: [so-tttt] }', en: 'for example: departments or { units: [so-tttt] }' },
      );
    default:
      return diag(file, locate(parsed, path), 'schema', { vi: `\`${name}\`: ${e.message ?? 'không hợp lệ'}`, en: `\`${name}\`: ${e.message ?? 'invalid'}` }, noHint);
  }
}

const noHint: Bilingual = { vi: '', en: '' };

/** `at` or `weekday` beside a cadence that has no use for it: say which cadence does. */
function notifyNotAllowed(parsed: ParsedFile, path: JsonPath, prop: string): Diagnostic {
  const notify = path.slice(0, -1).reduce<unknown>((node, seg) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined), parsed.data);
  const cadence = notify && typeof notify === 'object' ? String((notify as Record<string, unknown>).cadence) : '?';
  const uses: Bilingual =
    prop === 'weekday'
      ? { vi: '`weekday` chỉ dùng với `cadence: weekly`', en: '`weekday` is only for `cadence: weekly`' }
      : { vi: '`at` chỉ dùng với `cadence: daily` hoặc `weekly`; thư `immediate` được gửi ngay', en: '`at` is only for `cadence: daily` or `weekly`; `immediate` letters leave at once' };
  return diag(
    parsed.file,
    locate(parsed, path, 'key'),
    'property-not-allowed',
    { vi: `\`${prop}\` không áp dụng cho \`cadence: ${cadence}\``, en: `\`${prop}\` does not apply to \`cadence: ${cadence}\`` },
    uses,
  );
}

function kindHint(kind: string): Bilingual {
  const fields: Record<string, string> = {
    deadline: 'due',
    recurring: 'every, anchor, periodFrom',
    event: 'event, within',
    ongoing: 'attestEvery, anchor',
  };
  const f = fields[kind];
  return f ? { vi: `nhiệm vụ loại ${kind} dùng: ${f}`, en: `${article(kind)} ${kind} obligation uses: ${f}` } : noHint;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
