/**
 * Khai báo cờ dòng lệnh một lần, rồi sinh từ đó: tùy chọn cho parseArgs, phần cờ của `--help`
 * (tiếng Việt và tiếng Anh), và dòng lệnh in trong thông báo.
 * Flags are declared once; parseArgs options, the flag part of `--help` (vi and en) and the
 * command lines printed in notices are all generated from that declaration.
 *
 * Tầng thấp: không nhập gì từ client/, activities/, workflows/ (và không nhập mô-đun Node), để
 * mẫu thông báo trong activities/ dùng được mà không kéo theo client.
 * Low-level: imports nothing from client/, activities/ or workflows/ (nor Node built-ins), so the
 * notice templates in activities/ can use it without pulling in the client.
 */

export type Lang = 'vi' | 'en';

/** Văn bản song ngữ: tiếng Việt trước. / Text in both languages, Vietnamese first. */
export interface Bilingual {
  vi: string;
  en: string;
}

interface FlagBase {
  description: Bilingual;
}

export interface StringFlag extends FlagBase {
  type: 'string';
  /** Lặp lại được; giá trị gom thành mảng. / Repeatable; the values are collected in an array. */
  multiple?: boolean;
  /** Cách ghi giá trị trong help: `<mã>`, `YYYY-MM-DD`. / How the value is shown in help. */
  value: Bilingual;
  /** Thiếu thì là lỗi cách dùng (mã thoát 2). / Missing is a usage error (exit 2). */
  required?: boolean;
}

export interface BooleanFlag extends FlagBase {
  type: 'boolean';
}

export type FlagSpec = StringFlag | BooleanFlag;
export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** Đối số vị trí của một lệnh (mỗi lệnh chỉ có một loại). / A command's positional argument. */
export interface PositionalSpec {
  /** Cách ghi trong dòng "Cách dùng" khi không có `choices`. / Shown in the usage line when there are no choices. */
  name?: Bilingual;
  /** Những giá trị được nhận, ví dụ accept|reject. / The accepted values, e.g. accept|reject. */
  choices?: readonly string[];
  /** Một hoặc nhiều (mặc định: đúng một). / One or more (default: exactly one). */
  many?: boolean;
  /** Đúng bấy nhiêu, `name` ghi từng cái (chithi diff: bản cũ, bản mới). / Exactly this many, each named in `name`. */
  count?: number;
}

export interface CommandSpec<F extends FlagTable = FlagTable> {
  name: string;
  /**
   * Một dòng trong danh sách lệnh của `chithi --help` (defineCommand bắt buộc có). Ở đây, không trong
   * mô-đun của lệnh, để in danh sách không phải nạp mô-đun nào (Temporal client, pg, ajv).
   * The command's line in `chithi --help` (defineCommand requires it). Here, not in the command's
   * module, so the list is printed without loading any module (Temporal client, pg, ajv).
   */
  summary?: Bilingual;
  /** Không có: lệnh không nhận đối số vị trí. / Absent: the command takes no positional argument. */
  positional?: PositionalSpec;
  flags: F;
}

/**
 * Giữ nguyên kiểu chữ (literal) của khai báo, để parseArgs suy ra đúng kiểu giá trị.
 * Keeps the declaration's literal types, so the parsed values are typed precisely.
 */
export function defineCommand<const F extends FlagTable, const P extends PositionalSpec | undefined = undefined>(spec: {
  name: string;
  summary: Bilingual;
  positional?: P;
  flags: F;
}): CommandSpec<F> & { positional: P; summary: Bilingual } {
  return spec as CommandSpec<F> & { positional: P; summary: Bilingual };
}

export function defineFlags<const F extends FlagTable>(flags: F): F {
  return flags;
}

/** Tùy chọn parseArgs sinh từ bảng cờ. / parseArgs options generated from a flag table. */
export type ParseOptions<F extends FlagTable> = {
  [K in keyof F]: { type: F[K]['type']; multiple: F[K] extends { multiple: true } ? true : false };
};

/** Giá trị đã phân tích, theo bảng cờ. / Parsed values, typed from the flag table. */
export type ParsedFlags<F extends FlagTable> = {
  -readonly [K in keyof F]?: F[K] extends { type: 'boolean' } ? boolean : F[K] extends { multiple: true } ? string[] : string;
};

export function parseOptions<F extends FlagTable>(flags: F): ParseOptions<F> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple: boolean }> = {};
  for (const [name, flag] of Object.entries(flags)) {
    options[name] = { type: flag.type, multiple: flag.type === 'string' && flag.multiple === true };
  }
  return options as ParseOptions<F>;
}

