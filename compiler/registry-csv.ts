/**
 * Bảng tính (CSV) → danh mục đơn vị (YAML), cho `chithi registry import`: danh mục cấp quốc gia có
 * hàng trăm, hàng nghìn đơn vị, thường đã có sẵn trong một bảng tính, không ai nên gõ lại bằng tay.
 * A spreadsheet (CSV) → a unit registry (YAML), for `chithi registry import`: a national registry has
 * hundreds or thousands of units, usually in a spreadsheet already, and nobody should type them again.
 *
 * Mỗi dòng được kiểm bằng chính các phép kiểm của `chithi validate` (lược đồ và ngữ nghĩa, trên YAML
 * sinh ra), rồi lỗi được chỉ về dòng và cột của tệp CSV; có một dòng sai thì không sinh gì.
 * Every row is checked by `chithi validate`'s own checks (schema and semantics, on the YAML made from
 * it), each error pointed back at the CSV's line and column; one bad row and nothing is produced.
 */
import { parse as parseCsv, type InfoRecord } from 'csv-parse/sync';
import { Document, isMap, isSeq } from 'yaml';
import type { Bilingual } from '../common/cli-spec.js';
import type { ChithiUnitRegistry, Unit } from './schema/registry.generated.js';
import { diag, hasErrors, sortDiagnostics } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { suggestion } from './did-you-mean.js';
import { parseYamlText } from './parse.js';
import { locate } from './positions.js';
import type { JsonPath } from './positions.js';
import { buildRegistry } from './registry.js';
import { validateSchema } from './schema-validate.js';
import { checkRegistry } from './semantics/registry.js';

/** One column of the CSV: where its value goes in a unit, and what it holds (for `--help` and the docs). */
interface Column {
  path: JsonPath;
  required?: true;
  description: Bilingual;
}

/** The columns, in the order help lists them. Names are lower case; the header may use any case. */
export const CSV_COLUMNS: Readonly<Record<string, Column>> = {
  id: { path: ['id'], required: true, description: { vi: 'mã đơn vị (chữ thường không dấu, số, dấu gạch ngang), bắt buộc', en: 'unit id (lower-case letters, digits, dashes), required' } },
  name: { path: ['name', 'vi'], description: { vi: 'tên tiếng Việt', en: 'Vietnamese name' } },
  name_en: { path: ['name', 'en'], description: { vi: 'tên tiếng Anh (cần có tên tiếng Việt)', en: 'English name (needs the Vietnamese one)' } },
  kind: { path: ['kind'], required: true, description: { vi: 'loại đơn vị, bắt buộc (danh sách bên dưới)', en: 'kind of unit, required (listed below)' } },
  parent: { path: ['parent'], description: { vi: 'mã đơn vị cấp trên', en: 'id of the unit it belongs to' } },
  head: { path: ['head'], description: { vi: 'mã đơn vị đứng cho thủ trưởng (assignee.head), vd. chu-tich-ubnd', en: 'id of the unit standing for its head (assignee.head), e.g. chu-tich-ubnd' } },
  email: { path: ['email'], description: { vi: 'một địa chỉ thư điện tử', en: 'one e-mail address' } },
  tags: { path: ['tags'], description: { vi: 'nhãn, cách nhau bởi dấu cách hoặc ;', en: 'tags, separated by spaces or ;' } },
  succeeded_by: { path: ['succeededBy', 'unit'], description: { vi: 'mã đơn vị kế thừa (sáp nhập), cùng succeeded_on', en: 'id of the successor (merger), with succeeded_on' } },
  succeeded_on: { path: ['succeededBy', 'on'], description: { vi: 'ngày kế thừa có hiệu lực, YYYY-MM-DD', en: 'date the succession takes effect, YYYY-MM-DD' } },
  dissolved_on: { path: ['dissolved', 'on'], description: { vi: 'ngày giải thể, YYYY-MM-DD', en: 'date the unit is dissolved, YYYY-MM-DD' } },
  note: { path: ['note'], description: { vi: 'ghi chú', en: 'note' } },
};

/** `attr.<tên>`: one column per attribute, for `attribute` selectors. */
export const ATTRIBUTE_PREFIX = 'attr.';

export interface CsvImportOptions {
  /** The CSV's name in diagnostics. */
  file: string;
  /** The registry's `metadata.id`. */
  id: string;
}

