// Lỗi cú pháp YAML bằng tiếng Việt và tiếng Anh, kèm cách sửa cụ thể, ở đúng dòng:cột cần sửa.
// YAML syntax errors in Vietnamese and English, with the concrete fix, at the line:column to fix.
import { describe, expect, it } from 'vitest';
import { compileText, lines, mutate } from './helpers.js';
import { parseYamlText } from '../../compiler/parse.js';
import type { Diagnostic } from '../../compiler/index.js';

/** The diagnostics of a directive that fails to parse, through the whole compiler as a user runs it. */
async function syntax(text: string): Promise<Diagnostic[]> {
  const r = await compileText(text);
  expect(r.ok).toBe(false);
  return r.diagnostics;
}

/** A snippet: parsing is all that is tested. */
function parse(text: string): Diagnostic[] {
  const r = parseYamlText(text, 'f.yaml');
  if (r.ok) throw new Error('expected a syntax error');
  return r.diagnostics;
}

describe('YAML syntax errors, translated, with the fix', () => {
  it('": " in a plain note: put the text in quotes, the corrected line given, in Vietnamese first', async () => {
    const ds = await syntax(mutate('    note: A Saturday, moved to Monday.', '    note: Văn bản ghi: hạn 27/4 (thứ Bảy), dời sang thứ Hai'));
    expect(lines(ds, 'vi')).toEqual([
      'directive.yaml:48:11: lỗi[yaml-colon-in-text]: văn bản có dấu hai chấm và dấu cách (`: `) nên YAML hiểu nhầm phần trước nó là một khóa\n' +
        '  → đặt cả đoạn văn bản trong dấu nháy kép: `note: "Văn bản ghi: hạn 27/4 (thứ Bảy), dời sang thứ Hai"`',
    ]);
    expect(lines(ds, 'en')).toEqual([
      'directive.yaml:48:11: error[yaml-colon-in-text]: the text contains a colon and a space (`: `), which YAML reads as the start of another key\n' +
        '  → put the text in quotes: `note: "Văn bản ghi: hạn 27/4 (thứ Bảy), dời sang thứ Hai"`',
    ]);
    // The parser's own words never reach the reader.
    expect(lines(ds, 'vi').join('\n')).not.toMatch(/Nested mappings|compact mappings/);
  });

  it('the suggested line is valid YAML that reads back as the text', () => {
    const d = parse('note: Văn bản ghi "trước: 30/11" # ghi chú\n')[0]!;
    const fixed = /`(.*)`$/.exec(d.hint.en)![1]!;
    expect(fixed).toBe(`note: 'Văn bản ghi "trước: 30/11"' # ghi chú`);
    const back = parseYamlText(fixed + '\n', 'f.yaml');
    expect(back.ok && back.parsed.data).toEqual({ note: 'Văn bản ghi "trước: 30/11"' });
  });

  it('": " in a list item quotes the whole item, and a text going on below is told where to close', () => {
    expect(parse('notes:\n  - Bước 1: rà soát: xong\n').map((d) => [d.code, d.line, d.column, d.hint.en])).toEqual([
      ['yaml-colon-in-text', 2, 5, 'put the text in quotes: `- "Bước 1: rà soát: xong"`'],
    ]);
    const [d] = parse('note: Hạn: 30/11\n  theo văn bản\nkind: deadline\n');
    expect(d!.hint.vi).toBe('đặt cả đoạn văn bản trong dấu nháy kép: `note: "Hạn: 30/11"`; văn bản tiếp tục ở các dòng dưới thì đóng dấu nháy ở cuối dòng cuối cùng của nó');
  });

  it('": " inside { … }', async () => {
    const ds = await syntax(mutate('title: { vi: Gửi đầu mối, en: Send the contact point }', 'title: { vi: Gửi đầu mối: Sở A, en: Send the contact point }'));
    expect(lines(ds)).toEqual([
      'directive.yaml:41:18: error[yaml-colon-in-text]: inside `{ … }`, this value contains `: `, which YAML reads as another key\n' +
        '  → put the text in quotes: `title: { vi: "Gửi đầu mối: Sở A", en: Send the contact point }`; if these are two entries, separate them with a comma',
    ]);
    expect(ds[0]!.message.vi).toBe('trong `{ … }`, giá trị này có `: ` nên YAML hiểu nhầm là một khóa mới');
  });

  it('a tab used for indentation: use spaces', async () => {
    const ds = await syntax(mutate('    kind: deadline\n    due: 2024-04-27', '    kind: deadline\n\tdue: 2024-04-27'));
    expect(lines(ds, 'vi')).toEqual([
      'directive.yaml:45:1: lỗi[yaml-tab-indent]: dòng này thụt lề bằng ký tự tab\n' +
        '  → YAML chỉ nhận dấu cách để thụt lề: thay tab bằng dấu cách (2 dấu cách mỗi cấp); trong VS Code: lệnh “Convert Indentation to Spaces”',
    ]);
    expect(ds[0]!.hint.en).toMatch(/^YAML indents with spaces only: replace the tab with spaces/);
  });

  it('an unclosed quote is pointed at where it opens, not at the end of the file', async () => {
    const ds = await syntax(mutate('    note: A Saturday, moved to Monday.', '    note: "A Saturday, moved to Monday.'));
    expect(lines(ds)).toEqual([
      'directive.yaml:48:11: error[yaml-unclosed-quote]: the quote `"` opened on line 48 is never closed\n' +
        '  → add `"` at the end of the text (this line, or the last line of a text that spans several); write a `"` inside the text as `\\"`',
    ]);
    expect(ds[0]!.message.vi).toBe('dấu nháy `"` mở ở dòng 48 không được đóng');
    expect(parse("a: 1\nb: 'it''s\nc: 2\n").map((d) => [d.code, d.line, d.column, d.message.en])).toEqual([
      ['yaml-unclosed-quote', 2, 4, "the quote `'` opened on line 2 is never closed"],
    ]);
  });

  it('an unclosed bracket, at the bracket', async () => {
    const ds = await syntax(mutate('    cooperating: [so-a]', '    cooperating: [so-a'));
    expect(ds.map((d) => [d.code, d.line, d.column, d.message.vi])).toEqual([['yaml-unclosed-bracket', 43, 18, '`[` mở ở dòng 43 không được đóng bằng `]`']]);
    expect(ds[0]!.hint.en).toMatch(/^add `\]` at its end/);
  });

  it('a key out of line with its siblings: which columns would fit', async () => {
    const ds = await syntax(mutate('    kind: deadline\n    due: 2024-04-27', '    kind: deadline\n   due: 2024-04-27'));
    expect(lines(ds, 'vi')).toEqual([
      'directive.yaml:45:4: lỗi[yaml-bad-indent]: dòng này bắt đầu ở cột 4, không thẳng cột với các khóa cùng cấp phía trên\n' +
        '  → thụt lề bằng dấu cách cho thẳng cột với khóa cùng cấp: cột 5 (như `kind:` ở dòng 44) hoặc cột 1 (như `obligations:` ở dòng 38)',
    ]);
  });

  it('a key indented further than the one above it: one diagnostic, on the line to move', () => {
    const ds = parse('obligations:\n  - id: x\n     clause: "1"\n');
    expect(ds.map((d) => [d.code, d.line, d.column, d.message.en, d.hint.en])).toEqual([
      [
        'yaml-bad-indent',
        3,
        6,
        "`clause:` is indented further than `id:` on line 2 (column 6, not 5), so YAML reads it as more of that line's value",
        'keys of one mapping start in the same column: start this line at column 5',
      ],
    ]);
  });

  it('a list item without its dash', () => {
    expect(parse('units:\n  - so-a\n  so-b\n').map((d) => [d.code, d.line, d.column, d.message.en])).toEqual([
      ['yaml-bad-indent', 3, 3, 'this line is inside a list but does not start with `- `'],
    ]);
  });

  it('duplicate keys name the key and the line it was first used on', async () => {
    const ds = await syntax(mutate('    due: 2024-04-27\n', '    due: 2024-04-27\n    due: 2024-04-28\n'));
    expect(lines(ds, 'vi')).toEqual([
      'directive.yaml:46:5: lỗi[duplicate-key]: khóa `due` xuất hiện hai lần trong cùng một bảng\n  → lần đầu ở dòng 45: xóa hoặc đổi tên một trong hai (hoặc gộp nội dung của chúng)',
    ]);
    expect(ds[0]!.message.en).toBe('key `due` appears twice in the same mapping');
  });

  it('a line that is not key: value (a wrapped text, a forgotten colon)', () => {
    expect(parse('metadata:\n  id: x\n  ghi chú thêm\n').map((d) => [d.code, d.line, d.column, d.message.vi])).toEqual([
      ['yaml-missing-colon', 3, 3, 'dòng này không có dạng `khóa: giá trị`'],
    ]);
    const [d] = parse('note: dòng một\ndòng hai\n');
    expect([d!.code, d!.line, d!.column]).toEqual(['yaml-missing-colon', 2, 1]);
    expect(d!.hint.en).toBe("if it continues the text of the line above, indent it further than that line's key (or put the whole text in double quotes); if it is a key, add `: ` after it (e.g. `dòng: …`)");
  });

  it('a list item among the keys of a mapping', () => {
    expect(parse('metadata:\n  id: x\n  - y\n').map((d) => [d.code, d.line, d.column, d.message.en])).toEqual([
      ['yaml-list-in-mapping', 3, 3, 'a list item `- …` among the keys of a mapping'],
    ]);
  });

  it('text starting with a reserved character, a bad escape, text after a quote, a # without a space, an unknown alias', () => {
    const one = (t: string) => parse(t).map((d) => [d.code, d.line, d.column, d.message.vi, d.hint.en]);
    expect(one('number: @123/UBND\n')).toEqual([['yaml-reserved-start', 1, 9, 'văn bản không được bắt đầu bằng `@` nếu không có dấu nháy', 'put the text in quotes: `number: "@123/UBND"`']]);
    expect(one('path: "C:\\Tai lieu"\n')[0]!.slice(0, 3)).toEqual(['yaml-bad-escape', 1, 10]);
    expect(one('note: "Hạn" 30/11\n')).toEqual([
      ['yaml-text-after-quote', 1, 13, 'có chữ nằm sau dấu nháy đóng', "put the whole text inside one pair of quotes; if it quotes something itself, wrap it in the other kind: `note: '\"Hạn\" 30/11'`"],
    ]);
    expect(one('a: "x"# c\n')[0]!.slice(0, 4)).toEqual(['yaml-comment-spacing', 1, 7, '`#` dính liền vào chữ phía trước']);
    expect(one('a: 1\nb: *mau\n')[0]!.slice(0, 4)).toEqual(['yaml-unknown-alias', 2, 4, 'bí danh `*mau` chưa được khai báo bằng `&mau` ở phía trên']);
  });

  it('an error we do not explain keeps a stable code, its position and the raw text inside a Vietnamese sentence', () => {
    const [d] = parse('a: &x &y 1\n');
    expect([d!.code, d!.line, d!.column]).toEqual(['yaml-syntax', 1, 7]);
    expect(d!.message.vi).toBe('lỗi cú pháp YAML (trình đọc YAML báo: “A node can have at most one anchor”)');
    expect(d!.message.en).toBe('YAML syntax error: A node can have at most one anchor');
    expect(d!.hint.vi).toMatch(/^kiểm tra thụt lề/);
  });

  it('a file of 5,000 duplicate keys: at most 20 diagnostics, each explained once, quickly', () => {
    // (the yaml package's own duplicate check grows faster than linearly: 60,000 take it ~2.5 s)
    const text = 'a: 1\n'.repeat(5_000);
    const t0 = performance.now();
    const ds = parse(text);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(ds.map((d) => d.line)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(ds.every((d) => d.code === 'duplicate-key' && d.hint.en.startsWith('first on line 1:'))).toBe(true);
  });

  it('several independent errors are all reported; what follows a broken structure is not', () => {
    const two = parse('a: Hạn: 1\nb: ok\nc: Ghi chú: 2\n');
    expect(two.map((d) => [d.code, d.line])).toEqual([
      ['yaml-colon-in-text', 1],
      ['yaml-colon-in-text', 3],
    ]);
    // After an unclosed bracket the parser's view of the lines below is wrong: they are not blamed.
    const broken = parse('a: [x\nb:\n  c: 1\n    d: 2\ne: Hạn: 3\n');
    expect(broken.map((d) => [d.code, d.line])).toEqual([['yaml-unclosed-bracket', 1]]);
  });
});
