import { parseArgs, type ParseArgsConfig } from 'node:util';
import { missingFlags, parseOptions, type CommandSpec, type FlagTable, type ParsedFlags } from '../common/cli-spec.js';
import { UserError, type Bilingual } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with usage mistakes turned into exit-code-2 UserErrors that point at --help. */
export function parse<O extends Options>(args: string[], options: O, command: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new UserError(
      { vi: `${detail}\nXem: chithi ${command} --help`, en: `${detail}\nSee: chithi ${command} --help` },
      2,
      { cause: err },
    );
  }
}

/**
 * Phân tích theo khai báo của lệnh (common/commands.ts); thiếu cờ bắt buộc là lỗi cách dùng.
 * Parses by the command's declaration (common/commands.ts); a missing required flag is a usage error.
 */
export function parseCommand<F extends FlagTable>(args: string[], spec: CommandSpec<F>): { values: ParsedFlags<F>; positionals: string[] } {
  const { values, positionals } = parse(args, parseOptions(spec.flags), spec.name);
  const missing = missingFlags(spec, values);
  if (missing.length > 0) {
    throw usageError({ vi: `Thiếu ${missing.join(', ')}.`, en: `Missing ${missing.join(', ')}.` }, spec.name);
  }
  return { values: values as ParsedFlags<F>, positionals };
}

export function usageError(text: Bilingual, command: string): UserError {
  return new UserError({ vi: `${text.vi}\nXem: chithi ${command} --help`, en: `${text.en}\nSee: chithi ${command} --help` }, 2);
}

export function required(value: string | undefined, flag: string, command: string): string {
  if (value === undefined || value === '') {
    throw usageError({ vi: `Thiếu ${flag}.`, en: `Missing ${flag}.` }, command);
  }
  return value;
}

/** `k=v` pairs of repeated flags; the value may itself contain `=`. */
export function pairs(values: string[] | undefined, flag: string, command: string): [string, string][] {
  return (values ?? []).map((raw) => {
    const at = raw.indexOf('=');
    if (at <= 0) {
      throw usageError({ vi: `${flag} cần dạng tên=giá-trị (nhận được: ${raw}).`, en: `${flag} takes name=value (got: ${raw}).` }, command);
    }
    return [raw.slice(0, at), raw.slice(at + 1)];
  });
}

export function isoDate(value: string, flag: string, command: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw usageError({ vi: `${flag} cần một ngày dạng YYYY-MM-DD (nhận được: ${value}).`, en: `${flag} takes a date YYYY-MM-DD (got: ${value}).` }, command);
  }
  return value;
}

export function isoInstant(value: string, flag: string, command: string): string {
  // A bare date or a local time would be read in the machine's timezone: require an explicit offset.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw usageError(
      { vi: `${flag} cần thời điểm ISO có múi giờ, ví dụ 2024-03-01T09:30:00+07:00 (nhận được: ${value}).`, en: `${flag} takes an ISO instant with offset, e.g. 2024-03-01T09:30:00+07:00 (got: ${value}).` },
      command,
    );
  }
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `--id` of an action: a UUID, as chithi prints it. Ids are unique across every directive, so a
 * script's own short ids ("lan-1") would collide; one rule for every action keeps it simple.
 */
export function actionId(value: string, command: string): string {
  if (!UUID.test(value)) {
    throw usageError(
      {
        vi: `--id cần một UUID, như mã chithi đã in (nhận được: ${value}). Bỏ --id để tạo mã mới.`,
        en: `--id takes a UUID, as chithi printed it (got: ${value}). Leave out --id for a new one.`,
      },
      command,
    );
  }
  return value.toLowerCase();
}