/** Cờ bắt buộc còn thiếu (rỗng cũng là thiếu). / Required flags that are missing (empty counts as missing). */
export function missingFlags(spec: CommandSpec, values: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(spec.flags)
    .filter(([name, flag]) => {
      const v = values[name];
      return flag.type === 'string' && flag.required && (v === undefined || v === '' || (Array.isArray(v) && v.length === 0));
    })
    .map(([name]) => `--${name}`);
}

export function isChoice<const C extends readonly string[]>(choices: C, value: string | undefined): value is C[number] {
  return value !== undefined && choices.includes(value);
}

// ——— help ———

const LABEL = {
  usage: { vi: 'Cách dùng', en: 'Usage' },
  required: { vi: 'bắt buộc', en: 'required' },
  repeatable: { vi: 'lặp lại được', en: 'repeatable' },
} as const;

/** Cột tối đa trước khi dòng "Cách dùng" xuống dòng. / Column at which the usage line wraps. */
const WIDTH = 100;

function flagUsage(name: string, flag: FlagSpec, lang: Lang): string {
  return flag.type === 'boolean' ? `--${name}` : `--${name} ${flag.value[lang]}`;
}

function positionalUsage(p: PositionalSpec, lang: Lang): string {
  const word = p.choices ? p.choices.join('|') : (p.name?.[lang] ?? '');
  return p.many ? `${word}…` : word;
}

