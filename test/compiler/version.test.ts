/**
 * Ngôn ngữ 1.1: tệp `chithi/v1` giữ nguyên nghĩa (cùng kế hoạch, cùng mã băm); tệp `chithi/v1.1`
 * được nhận; cấu trúc của 1.1 trong tệp v1 là lỗi `needs-v1.1` chỉ đúng dòng.
 * Language 1.1: a `chithi/v1` file keeps its meaning (the same plan, the same hash); a
 * `chithi/v1.1` file is accepted; a 1.1 construct in a v1 file is the error `needs-v1.1` at its line.
 */
import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../compiler/parse.js';
import { requireV11 } from '../../compiler/semantics/version.js';
import { compileText, lines, mutate } from './helpers.js';

describe('apiVersion chithi/v1.1', () => {
  it('a v1 file compiles as before; the same file as v1.1 compiles too', async () => {
    const v1 = await compileText(mutate('apiVersion: chithi/v1', 'apiVersion: chithi/v1'));
    const v11 = await compileText(mutate('apiVersion: chithi/v1', 'apiVersion: chithi/v1.1'));
    expect(v1.ok).toBe(true);
    expect(v11.ok).toBe(true);
  });

  it('a 1.1 construct in a v1 file: needs-v1.1 at its line, with the fix', () => {
    const text = 'apiVersion: chithi/v1\nkind: Directive\nmetadata:\n  id: x\n';
    const r = parseYamlText(text, 'd.yaml');
    if (!r.ok) throw new Error('fixture does not parse');
    const what = { vi: 'Hạn tính theo ngày làm việc', en: 'A due date in working days' };
    const ds = requireV11({ data: r.parsed.data as never, parsed: r.parsed }, ['metadata', 'id'], what);
    expect(lines(ds)).toEqual([
      'd.yaml:4:7: error[needs-v1.1]: A due date in working days is a language 1.1 construct, but the file says `apiVersion: chithi/v1`\n  → change the first line to `apiVersion: chithi/v1.1` (everything of v1 keeps its meaning)',
    ]);
    const v11 = parseYamlText(text.replace('chithi/v1', 'chithi/v1.1'), 'd.yaml');
    if (!v11.ok) throw new Error('fixture does not parse');
    expect(requireV11({ data: v11.parsed.data as never, parsed: v11.parsed }, ['metadata', 'id'], what)).toEqual([]);
  });
});
