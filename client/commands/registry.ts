import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Command, Io } from '../io.js';
import { UserError } from '../io.js';
import { helpText, type Bilingual } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { ROOT } from '../../common/root.js';
import { parseCommand, usageError } from '../args.js';
import { formatDiagnostic, type Diagnostic } from '../../compiler/diagnostics.js';
import { loadRegistry, registryText } from '../../compiler/registry.js';
import { MAX_FILE_BYTES } from '../../compiler/parse.js';
import { ATTRIBUTE_PREFIX, CSV_COLUMNS, idFromFileName, registryFromCsv } from '../../compiler/registry-csv.js';
import { UNIT_KINDS } from '../../compiler/unit-kinds.js';

const SPEC = COMMANDS['registry'];
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The columns as help lists them, one a line, from the table the import reads (compiler/registry-csv.ts). */
function columnHelp(lang: keyof Bilingual): string {
  const names = [...Object.keys(CSV_COLUMNS), `${ATTRIBUTE_PREFIX}<${lang === 'vi' ? 'tên' : 'name'}>`];
  const width = Math.max(...names.map((n) => n.length));
  const rows = Object.entries(CSV_COLUMNS).map(([name, c]) => `  ${name.padEnd(width)}   ${c.description[lang]}`);
  const attr = lang === 'vi' ? 'một thuộc tính (cho bộ chọn `attribute`); số và true/false được ghi thành số và đúng/sai' : 'an attribute (for `attribute` selectors); numbers and true/false are written as such';
  rows.push(`  ${names[names.length - 1]!.padEnd(width)}   ${attr}`);
  return rows.join('\n');
}

/** The kinds, one a line with its name (compiler/unit-kinds.ts). */
function kindHelp(lang: keyof Bilingual): string {
  const width = Math.max(...Object.keys(UNIT_KINDS).map((k) => k.length));
  return Object.entries(UNIT_KINDS)
    .map(([kind, name]) => `  ${kind.padEnd(width)}   ${name[lang]}`)
    .join('\n');
}

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `registry import: tạo danh mục đơn vị (YAML) từ một bảng tính CSV (UTF-8, dấu phẩy, dòng đầu là
tên cột; trong Excel: Lưu thành… → "CSV UTF-8"). Mỗi dòng một đơn vị; ô trống là không có giá trị.
Mọi dòng được kiểm như \`chithi validate\` kiểm danh mục; lỗi chỉ ra tệp:dòng:cột của CSV (cột đếm
từ 1). Có một dòng sai thì không ghi gì.

Các cột (tên cột không phân biệt hoa thường; thứ tự tùy ý; chỉ id và kind là bắt buộc):
${columnHelp('vi')}

Loại đơn vị (kind):
${kindHelp('vi')}

registry merge: in (hoặc ghi) danh mục cùng mọi tệp nó gộp (\`include:\`) thành một tệp, sau khi kiểm
như \`chithi validate\`: để tải lên cổng thông tin, nơi danh mục tải lên không gộp được tệp khác.`,
      en: `registry import: makes a unit registry (YAML) from a CSV spreadsheet (UTF-8, commas, the first
line naming the columns; in Excel: Save As… → "CSV UTF-8"). One unit a row; an empty cell is no value.
Every row is checked as \`chithi validate\` checks a registry; errors point at the CSV's file:line:column
(columns counted from 1). One bad row and nothing is written.

Columns (names in any case, in any order; only id and kind are required):
${columnHelp('en')}

Kinds of unit (kind):
${kindHelp('en')}

registry merge: prints (or writes) a registry and every file it includes (\`include:\`) as one file,
once checked as \`chithi validate\` checks it: to upload it on the portal, where an uploaded registry
cannot include other files.`,
    },
    epilogue: {
      vi: `Ví dụ: chithi registry import tinh-2025.csv --out directives/registries/tinh-2025.yaml

Mã thoát: 0 đã tạo, 1 tệp có lỗi (không ghi gì), 2 sai cách dùng.`,
      en: `Example: chithi registry import provinces-2025.csv --out directives/registries/provinces-2025.yaml

Exit codes: 0 made, 1 the file has errors (nothing written), 2 usage error.`,
    },
  }),
  async run(args, io) {
    const { values, positionals } = parseCommand(args, SPEC);
    const [action, file] = positionals;
    if ((action !== 'import' && action !== 'merge') || file === undefined) {
      throw usageError({ vi: 'Cách dùng: chithi registry import <tệp.csv> | merge <tệp.yaml> [--out <tệp.yaml>].', en: 'Usage: chithi registry import <file.csv> | merge <file.yaml> [--out <file.yaml>].' }, 'registry');
    }
    if (action === 'merge' && values.id !== undefined) throw usageError({ vi: '--id chỉ dùng với import.', en: '--id is for import only.' }, 'registry');
    const made = action === 'import' ? await importCsv(file, values.id, io) : await merge(file, io);
    if (!made) return 1;
    const out = values.out === undefined ? undefined : resolve(io.cwd, values.out);
    // Dòng đầu cho VS Code (gợi ý và kiểm tra khi sửa), tính từ chỗ tệp được ghi (stdout: thư mục hiện tại).
    // The first line for VS Code (completion and checks while editing), relative to where the file goes (stdout: the working directory).
    const schema = relative(out ? dirname(out) : io.cwd, resolve(ROOT, 'compiler', 'schema', 'registry.schema.json')).split('\\').join('/');
    const text = [`# yaml-language-server: $schema=${schema}`, ...made.header, made.yaml].join('\n');
    if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
      const mb = (Buffer.byteLength(text) / 1024 / 1024).toFixed(1);
      io.stderr(
        io.lang === 'vi'
          ? `✗ ${file}: danh mục sẽ lớn ${mb} MB, quá 2 MB một tệp danh mục được phép; không ghi gì. Chia thành nhiều tệp và gộp bằng \`include:\`.\n`
          : `✗ ${file}: the registry would be ${mb} MB, over the 2 MB a registry file may be; nothing written. Split it into files joined with \`include:\`.\n`,
      );
      return 1;
    }
    if (out === undefined) io.stdout(text);
    else {
      await writeFile(out, text);
      io.stdout(io.lang === 'vi' ? `✓ ${file}: ${made.units} đơn vị → ${values.out}\n` : `✓ ${file}: ${made.units} units → ${values.out}\n`);
    }
    return 0;
  },
};

