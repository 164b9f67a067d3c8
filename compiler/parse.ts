/**
 * Reading a YAML file that may be hostile: every guard runs before the step it protects, and every
 * failure is a Diagnostic, never a thrown error or a stack trace.
 */
import { open, stat } from 'node:fs/promises';
import { Composer, LineCounter, Parser } from 'yaml';
import type { CST, Document } from 'yaml';
import { diag } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { offsetToPosition } from './positions.js';
import type { SourceMap } from './positions.js';
import { unknownAliasDiagnostic, yamlSyntaxDiagnostics } from './yaml-errors.js';
import type { Bilingual } from '../common/cli-spec.js';

// Provincial registries run ~300 bytes a unit (2 MB ≈ 6,600 units); the cap bounds the yaml
// parser, which needs ~150 MB and seconds per MB for pathological inline mappings.
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_DEPTH = 64;
export const MAX_ALIAS_COUNT = 100;

export interface ParsedFile extends SourceMap {
  file: string;
  text: string;
  data: Record<string, unknown>;
}

export type ParseResult = { ok: true; parsed: ParsedFile } | { ok: false; diagnostics: Diagnostic[] };

const START = { line: 1, column: 1 };

export async function readYamlFile(file: string, displayName = file): Promise<ParseResult> {
  const fail = (d: Diagnostic): ParseResult => ({ ok: false, diagnostics: [d] });
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) {
      return fail(diag(displayName, START, 'file-not-found', { vi: 'không phải là tệp', en: 'not a file' }));
    }
    size = s.size;
  } catch {
    return fail(
      diag(displayName, START, 'file-not-found', { vi: 'không tìm thấy tệp', en: 'file not found' }, {
        vi: 'kiểm tra lại đường dẫn',
        en: 'check the path',
      }),
    );
  }
  // Checked on the size on disk, before reading a byte: a 50 MB file costs one stat().
  if (size > MAX_FILE_BYTES) return fail(tooLarge(displayName, size));
  const handle = await open(file, 'r');
  let bytes: Buffer;
  try {
    // Read at most one byte past the limit, in case the file grew after stat().
    const buf = Buffer.alloc(Math.min(size, MAX_FILE_BYTES) + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    bytes = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (bytes.length > MAX_FILE_BYTES) return fail(tooLarge(displayName, bytes.length));
  return parseYamlBytes(bytes, displayName);
}

function tooLarge(file: string, size: number): Diagnostic {
  const mb = (size / 1024 / 1024).toFixed(1);
  return diag(
    file,
    START,
    'file-too-large',
    { vi: `tệp quá lớn (${mb} MB, tối đa 2 MB)`, en: `file too large (${mb} MB, at most 2 MB)` },
    { vi: 'một chỉ thị hay danh mục đơn vị không cần lớn như vậy; hãy tách tệp', en: 'no directive or registry needs to be this large; split it' },
  );
}

function positionInBytes(bytes: Buffer, byteOffset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < byteOffset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: byteOffset - lineStart + 1 };
}