/** `Cách dùng: chithi <lệnh> …`, cờ bắt buộc trước, cờ tùy chọn trong ngoặc vuông. */
export function usageLine(spec: CommandSpec, lang: Lang): string {
  const words: string[] = [];
  if (spec.positional) words.push(positionalUsage(spec.positional, lang));
  const flags = Object.entries(spec.flags);
  const more = (flag: FlagSpec) => (flag.type === 'string' && flag.multiple ? '…' : '');
  for (const [name, flag] of flags) if (flag.type === 'string' && flag.required) words.push(flagUsage(name, flag, lang) + more(flag));
  for (const [name, flag] of flags) if (!(flag.type === 'string' && flag.required)) words.push(`[${flagUsage(name, flag, lang)}]${more(flag)}`);
  // Dòng dài xuống dòng, thụt vào thẳng cột sau tên lệnh, để đọc được trong terminal 100 cột.
  // Long lines wrap, indented under the first argument, to stay readable in a 100-column terminal.
  const head = `${LABEL.usage[lang]}: chithi ${spec.name} `;
  const lines: string[] = [];
  let line = head;
  for (const w of words) {
    if (line.length > head.length && line.length + w.length > WIDTH) {
      lines.push(line.trimEnd());
      line = ' '.repeat(head.length);
    }
    line += `${w} `;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

/** Danh sách cờ, mỗi cờ một dòng, cột mô tả thẳng hàng. / One line per flag, descriptions aligned. */
export function flagHelp(spec: CommandSpec, lang: Lang): string {
  const rows = Object.entries(spec.flags).map(([name, flag]) => {
    const notes = [
      ...(flag.type === 'string' && flag.required ? [LABEL.required[lang]] : []),
      ...(flag.type === 'string' && flag.multiple ? [LABEL.repeatable[lang]] : []),
    ];
    return [flagUsage(name, flag, lang), flag.description[lang] + (notes.length > 0 ? `; ${notes.join(', ')}` : '')] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`).join('\n');
}

/** Phần văn xuôi của help, viết tay. / The hand-written prose of a command's help. */
export interface HelpProse {
  /** Sau dòng "Cách dùng", trước danh sách cờ. / After the usage line, before the flags. */
  intro: Bilingual;
  /** Sau danh sách cờ: biến môi trường, mã thoát. / After the flags: environment, exit codes. */
  epilogue?: Bilingual;
}

export function helpText(spec: CommandSpec, prose: HelpProse): Bilingual {
  const one = (lang: Lang): string => {
    const parts = [usageLine(spec, lang), prose.intro[lang].trim()];
    if (Object.keys(spec.flags).length > 0) parts.push(flagHelp(spec, lang));
    if (prose.epilogue) parts.push(prose.epilogue[lang].trim());
    return parts.join('\n\n') + '\n';
  };
  return { vi: one('vi'), en: one('en') };
}

// ——— dòng lệnh / command lines ———

/** Một chỗ để người dùng điền: `<tệp|file>`. / A blank for the user to fill in. */
export function placeholder(text: Bilingual): string {
  return text.vi === text.en ? `<${text.vi}>` : `<${text.vi}|${text.en}>`;
}

const PLACEHOLDER = /<[^<>]*>/;

// Ký tự không có nghĩa đặc biệt với sh (kể cả chữ có dấu: sh không xử lý byte ≥ 0x80).
// Characters sh gives no meaning to (accented letters included: sh leaves bytes ≥ 0x80 alone).
const SH_SAFE = /^[\p{L}\p{M}\p{N}_@%+=:,./-]+$/u;

/** Một từ cho POSIX sh: để nguyên nếu an toàn, nếu không thì trong nháy đơn. / One POSIX sh word. */
export function shQuote(word: string): string {
  if (SH_SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export type FlagValueOf<S extends FlagSpec> = S extends { type: 'boolean' } ? true : S extends { multiple: true } ? string | readonly string[] : string;

export interface CommandArgs<F extends FlagTable = FlagTable> {
  positionals?: readonly string[];
  flags: { readonly [K in keyof F]?: FlagValueOf<F[K]> | undefined };
}

/**
 * Dòng lệnh `npx chithi <lệnh> …` chỉ từ những cờ đã khai báo: cờ lạ, thiếu cờ bắt buộc, sai kiểu
 * hoặc đối số vị trí không hợp lệ đều là lỗi lập trình và ném ra. Cờ theo thứ tự khai báo (không
 * theo thứ tự của `args`), nên cùng một thông báo luôn in cùng một dòng.
 * Renders `npx chithi <command> …` from declared flags only: an undeclared flag, a missing required
 * one, a wrong type or a bad positional is a programming error and throws. Flags come in declaration
 * order, not in the order of `args`, so the same notice always prints the same line.
 */
export function renderCommandLine<F extends FlagTable>(spec: CommandSpec<F>, args: CommandArgs<F>, program = 'npx chithi'): string {
  const fail = (what: string): never => {
    throw new Error(`chithi ${spec.name}: ${what}`);
  };
  const given = args.flags as Readonly<Record<string, string | true | readonly string[] | undefined>>;
  for (const name of Object.keys(given)) if (!Object.hasOwn(spec.flags, name)) fail(`undeclared flag --${name}`);
  const missing = missingFlags(spec, given);
  if (missing.length > 0) fail(`missing required ${missing.join(', ')}`);

  const positionals = args.positionals ?? [];
  const p = spec.positional;
  if (!p && positionals.length > 0) fail(`takes no positional argument (got ${positionals.join(' ')})`);
  if (p && !p.many && positionals.length !== (p.count ?? 1)) fail(`takes exactly ${p.count === undefined || p.count === 1 ? 'one positional argument' : `${p.count} positional arguments`} (got ${positionals.length})`);
  if (p?.many && positionals.length === 0) fail('takes at least one positional argument');
  for (const word of positionals) {
    // Chỗ điền chỉ đặt ở vị trí giá trị của cờ: ở vị trí đối số thì lệnh không hiểu.
    // Blanks go in flag values only: as a positional the command would not understand them.
    if (PLACEHOLDER.test(word)) fail(`placeholder ${word} in a positional argument`);
    if (word.startsWith('-')) fail(`positional ${word} would be read as a flag`);
    if (p?.choices && !p.choices.includes(word)) fail(`positional ${word} is not one of ${p.choices.join('|')}`);
  }

  const words = [program, spec.name, ...positionals.map(shQuote)];
  for (const [name, flag] of Object.entries(spec.flags)) {
    const value = given[name];
    if (value === undefined) continue;
    if (flag.type === 'boolean') {
      if (value !== true) fail(`--${name} is a boolean flag: pass true`);
      words.push(`--${name}`);
      continue;
    }
    if (value === true) fail(`--${name} takes a value`);
    const values = typeof value === 'string' ? [value] : (value as readonly string[]);
    if (values.length > 1 && !flag.multiple) fail(`--${name} is not repeatable`);
    for (const v of values) {
      // parseArgs (strict) không nhận giá trị bắt đầu bằng "-" ở từ riêng; `--cờ=giá-trị` thì nhận.
      // Strict parseArgs refuses a separate value starting with "-"; `--flag=value` is accepted.
      words.push(v.startsWith('-') ? `--${name}=${shQuote(v)}` : `--${name} ${shQuote(v)}`);
    }
  }
  return words.join(' ');
}
