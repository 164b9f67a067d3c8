import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Command } from '../io.js';
import { UserError } from '../io.js';
import { helpText, type Bilingual } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { ROOT } from '../../common/root.js';
import { parseCommand, usageError } from '../args.js';
import { formatDiagnostic } from '../../compiler/diagnostics.js';
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
${kindHelp('vi')}`,
      en: `registry import: makes a unit registry (YAML) from a CSV spreadsheet (UTF-8, commas, the first
line naming the columns; in Excel: Save As… → "CSV UTF-8"). One unit a row; an empty cell is no value.
Every row is checked as \`chithi validate\` checks a registry; errors point at the CSV's file:line:column
(columns counted from 1). One bad row and nothing is written.

Columns (names in any case, in any order; only id and kind are required):
${columnHelp('en')}

Kinds of unit (kind):
${kindHelp('en')}`,
    },
    epilogue: {
      vi: `Ví dụ: chithi registry import tinh-2025.csv --out directives/registries/tinh-2025.yaml

Mã thoát: 0 đã tạo, 1 tệp CSV có lỗi (không ghi gì), 2 sai cách dùng.`,
      en: `Example: chithi registry import provinces-2025.csv --out directives/registries/provinces-2025.yaml

Exit codes: 0 made, 1 the CSV has errors (nothing written), 2 usage error.`,
    },
  }),
  async run(args, io) {
    const { values, positionals } = parseCommand(args, SPEC);
    if (positionals[0] !== 'import' || positionals.length !== 2) {
      throw usageError({ vi: 'Cách dùng: chithi registry import <tệp.csv> [--out <tệp.yaml>].', en: 'Usage: chithi registry import <file.csv> [--out <file.yaml>].' }, 'registry');
    }
    const csv = positionals[1]!;
    const id = values.id ?? idFromFileName(basename(csv));
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
    if (!r.ok) {
      const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
      io.stderr(io.lang === 'vi' ? `✗ ${csv}: ${errors} lỗi, không ghi gì\n` : `✗ ${csv}: ${errors} error(s), nothing written\n`);
      return 1;
    }
    const out = values.out === undefined ? undefined : resolve(io.cwd, values.out);
    // Dòng đầu cho VS Code (gợi ý và kiểm tra khi sửa), tính từ chỗ tệp được ghi (stdout: thư mục hiện tại).
    // The first line for VS Code (completion and checks while editing), relative to where the file goes (stdout: the working directory).
    const schema = relative(out ? dirname(out) : io.cwd, resolve(ROOT, 'compiler', 'schema', 'registry.schema.json')).split('\\').join('/');
    const text = [
      `# yaml-language-server: $schema=${schema}`,
      `# Tạo từ ${basename(csv)} bằng \`chithi registry import\`: sửa bảng tính rồi nhập lại.`,
      `# Made from ${basename(csv)} by \`chithi registry import\`: edit the spreadsheet and import again.`,
      r.yaml,
    ].join('\n');
    if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
      const mb = (Buffer.byteLength(text) / 1024 / 1024).toFixed(1);
      io.stderr(
        io.lang === 'vi'
          ? `✗ ${csv}: danh mục sẽ lớn ${mb} MB, quá 2 MB một tệp danh mục được phép; không ghi gì. Chia bảng tính thành nhiều tệp, nhập từng tệp, rồi gộp bằng \`include:\`.\n`
          : `✗ ${csv}: the registry would be ${mb} MB, over the 2 MB a registry file may be; nothing written. Split the spreadsheet, import each part, and join them with \`include:\`.\n`,
      );
      return 1;
    }
    const units = r.registry.units?.length ?? 0;
    if (out === undefined) io.stdout(text);
    else {
      await writeFile(out, text);
      io.stdout(io.lang === 'vi' ? `✓ ${csv}: ${units} đơn vị → ${values.out}\n` : `✓ ${csv}: ${units} units → ${values.out}\n`);
    }
    return 0;
  },
};