export type CsvImportResult = { ok: true; registry: ChithiUnitRegistry; yaml: string; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

interface Cell {
  path: JsonPath;
  /** 1-based column number in the CSV. */
  column: number;
  header: string;
}

interface Row {
  line: number;
  unit: Record<string, unknown>;
  cells: Cell[];
}

const at = (line: number, column = 1) => ({ line, column });

/**
 * `"12"` → 12 and `"true"` → true, as a registry writes them (an `attribute: { gte: 100 }` selector
 * compares numbers); a value a number would change (`"007"`, `"1e3"`) stays text.
 */
function attributeValue(raw: string): string | number | boolean {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(raw) && String(Number(raw)) === raw) return Number(raw);
  return raw;
}

function setPath(target: Record<string, unknown>, path: JsonPath, value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}

/**
 * The line a record starts on. csv-parse counts the line a record ends on (`info.lines`); its raw
 * text holds the blank lines skipped before it and the line breaks inside quoted cells.
 */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^\n+/, '');
  const breaks = (body.match(/\n/g) ?? []).length - (body.endsWith('\n') ? 1 : 0);
  return endLine - breaks;
}

export function registryFromCsv(bytes: Buffer, options: CsvImportOptions): CsvImportResult {
  const { file } = options;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      ok: false,
      diagnostics: [
        diag(file, at(1), 'invalid-utf8', { vi: 'tệp không phải UTF-8 hợp lệ', en: 'file is not valid UTF-8' }, {
          vi: 'trong Excel: Lưu thành… → "CSV UTF-8 (Comma delimited)"; không dùng TCVN3/VNI hay Windows-1258',
          en: 'in Excel: Save As… → "CSV UTF-8 (Comma delimited)"; not TCVN3/VNI or Windows-1258',
        }),
      ],
    };
  }
  // Dòng kết thúc bằng CRLF (Excel trên Windows) về LF, để đếm dòng như trình soạn thảo.
  // CRLF line ends (Excel on Windows) become LF, so lines are counted as an editor counts them.
  text = text.replace(/\r\n?/g, '\n');

  let records: { record: string[]; info: InfoRecord; raw: string }[];
  try {
    // csv-parse's types do not model the records `info` and `raw` make.
    records = parseCsv(text, { bom: true, info: true, raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as { code?: string; lines?: number; message?: string };
    const quote = err.code === 'CSV_QUOTE_NOT_CLOSED' || err.code === 'CSV_INVALID_CLOSING_QUOTE';
    return {
      ok: false,
      diagnostics: [
        diag(
          file,
          at(err.lines ?? 1),
          'csv-syntax',
          quote
            ? { vi: 'dấu nháy kép (") không được đóng đúng chỗ', en: 'a double quote (") is not closed where it should be' }
            : { vi: `không đọc được tệp CSV: ${err.message ?? ''}`, en: `cannot read the CSV: ${err.message ?? ''}` },
          {
            vi: 'ô có dấu phẩy hoặc xuống dòng phải nằm trong "…"; dấu " trong ô viết thành ""',
            en: 'a cell holding a comma or a line break goes in "…"; a " inside it is written ""',
          },
        ),
      ],
    };
  }
  const content = records.filter((r) => r.record.some((cell) => cell.trim() !== ''));
  const header = content[0];
  if (!header) {
    return { ok: false, diagnostics: [diag(file, at(1), 'csv-column', { vi: 'tệp CSV rỗng', en: 'the CSV is empty' }, { vi: `dòng đầu là tên cột: ${Object.keys(CSV_COLUMNS).join(',')}`, en: `the first line names the columns: ${Object.keys(CSV_COLUMNS).join(',')}` })] };
  }

  const diagnostics: Diagnostic[] = [];
  const headerLine = startLine(header.info.lines, header.raw);
  const columns: (Cell | null)[] = [];
  const seen = new Map<string, number>();
  header.record.forEach((rawName, i) => {
    const name = rawName.trim().toLowerCase();
    const column = i + 1;
    const known = Object.hasOwn(CSV_COLUMNS, name);
    // An attribute keeps its name's case: selectors name it as the registry writes it.
    const attribute = name.startsWith(ATTRIBUTE_PREFIX) ? rawName.trim().slice(ATTRIBUTE_PREFIX.length) : null;
    const where = at(headerLine, column);
    if (seen.has(name)) {
      diagnostics.push(diag(file, where, 'csv-column', { vi: `cột \`${name}\` có hai lần (cột ${seen.get(name)} và ${column})`, en: `column \`${name}\` appears twice (columns ${seen.get(name)} and ${column})` }, { vi: 'bỏ một cột', en: 'remove one of them' }));
      columns.push(null);
      return;
    }
    seen.set(name, column);
    if (known) columns.push({ path: CSV_COLUMNS[name]!.path, column, header: name });
    else if (attribute) columns.push({ path: ['attributes', attribute], column, header: name });
    else {
      const s = suggestion(name, Object.keys(CSV_COLUMNS));
      diagnostics.push(
        diag(file, where, 'csv-column', { vi: `không có cột \`${rawName}\`${s.vi}`, en: `no column \`${rawName}\`${s.en}` }, {
          vi: `các cột: ${Object.keys(CSV_COLUMNS).join(', ')}, và ${ATTRIBUTE_PREFIX}<tên> cho mỗi thuộc tính`,
          en: `the columns are ${Object.keys(CSV_COLUMNS).join(', ')}, and ${ATTRIBUTE_PREFIX}<name> for each attribute`,
        }),
      );
      columns.push(null);
    }
  });
  for (const [name, c] of Object.entries(CSV_COLUMNS)) {
    if (c.required && !seen.has(name)) {
      diagnostics.push(diag(file, at(headerLine), 'csv-column', { vi: `thiếu cột \`${name}\``, en: `missing column \`${name}\`` }, { vi: `thêm cột \`${name}\` vào dòng tên cột`, en: `add a \`${name}\` column to the header line` }));
    }
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };

  const rows: Row[] = [];
  for (const r of content.slice(1)) {
    const line = startLine(r.info.lines, r.raw);
    if (r.record.length !== columns.length) {
      diagnostics.push(
        diag(file, at(line, Math.min(r.record.length, columns.length) + 1), 'csv-field-count', { vi: `dòng có ${r.record.length} ô, dòng tên cột có ${columns.length}`, en: `the row has ${r.record.length} cells, the header ${columns.length}` }, {
          vi: 'ô có dấu phẩy phải nằm trong "…"; ô trống vẫn cần dấu phẩy của nó',
          en: 'a cell holding a comma goes in "…"; an empty cell still needs its comma',
        }),
      );
      continue;
    }
    const unit: Record<string, unknown> = {};
    const cells: Cell[] = [];
    r.record.forEach((raw, i) => {
      const column = columns[i]!;
      const value = raw.trim();
      if (value === '') return;
      const name = column.header;
      if (name === 'tags') setPath(unit, column.path, value.split(/[\s;,]+/).filter((t) => t !== ''));
      else if (column.path[0] === 'attributes') setPath(unit, column.path, attributeValue(value));
      else setPath(unit, column.path, value);
      cells.push(column);
    });
    for (const [name, c] of Object.entries(CSV_COLUMNS)) {
      if (c.required && unit[name] === undefined) {
        const column = columns.findIndex((col) => col?.header === name) + 1;
        diagnostics.push(diag(file, at(line, column), 'missing-property', { vi: `ô \`${name}\` (cột ${column}) trống`, en: `\`${name}\` (column ${column}) is empty` }, { vi: 'mỗi đơn vị cần mã và loại', en: 'every unit needs an id and a kind' }));
      }
    }
    // Cặp cột kế thừa: thiếu một nửa thì YAML sinh ra thiếu trường, lỗi nói về `succeededBy`; nói về cột ở đây.
    // The succession pair: half of it would be a missing field the schema reports as `succeededBy`; say it in columns here.
    const succession = unit.succeededBy as { unit?: string; on?: string } | undefined;
    if (succession && (succession.unit === undefined || succession.on === undefined)) {
      const missing = succession.unit === undefined ? 'succeeded_by' : 'succeeded_on';
      const column = columns.findIndex((col) => col?.header === missing) + 1;
      diagnostics.push(
        diag(file, at(line, column || 1), 'missing-property', { vi: `thiếu \`${missing}\`: kế thừa cần cả đơn vị kế thừa và ngày`, en: `\`${missing}\` is missing: a succession needs both the successor and the date` }, {
          vi: 'điền cả succeeded_by và succeeded_on, hoặc để trống cả hai',
          en: 'fill in both succeeded_by and succeeded_on, or neither',
        }),
      );
    }
    const name = unit.name as { vi?: string } | undefined;
    if (name && name.vi === undefined) {
      const column = columns.findIndex((col) => col?.header === 'name_en') + 1;
      diagnostics.push(diag(file, at(line, column), 'missing-property', { vi: 'có tên tiếng Anh mà không có tên tiếng Việt', en: 'an English name without the Vietnamese one' }, { vi: 'điền cột `name`', en: 'fill in the `name` column' }));
    }
    rows.push({ line, unit, cells });
  }
  if (rows.length === 0 && diagnostics.length === 0) {
    diagnostics.push(diag(file, at(headerLine), 'csv-field-count', { vi: 'tệp CSV chỉ có dòng tên cột, không có đơn vị nào', en: 'the CSV has a header line and no unit' }, { vi: 'mỗi đơn vị một dòng dưới dòng tên cột', en: 'one unit per line under the header' }));
  }
  if (hasErrors(diagnostics)) return { ok: false, diagnostics: sortDiagnostics(diagnostics) };

  // Trùng mã: báo bằng dòng CSV ở đây (phép kiểm chung nói "dòng N" của YAML sinh ra).
  // Duplicate ids, told in CSV lines here (the shared check would name a line of the generated YAML).
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const id = row.unit.id as string;
    const first = firstLine.get(id);
    const column = columns.findIndex((col) => col?.header === 'id') + 1;
    if (first !== undefined) {
      diagnostics.push(diag(file, at(row.line, column), 'duplicate-id', { vi: `mã đơn vị \`${id}\` bị trùng`, en: `duplicate unit id \`${id}\`` }, { vi: `đã có ở dòng ${first}`, en: `first on line ${first}` }));
    } else firstLine.set(id, row.line);
  }

  const registry = { apiVersion: 'chithi/v1', kind: 'UnitRegistry', metadata: { id: options.id }, units: rows.map((r) => r.unit as unknown as Unit) } as ChithiUnitRegistry;
  const yaml = toYaml(registry);
  diagnostics.push(...checkYaml(yaml, rows, file));
  if (hasErrors(diagnostics)) return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
  return { ok: true, registry, yaml, diagnostics: sortDiagnostics(diagnostics) };
}