export function parseYamlBytes(bytes: Buffer, file: string): ParseResult {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return {
      ok: false,
      diagnostics: [
        diag(file, positionInBytes(bytes, nul), 'binary-file', { vi: 'tệp chứa byte NUL: không phải tệp văn bản', en: 'file contains a NUL byte: not a text file' }, {
          vi: 'chỉ thị phải là tệp YAML dạng văn bản UTF-8',
          en: 'a directive must be a UTF-8 YAML text file',
        }),
      ],
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const at = lossy.indexOf('\uFFFD');
    const lc = new LineCounter();
    lc.addNewLine(0);
    for (let i = 0; i < at; i++) if (lossy.charCodeAt(i) === 10) lc.addNewLine(i + 1);
    return {
      ok: false,
      diagnostics: [
        diag(file, offsetToPosition(lc, Math.max(at, 0)), 'invalid-utf8', { vi: 'tệp không phải UTF-8 hợp lệ', en: 'file is not valid UTF-8' }, {
          vi: 'lưu lại tệp với mã hóa UTF-8 (không dùng TCVN3/VNI)',
          en: 'save the file as UTF-8 (not TCVN3/VNI or another legacy encoding)',
        }),
      ],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseYamlText(text, file);
}

/** Deepest nesting in the CST, walked with an explicit stack so depth costs no call stack. */
function findTooDeep(tokens: CST.Token[]): number | null {
  const stack: { token: CST.Token | undefined; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token) continue;
    if (token.type === 'document') {
      stack.push({ token: token.value, depth });
      continue;
    }
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > MAX_DEPTH) return token.offset;
      for (const item of token.items) {
        if ('key' in item && item.key) stack.push({ token: item.key, depth: depth + 1 });
        if (item.value) stack.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  return null;
}

export function parseYamlText(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const fail = (offset: number, code: Parameters<typeof diag>[2], message: Bilingual, hint?: Bilingual): ParseResult => ({
    ok: false,
    diagnostics: [diag(file, offsetToPosition(lineCounter, offset), code, message, hint)],
  });
  // yaml's lexer and parser are iterative, its composer is recursive: measure depth on the CST
  // before composing, so `[[[[…` ten thousand deep is rejected instead of overflowing the stack.
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const deep = findTooDeep(tokens);
  if (deep !== null) {
    return fail(deep, 'too-deep', { vi: `lồng nhau quá sâu (tối đa ${MAX_DEPTH} cấp)`, en: `nesting too deep (at most ${MAX_DEPTH} levels)` }, {
      vi: 'định dạng chỉ thị không cần lồng sâu như vậy',
      en: 'the directive format never needs nesting this deep',
    });
  }
  // logLevel 'error': yaml would otherwise print process warnings (e.g. for `[a]: b` keys) on the
  // CLI's stderr; such keys are reported by the schema as unknown properties instead.
  const composer = new Composer({ uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' });
  const docs: Document.Parsed[] = [...composer.compose(tokens), ...composer.end()];
  if (docs.length > 1) {
    const second = docs[1]!;
    return fail(second.range[0], 'multiple-documents', { vi: 'tệp chứa nhiều tài liệu YAML (---)', en: 'file holds several YAML documents (---)' }, {
      vi: 'mỗi tệp chỉ chứa một chỉ thị hoặc một danh mục đơn vị',
      en: 'put one directive or one registry per file',
    });
  }
  const doc = docs[0];
  if (!doc || doc.contents === null) {
    return fail(0, 'root-not-mapping', { vi: 'tệp rỗng', en: 'file is empty' }, { vi: 'bắt đầu bằng `apiVersion: chithi/v1`', en: 'start with `apiVersion: chithi/v1`' });
  }
  if (doc.errors.length > 0) {
    return { ok: false, diagnostics: yamlSyntaxDiagnostics(doc.errors, { file, text, lineCounter, tokens, doc }) };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!/alias count|resource exhaustion/i.test(message)) {
      const alias = unknownAliasDiagnostic(message, { file, text, lineCounter, doc });
      if (alias) return { ok: false, diagnostics: [alias] };
      return fail(0, 'yaml-syntax', { vi: `lỗi YAML: ${firstLine(message)}`, en: `YAML error: ${firstLine(message)}` }, {
        vi: 'kiểm tra các &anchor và *alias',
        en: 'check the &anchors and *aliases',
      });
    }
    return fail(0, 'alias-bomb', { vi: 'quá nhiều tham chiếu bí danh (*alias): có thể là tệp độc hại', en: 'too many alias (*ref) expansions: possibly a hostile file' }, {
      vi: 'viết trực tiếp giá trị thay vì dùng &anchor/*alias lồng nhau',
      en: 'write the values out instead of nesting &anchors/*aliases',
    });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return fail(doc.contents.range[0], 'root-not-mapping', { vi: 'gốc của tệp phải là một bảng khóa–giá trị', en: 'the root of the file must be a mapping' }, {
      vi: 'bắt đầu bằng `apiVersion: chithi/v1` và `kind: …`',
      en: 'start with `apiVersion: chithi/v1` and `kind: …`',
    });
  }
  return { ok: true, parsed: { file, text, doc, lineCounter, data: data as Record<string, unknown> } };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
