/**
 * Lỗi cú pháp của thư viện yaml, dịch sang tiếng Việt và tiếng Anh, kèm cách sửa cụ thể (thường là
 * chính dòng đã sửa) và vị trí nơi người viết cần sửa, không phải nơi trình đọc dừng lại.
 * The yaml package's syntax errors (YAMLParseError.code plus its message), put in words a policy
 * officer can act on, in Vietnamese and English, with the concrete fix (often the corrected line)
 * and the position where the fix goes, which is not always where the parser gave up (an unclosed
 * quote is reported at the end of the file; we point at the quote).
 *
 * Why not just the raw message: "Nested mappings are not allowed in compact mappings" is what a
 * `note:` with ": " in it produces, and it says nothing to someone who does not know YAML. Codes
 * are the yaml package's (yaml 2.x `ErrorCode`); one we do not know keeps its raw text, under the
 * stable code `yaml-syntax`, with its position and a Vietnamese sentence around it.
 */
import { isMap, isPair, isScalar, visit } from 'yaml';
import type { CST, Document, LineCounter, YAMLError } from 'yaml';
import type { Bilingual } from '../common/cli-spec.js';
import { diag } from './diagnostics.js';
import type { Diagnostic, DiagnosticCode } from './diagnostics.js';
import { offsetToPosition } from './positions.js';

export interface YamlErrorContext {
  file: string;
  text: string;
  lineCounter: LineCounter;
  tokens: readonly CST.Token[];
  doc: Document.Parsed;
}

export const MAX_EXPLAINED = 20;

const STRUCTURAL: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  'yaml-tab-indent',
  'yaml-bad-indent',
  'yaml-unclosed-quote',
  'yaml-unclosed-bracket',
  'yaml-list-in-mapping',
  'yaml-missing-colon',
  'yaml-syntax',
]);

interface Explained {
  code: DiagnosticCode;
  /** Offset the diagnostic points at. */
  at: number;
  message: Bilingual;
  hint: Bilingual;
}

/**
 * Một chẩn đoán cho mỗi dòng có lỗi: thư viện thường báo hai ba lỗi dây chuyền cho cùng một nguyên nhân.
 * One diagnostic per line: the parser often reports two or three errors for one cause (a list item
 * among keys is also "multiline implicit key" and "implicit key without value"); the first is the
 * one that names the cause.
 */
export function yamlSyntaxDiagnostics(errors: readonly YAMLError[], ctx: YamlErrorContext): Diagnostic[] {
  const seen = new Set<number>();
  const out: Diagnostic[] = [];
  for (const e of [...errors].sort((a, b) => a.pos[0] - b.pos[0])) {
    // Mỗi lời giải thích có thể đọc lại cả tệp: giới hạn số lỗi để tệp độc hại không làm chậm.
    // Each explanation may scan the file once: a bound keeps a hostile file with thousands of
    // errors linear; past the first few, the rest are mostly consequences of those anyway.
    if (out.length >= MAX_EXPLAINED) break;
    const x = explain(e, ctx);
    const from = offsetToPosition(ctx.lineCounter, e.pos[0]).line;
    const pos = offsetToPosition(ctx.lineCounter, x.at);
    // Both lines count: an explanation may point elsewhere (the next line, an opening quote).
    if (seen.has(from) || seen.has(pos.line)) continue;
    seen.add(from).add(pos.line);
    out.push(diag(ctx.file, pos, x.code, x.message, x.hint));
    // Sau một lỗi cấu trúc (thụt lề, nháy hay ngoặc chưa đóng), trình đọc hiểu sai các dòng phía dưới.
    // After a broken structure (indentation, an unclosed quote or bracket) the parser misreads the
    // lines below it, and its later errors blame lines that are right: fix this one, run again.
    if (STRUCTURAL.has(x.code)) break;
  }
  return out;
}