/** Một đơn vị vài dòng, như các danh mục viết tay: tên, kế thừa, nhãn, thuộc tính viết gọn trên một dòng. / A few lines a unit, as hand-written registries are: names, succession, tags and attributes inline. */
function toYaml(registry: ChithiUnitRegistry): string {
  const doc = new Document(registry);
  const units = doc.get('units');
  if (isSeq(units)) {
    for (const unit of units.items) {
      if (!isMap(unit)) continue;
      for (const key of ['name', 'tags', 'attributes', 'succeededBy', 'dissolved']) {
        const node = unit.get(key, true);
        if (isMap(node) || isSeq(node)) node.flow = true;
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * `chithi validate`'s checks on the generated YAML, each diagnostic moved to the CSV row of the unit
 * it is about and the column of the value at its line ("column 4 (kind): …").
 */
function checkYaml(yaml: string, rows: readonly Row[], file: string): Diagnostic[] {
  const parsed = parseYamlText(yaml, 'import.yaml');
  if (!parsed.ok) return parsed.diagnostics.map((d) => ({ ...d, file, line: 1, column: 1 }));
  const schema = validateSchema(parsed.parsed, 'registry');
  const found = schema.diagnostics.length > 0 ? schema.diagnostics : checkRegistry(buildRegistry([parsed.parsed]));
  // Where each unit, and each of its values, is in the YAML.
  const starts = rows.map((_, i) => locate(parsed.parsed, ['units', i]).line);
  const cellsAt = rows.map((row, i) => row.cells.map((c) => ({ ...locate(parsed.parsed, ['units', i, ...c.path]), cell: c })));
  const out: Diagnostic[] = [];
  for (const d of found) {
    if (d.code === 'duplicate-id') continue; // told in CSV lines already
    let i = starts.length - 1;
    while (i > 0 && starts[i]! > d.line) i--;
    const row = rows[i];
    if (!row || d.line < starts[0]!) {
      out.push({ ...d, file, line: 1, column: 1 });
      continue;
    }
    // The value the diagnostic points into: the last one starting at or before it.
    const before = (c: { line: number; column: number }) => c.line < d.line || (c.line === d.line && c.column <= d.column);
    const cell = cellsAt[i]!.filter(before).sort((a, b) => b.line - a.line || b.column - a.column)[0]?.cell ?? row.cells[0]!;
    out.push({
      ...d,
      file,
      line: row.line,
      column: cell.column,
      message: { vi: `cột ${cell.column} (${cell.header}): ${d.message.vi}`, en: `column ${cell.column} (${cell.header}): ${d.message.en}` },
    });
  }
  return out;
}

/** `metadata.id` from a file name: `Danh mục tỉnh 2025.csv` → `danh-muc-tinh-2025`; null when nothing is left. */
export function idFromFileName(name: string): string | null {
  const id = name
    .replace(/\.[^.]*$/, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return id === '' ? null : id;
}