/** A registry made, before its schema line: its own header comments, the YAML, how many units. */
interface Made {
  header: string[];
  yaml: string;
  units: number;
}

function failed(file: string, diagnostics: readonly Diagnostic[], io: Io): null {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  io.stderr(io.lang === 'vi' ? `✗ ${file}: ${errors} lỗi, không ghi gì\n` : `✗ ${file}: ${errors} error(s), nothing written\n`);
  return null;
}

async function importCsv(csv: string, givenId: string | undefined, io: Io): Promise<Made | null> {
  const id = givenId ?? idFromFileName(basename(csv));
  if (id === null || !ID.test(id)) {
    throw usageError({ vi: `--id cần một mã (chữ thường không dấu, số, dấu gạch ngang), ví dụ vn-tinh-2025 (nhận được: ${id ?? ''}).`, en: `--id takes an id (lower-case letters, digits, dashes), e.g. vn-provinces-2025 (got: ${id ?? ''}).` }, 'registry');
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(io.cwd, csv));
  } catch (err) {
    throw new UserError({ vi: `Không đọc được ${csv}: ${(err as Error).message}`, en: `Cannot read ${csv}: ${(err as Error).message}` }, 1, { cause: err });
  }
  const r = registryFromCsv(bytes, { file: csv, id });
  for (const d of r.diagnostics) io.stderr(formatDiagnostic(d, io.lang) + '\n');
  if (!r.ok) return failed(csv, r.diagnostics, io);
  return {
    header: [`# Tạo từ ${basename(csv)} bằng \`chithi registry import\`: sửa bảng tính rồi nhập lại.`, `# Made from ${basename(csv)} by \`chithi registry import\`: edit the spreadsheet and import again.`],
    yaml: r.yaml,
    units: r.registry.units?.length ?? 0,
  };
}

async function merge(file: string, io: Io): Promise<Made | null> {
  const r = await loadRegistry(resolve(io.cwd, file), file);
  for (const d of r.diagnostics) io.stderr(formatDiagnostic(d, io.lang) + '\n');
  if (!r.ok) return failed(file, r.diagnostics, io);
  return {
    header: [`# Gộp bằng \`chithi registry merge ${file}\`: sửa các tệp gốc rồi gộp lại. / Merged by \`chithi registry merge ${file}\`: edit the files it was made from and merge again.`],
    yaml: registryText(r.registry).replace(/^# yaml-language-server:.*\n/, ''),
    units: r.registry.units.size,
  };
}