/** `Unresolved alias … : name`, thrown by toJS: pointed at the `*name` that uses it. */
export function unknownAliasDiagnostic(message: string, ctx: Omit<YamlErrorContext, 'tokens'>): Diagnostic | null {
  const m = /Unresolved alias[^:]*: (.+)$/.exec(message.split('\n')[0]!);
  if (!m) return null;
  const name = m[1]!.trim();
  let at = 0;
  visit(ctx.doc, {
    Alias(_, node) {
      if (node.source === name && node.range) {
        at = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return diag(
    ctx.file,
    offsetToPosition(ctx.lineCounter, at),
    'yaml-unknown-alias',
    { vi: `bí danh \`*${name}\` chưa được khai báo bằng \`&${name}\` ở phía trên`, en: `alias \`*${name}\` has no \`&${name}\` anchor above it` },
    {
      vi: `đặt \`&${name}\` trước giá trị cần dùng lại (phía trên dòng này), hoặc viết thẳng giá trị thay cho \`*${name}\`; nếu \`*\` là một phần của văn bản, hãy đặt văn bản trong dấu nháy`,
      en: `put \`&${name}\` before the value to reuse (above this line), or write the value out instead of \`*${name}\`; if \`*\` is part of the text, put the text in quotes`,
    },
  );
}

function explain(e: YAMLError, ctx: YamlErrorContext): Explained {
  const at = e.pos[0];
  const raw = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (e.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (/Nested mappings/.test(raw)) return colonInText(ctx, at) ?? indentedKey(ctx, at) ?? unknown(e, raw);
      return listAmongKeys(ctx, at);
    case 'BLOCK_IN_FLOW':
      return colonInFlow(ctx, at);
    case 'TAB_AS_INDENT':
      return {
        code: 'yaml-tab-indent',
        at,
        message: { vi: 'dòng này thụt lề bằng ký tự tab', en: 'this line is indented with a tab' },
        hint: {
          vi: 'YAML chỉ nhận dấu cách để thụt lề: thay tab bằng dấu cách (2 dấu cách mỗi cấp); trong VS Code: lệnh “Convert Indentation to Spaces”',
          en: 'YAML indents with spaces only: replace the tab with spaces (2 per level); in VS Code: “Convert Indentation to Spaces”',
        },
      };
    case 'MISSING_CHAR':
      if (/^Missing closing .quote/.test(raw)) return unclosedQuote(ctx, at, raw.includes('"') ? '"' : "'");
      if (/^Implicit map keys need to be followed by map values/.test(raw)) return missingColon(ctx, at);
      if (/^Comments must be separated/.test(raw)) return commentSpacing(at);
      if (/^Flow (map|sequence) must end with/.test(raw)) return unclosedBracket(ctx, at, raw);
      if (/^Sequence item without - indicator/.test(raw)) return missingDash(ctx, at);
      return unknown(e, raw);
    case 'MULTILINE_IMPLICIT_KEY':
      return missingColon(ctx, at);
    case 'BAD_INDENT':
      if (/^Flow (map|sequence)/.test(raw)) return unclosedBracket(ctx, at, raw);
      if (/must start at the same column/.test(raw)) return badIndent(ctx, at);
      return unknown(e, raw);
    case 'DUPLICATE_KEY':
      return duplicateKey(ctx, at);
    case 'BAD_SCALAR_START': {
      const ch = ctx.text[at] ?? '';
      const fix = quotedLine(ctx, at);
      return {
        code: 'yaml-reserved-start',
        at,
        message: { vi: `văn bản không được bắt đầu bằng \`${ch}\` nếu không có dấu nháy`, en: `unquoted text cannot start with \`${ch}\`` },
        hint: fix
          ? { vi: `đặt văn bản trong dấu nháy: \`${fix}\``, en: `put the text in quotes: \`${fix}\`` }
          : { vi: 'đặt văn bản trong dấu nháy kép', en: 'put the text in double quotes' },
      };
    }
    case 'BAD_DQ_ESCAPE':
      return {
        code: 'yaml-bad-escape',
        at,
        message: { vi: 'trong dấu nháy kép, `\\` bắt đầu một chuỗi thoát không hợp lệ ở đây', en: 'inside double quotes, `\\` starts an invalid escape here' },
        hint: {
          vi: 'viết `\\\\` cho một dấu gạch chéo ngược, hoặc dùng dấu nháy đơn (\'C:\\Thu muc\') để `\\` giữ nguyên',
          en: "write `\\\\` for one backslash, or use single quotes ('C:\\Folder') where `\\` is kept as is",
        },
      };
    case 'UNEXPECTED_TOKEN':
      if (/at node end/.test(raw) && /["']\s*$/.test(ctx.text.slice(lineStartOf(ctx, at), at))) return textAfterQuote(ctx, at);
      return unknown(e, raw);
    default:
      return unknown(e, raw);
  }
}

function unknown(e: YAMLError, raw: string): Explained {
  return {
    code: 'yaml-syntax',
    at: e.pos[0],
    message: { vi: `lỗi cú pháp YAML (trình đọc YAML báo: “${raw}”)`, en: `YAML syntax error: ${raw}` },
    hint: {
      vi: 'kiểm tra thụt lề (chỉ dấu cách, các khóa cùng cấp thẳng cột), dấu hai chấm sau mỗi khóa, và các dấu nháy, ngoặc đã đóng; văn bản có ký tự đặc biệt thì đặt trong dấu nháy kép',
      en: 'check the indentation (spaces only, keys of one level in one column), a colon after each key, and that quotes and brackets are closed; put text with special characters in double quotes',
    },
  };
}

// ---- lines and offsets ----

function lineStartOf(ctx: YamlErrorContext, offset: number): number {
  const starts = ctx.lineCounter.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return starts[lo] ?? 0;
}

function lineEndOf(ctx: YamlErrorContext, offset: number): number {
  const nl = ctx.text.indexOf('\n', offset);
  const end = nl === -1 ? ctx.text.length : nl;
  return ctx.text[end - 1] === '\r' ? end - 1 : end;
}

function lineNumber(ctx: YamlErrorContext, offset: number): number {
  return offsetToPosition(ctx.lineCounter, offset).line;
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

/** The next line that is neither blank nor a comment, from the line after `offset`'s. */
function nextContentLine(ctx: YamlErrorContext, offset: number): { start: number; text: string } | null {
  let start = lineEndOf(ctx, offset);
  while (start < ctx.text.length) {
    start = ctx.text.indexOf('\n', start);
    if (start === -1) return null;
    start++;
    const text = ctx.text.slice(start, lineEndOf(ctx, start));
    if (text.trim() !== '' && !text.trim().startsWith('#')) return { start, text };
  }
  return null;
}

/** The nearest line above the one starting at `lineStart` that is neither blank nor a comment. */
function previousContentLine(ctx: YamlErrorContext, lineStart: number): { start: number; text: string } | null {
  let p = lineStart;
  while (p > 0) {
    const start = lineStartOf(ctx, p - 1);
    const text = ctx.text.slice(start, lineEndOf(ctx, start));
    if (text.trim() !== '' && !text.trim().startsWith('#')) return { start, text };
    p = start;
  }
  return null;
}

/** Text in YAML quotes: double unless it holds a `"` and no `'`. */
function quote(s: string): string {
  if (s.includes('"') && !s.includes("'")) return `'${s}'`;
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Dòng đã sửa: phần văn bản từ `from` đến hết dòng (trừ chú thích `#`) đặt trong dấu nháy.
 * The line with its text from `from` to the end (a ` # comment` kept outside) quoted, without
 * its indentation, as the hint shows it.
 */
function quotedLine(ctx: YamlErrorContext, from: number, to?: number): string | null {
  const start = lineStartOf(ctx, from);
  const end = to ?? lineEndOf(ctx, from);
  const line = ctx.text.slice(start, lineEndOf(ctx, from));
  const rest = ctx.text.slice(from, end);
  const m = /^(.*?)(\s+#.*)?$/.exec(rest)!;
  const body = m[1]!.trimEnd();
  if (body === '') return null;
  const fixed = line.slice(0, from - start) + quote(body) + (m[2] ?? '') + line.slice(end - start);
  return fixed.trim();
}

// ---- the cases ----

/**
 * `note: Hạn: 30/11 theo văn bản`: the second ": " makes YAML read a key inside the value. The
 * fix is quotes around the text: from the value when the key before it is one of ours (an
 * identifier), else from the start of the item, whose "key" was part of the text all along
 * (`- Bước 1: rà soát: xong`).
 */
function colonInText(ctx: YamlErrorContext, at: number): Explained | null {
  const rest = ctx.text.slice(at, lineEndOf(ctx, at)).replace(/\s+#.*$/, '');
  if (!/:(\s|$)/.test(rest)) return null;
  const start = lineStartOf(ctx, at);
  const prefix = ctx.text.slice(start, at);
  const m = /^(\s*(?:-\s+)*)(.*?):\s+$/.exec(prefix);
  const from = m && !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(m[2]!) ? start + m[1]!.length : at;
  const fixed = quotedLine(ctx, from);
  const next = nextContentLine(ctx, at);
  const continues = next !== null && indentOf(next.text) > indentOf(prefix) && !/^\s*-\s/.test(next.text) && !/^\s*[A-Za-z_][A-Za-z0-9_-]*:(\s|$)/.test(next.text);
  const more = continues
    ? { vi: '; văn bản tiếp tục ở các dòng dưới thì đóng dấu nháy ở cuối dòng cuối cùng của nó', en: '; if the text goes on over the next lines, close the quote at the end of its last line' }
    : { vi: '', en: '' };
  return {
    code: 'yaml-colon-in-text',
    at: from,
    message: {
      vi: 'văn bản có dấu hai chấm và dấu cách (`: `) nên YAML hiểu nhầm phần trước nó là một khóa',
      en: 'the text contains a colon and a space (`: `), which YAML reads as the start of another key',
    },
    hint: fixed
      ? { vi: `đặt cả đoạn văn bản trong dấu nháy kép: \`${fixed}\`${more.vi}`, en: `put the text in quotes: \`${fixed}\`${more.en}` }
      : { vi: `đặt cả đoạn văn bản trong dấu nháy kép${more.vi}`, en: `put the text in double quotes${more.en}` },
  };
}

/**
 * The same parser message when the ": " is not on this line: the next line is indented further
 * than this line's key, so YAML reads it as the continuation of this line's value.
 */
function indentedKey(ctx: YamlErrorContext, at: number): Explained | null {
  const next = nextContentLine(ctx, at);
  if (!next) return null;
  const start = lineStartOf(ctx, at);
  const line = ctx.text.slice(start, lineEndOf(ctx, at));
  const keyCol = /^(\s*(?:-\s+)*)/.exec(line)![1]!.length + 1;
  const key = /^\s*(?:-\s+)*([^:\s][^:]*):/.exec(line)?.[1];
  const nextKey = /^\s*([^:\s][^:]*):/.exec(next.text)?.[1];
  const nextCol = indentOf(next.text) + 1;
  const line1 = lineNumber(ctx, at);
  return {
    code: 'yaml-bad-indent',
    at: next.start + nextCol - 1,
    message: {
      vi: `${nextKey ? `\`${nextKey}:\`` : 'dòng này'} thụt vào sâu hơn${key ? ` \`${key}:\`` : ''} ở dòng ${line1} (cột ${nextCol} so với cột ${keyCol}), nên YAML đọc nó như phần tiếp theo của giá trị dòng trên`,
      en: `${nextKey ? `\`${nextKey}:\`` : 'this line'} is indented further than${key ? ` \`${key}:\`` : ' the key'} on line ${line1} (column ${nextCol}, not ${keyCol}), so YAML reads it as more of that line's value`,
    },
    hint: {
      vi: `các khóa của cùng một bảng phải thẳng cột: bắt đầu dòng này ở cột ${keyCol}`,
      en: `keys of one mapping start in the same column: start this line at column ${keyCol}`,
    },
  };
}

/** `title: { vi: Việc: làm ngay }`: ": " inside a `{ … }` value, or a missing comma between entries. */
function colonInFlow(ctx: YamlErrorContext, at: number): Explained {
  const lineEnd = lineEndOf(ctx, at);
  const seg = /^[^,}\]]*/.exec(ctx.text.slice(at, lineEnd))![0];
  const fixed = seg.trim() !== '' ? quotedLine(ctx, at, at + seg.trimEnd().length) : null;
  return {
    code: 'yaml-colon-in-text',
    at,
    message: {
      vi: 'trong `{ … }`, giá trị này có `: ` nên YAML hiểu nhầm là một khóa mới',
      en: 'inside `{ … }`, this value contains `: `, which YAML reads as another key',
    },
    hint: {
      vi: `${fixed ? `đặt văn bản trong dấu nháy kép: \`${fixed}\`` : 'đặt văn bản trong dấu nháy kép'}; nếu đây là hai mục riêng, ngăn cách chúng bằng dấu phẩy`,
      en: `${fixed ? `put the text in quotes: \`${fixed}\`` : 'put the text in double quotes'}; if these are two entries, separate them with a comma`,
    },
  };
}

/** A line that is not `key: value` where a key was expected: a forgotten colon, or wrapped text. */
function missingColon(ctx: YamlErrorContext, at: number): Explained {
  const start = lineStartOf(ctx, at);
  const line = ctx.text.slice(start, lineEndOf(ctx, at));
  const first = start + indentOf(line);
  const word = line.trim().split(/\s+/)[0] ?? '';
  return {
    code: 'yaml-missing-colon',
    at: Math.max(at, first),
    message: { vi: 'dòng này không có dạng `khóa: giá trị`', en: 'this line is not `key: value`' },
    hint: {
      vi: `nếu đây là phần tiếp của văn bản ở dòng trên, hãy thụt nó vào sâu hơn khóa của dòng trên (hoặc đặt cả văn bản trong dấu nháy kép); nếu là một khóa, thêm \`: \` sau nó (vd. \`${word}: …\`)`,
      en: `if it continues the text of the line above, indent it further than that line's key (or put the whole text in double quotes); if it is a key, add \`: \` after it (e.g. \`${word}: …\`)`,
    },
  };
}

/** `- item` among the keys of a mapping. */
function listAmongKeys(ctx: YamlErrorContext, at: number): Explained {
  const start = lineStartOf(ctx, at);
  const line = ctx.text.slice(start, lineEndOf(ctx, at));
  return {
    code: 'yaml-list-in-mapping',
    at: start + indentOf(line),
    message: { vi: 'một mục danh sách `- …` nằm giữa các khóa của một bảng', en: 'a list item `- …` among the keys of a mapping' },
    hint: {
      vi: 'danh sách phải nằm dưới một khóa không có giá trị sau dấu hai chấm (`assignees:` rồi các dòng `- …` thụt vào); một bảng không trộn khóa với mục danh sách',
      en: 'a list goes under a key with nothing after its colon (`assignees:` then `- …` lines indented under it); a mapping cannot mix keys and list items',
    },
  };
}

function missingDash(ctx: YamlErrorContext, at: number): Explained {
  const start = lineStartOf(ctx, at);
  // `key: value` under a list: a key of the item above that lost its indentation, not a new item.
  if (/^\s*[A-Za-z_][A-Za-z0-9_-]*:(\s|$)/.test(ctx.text.slice(start, lineEndOf(ctx, at)))) return badIndent(ctx, at, false);
  return {
    code: 'yaml-bad-indent',
    at,
    message: { vi: 'dòng này nằm trong một danh sách nhưng không bắt đầu bằng `- `', en: 'this line is inside a list but does not start with `- `' },
    hint: {
      vi: 'bắt đầu nó bằng `- ` nếu là một mục mới, hoặc thụt vào thẳng cột với nội dung của mục phía trên',
      en: 'start it with `- ` if it is a new item, or indent it to line up with the content of the item above',
    },
  };
}

function badIndent(ctx: YamlErrorContext, at: number, dashCheck = true): Explained {
  const start = lineStartOf(ctx, at);
  const line = ctx.text.slice(start, lineEndOf(ctx, at));
  const col = indentOf(line) + 1;
  const above = previousContentLine(ctx, start);
  // `- 1` then `2` in the same column: an item without its dash, not a misaligned key.
  if (dashCheck && above !== null && /^\s*-(\s|$)/.test(above.text) && indentOf(above.text) === col - 1 && !/^\s*-(\s|$)/.test(line)) return missingDash(ctx, start + col - 1);
  // The columns keys start at on the lines above (the nearest, then the nearest less indented):
  // one of them is what was meant, and naming their keys says which level each one is.
  const options: { col: number; key: string; line: number }[] = [];
  let p = start;
  while (p > 0 && options.length < 2) {
    const prev = previousContentLine(ctx, p);
    if (!prev) break;
    p = prev.start;
    const m = /^(\s*(?:-\s+)*)([^:\s#][^:#]*?):(\s|$)/.exec(prev.text);
    if (!m) continue;
    const c = m[1]!.length + 1;
    if (c !== col && (options.length === 0 || c < options[options.length - 1]!.col)) options.push({ col: c, key: m[2]!, line: lineNumber(ctx, prev.start) });
  }
  const vi = options.map((o) => `cột ${o.col} (như \`${o.key}:\` ở dòng ${o.line})`).join(' hoặc ');
  const en = options.map((o) => `column ${o.col} (like \`${o.key}:\` on line ${o.line})`).join(' or ');
  return {
    code: 'yaml-bad-indent',
    at: start + col - 1,
    message: {
      vi: `dòng này bắt đầu ở cột ${col}, không thẳng cột với các khóa cùng cấp phía trên`,
      en: `this line starts at column ${col}, out of line with the keys of its level above`,
    },
    hint: options.length > 0
      ? { vi: `thụt lề bằng dấu cách cho thẳng cột với khóa cùng cấp: ${vi}`, en: `indent it with spaces to line up with the keys of its level: ${en}` }
      : { vi: 'thụt lề bằng dấu cách cho thẳng cột với các khóa cùng cấp', en: 'indent it with spaces to line up with the keys of its level' },
  };
}

function commentSpacing(at: number): Explained {
  return {
    code: 'yaml-comment-spacing',
    at,
    message: { vi: '`#` dính liền vào chữ phía trước', en: '`#` touches the text before it' },
    hint: {
      vi: 'thêm dấu cách trước `#` nếu đó là chú thích; nếu `#` thuộc văn bản, đặt cả văn bản trong dấu nháy kép',
      en: 'put a space before `#` if it starts a comment; if `#` is part of the text, put the whole text in double quotes',
    },
  };
}

/** `note: "Hạn" 30/11`: text after a closing quote. */
function textAfterQuote(ctx: YamlErrorContext, at: number): Explained {
  const start = lineStartOf(ctx, at);
  const before = ctx.text.slice(start, at);
  const q = /(["'])\s*$/.exec(before)![1]!;
  const open = before.slice(0, before.length - /["']\s*$/.exec(before)![0].length).lastIndexOf(q);
  const whole = open >= 0 ? ctx.text.slice(start + open, lineEndOf(ctx, at)).replace(/\s+#.*$/, '') : '';
  const example = whole ? `${before.slice(0, open)}${q === '"' ? `'${whole}'` : `"${whole.replace(/"/g, '\\"')}"`}`.trim() : '';
  return {
    code: 'yaml-text-after-quote',
    at,
    message: { vi: 'có chữ nằm sau dấu nháy đóng', en: 'there is text after the closing quote' },
    hint: example
      ? {
          vi: `đặt cả đoạn văn bản trong một cặp dấu nháy; nếu văn bản có dấu nháy kép bên trong, bao nó bằng dấu nháy đơn: \`${example}\``,
          en: `put the whole text inside one pair of quotes; if it quotes something itself, wrap it in the other kind: \`${example}\``,
        }
      : { vi: 'đặt cả đoạn văn bản trong một cặp dấu nháy', en: 'put the whole text inside one pair of quotes' },
  };
}

// ---- the CST, for what the parser reports far from its cause ----

type Item = { start: CST.SourceToken[]; key?: CST.Token | null; sep?: CST.SourceToken[]; value?: CST.Token };

/** Every token of the CST, depth first, without recursion (files may nest deep). */
function* tokensOf(roots: readonly CST.Token[]): Generator<CST.Token> {
  const stack: CST.Token[] = [...roots].reverse();
  while (stack.length > 0) {
    const t = stack.pop()!;
    yield t;
    if (t.type === 'document' && t.value) stack.push(t.value);
    if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      for (const item of [...(t.items as Item[])].reverse()) {
        if (item.value) stack.push(item.value);
        if (item.key) stack.push(item.key);
      }
    }
  }
}

function closed(source: string, q: '"' | "'"): boolean {
  if (source.length < 2 || source[0] !== q) return true;
  if (q === "'") return /^'(?:[^']|'')*'$/s.test(source);
  return /^"(?:[^"\\]|\\.)*"$/s.test(source);
}

/** Reported at the end of the file; the quote that was opened is what needs closing. */
function unclosedQuote(ctx: YamlErrorContext, at: number, q: '"' | "'"): Explained {
  const type = q === '"' ? 'double-quoted-scalar' : 'single-quoted-scalar';
  let open: number | undefined;
  for (const t of tokensOf(ctx.tokens)) {
    if (t.type === type && t.offset <= at && !closed(t.source, q)) open = t.offset;
  }
  const from = open ?? at;
  const line = open !== undefined ? lineNumber(ctx, open) : undefined;
  return {
    code: 'yaml-unclosed-quote',
    at: from,
    message: line !== undefined
      ? { vi: `dấu nháy \`${q}\` mở ở dòng ${line} không được đóng`, en: `the quote \`${q}\` opened on line ${line} is never closed` }
      : { vi: `thiếu dấu nháy \`${q}\` đóng`, en: `a closing \`${q}\` is missing` },
    hint: q === '"'
      ? {
          vi: 'thêm `"` ở cuối đoạn văn bản (cuối dòng này, hoặc cuối dòng cuối cùng nếu văn bản nhiều dòng); dấu `"` nằm trong văn bản thì viết `\\"`',
          en: 'add `"` at the end of the text (this line, or the last line of a text that spans several); write a `"` inside the text as `\\"`',
        }
      : {
          vi: "thêm `'` ở cuối đoạn văn bản (cuối dòng này, hoặc cuối dòng cuối cùng nếu văn bản nhiều dòng); dấu `'` nằm trong văn bản thì viết hai lần `''`",
          en: "add `'` at the end of the text (this line, or the last line of a text that spans several); write a `'` inside the text twice: `''`",
        },
  };
}

function unclosedBracket(ctx: YamlErrorContext, at: number, raw: string): Explained {
  const isMap = /^Flow map/.test(raw);
  const [o, c] = isMap ? ['{', '}'] : ['[', ']'];
  let open: number | undefined;
  for (const t of tokensOf(ctx.tokens)) {
    if (t.type === 'flow-collection' && t.start.source === o && t.offset <= at && t.end[0]?.source !== c) open = t.offset;
  }
  const from = open ?? at;
  return {
    code: 'yaml-unclosed-bracket',
    at: from,
    message: { vi: `\`${o}\` mở ở dòng ${lineNumber(ctx, from)} không được đóng bằng \`${c}\``, en: `\`${o}\` opened on line ${lineNumber(ctx, from)} is not closed with \`${c}\`` },
    hint: {
      vi: `thêm \`${c}\` ở cuối (thường ở cuối chính dòng đó); nếu nó kéo sang dòng sau, các dòng đó phải thụt vào sâu hơn khóa của nó; văn bản có \`${o}\` thì đặt trong dấu nháy kép`,
      en: `add \`${c}\` at its end (usually the end of the same line); if it goes on to the next lines, indent them further than its key; text that starts with \`${o}\` goes in double quotes`,
    },
  };
}

function duplicateKey(ctx: YamlErrorContext, at: number): Explained {
  let name: string | undefined;
  let firstAt: number | undefined;
  visit(ctx.doc, {
    Map(_, map) {
      if (!isMap(map)) return undefined;
      const pairs = map.items.filter(isPair);
      const dup = pairs.findIndex((p) => isScalar(p.key) && p.key.range?.[0] === at);
      if (dup < 0) return undefined;
      const key = pairs[dup]!.key as { value: unknown };
      name = String(key.value);
      const first = pairs.find((p, i) => i < dup && isScalar(p.key) && String(p.key.value) === name);
      firstAt = (first?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
      return visit.BREAK;
    },
  });
  const firstLine = firstAt !== undefined ? lineNumber(ctx, firstAt) : undefined;
  return {
    code: 'duplicate-key',
    at,
    message: name !== undefined
      ? { vi: `khóa \`${name}\` xuất hiện hai lần trong cùng một bảng`, en: `key \`${name}\` appears twice in the same mapping` }
      : { vi: 'khóa bị lặp lại trong cùng một bảng', en: 'duplicate key in the same mapping' },
    hint: firstLine !== undefined
      ? { vi: `lần đầu ở dòng ${firstLine}: xóa hoặc đổi tên một trong hai (hoặc gộp nội dung của chúng)`, en: `first on line ${firstLine}: remove or rename one of the two (or merge them)` }
      : { vi: 'xóa hoặc đổi tên một trong hai khóa', en: 'remove or rename one of the two keys' },
  };
}
