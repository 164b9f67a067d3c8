/**
 * Phiên bản ngôn ngữ của tệp chỉ thị. `chithi/v1` giữ nguyên nghĩa; những cấu trúc mới của 1.1
 * chỉ được nhận trong tệp ghi `apiVersion: chithi/v1.1`.
 * The language version a directive file declares. A `chithi/v1` file means what it always meant;
 * the constructs language 1.1 adds are accepted only in a file that says `apiVersion: chithi/v1.1`,
 * so a file written for 1.1 is refused with a clear message by anything that reads only v1 (an
 * older chithi, another tool), instead of being misread, and a v1 file that uses a 1.1 construct
 * by mistake is told which line needs the new version.
 */
import type { Bilingual } from '../../common/cli-spec.js';
import { diag, type Diagnostic } from '../diagnostics.js';
import { locate, type JsonPath } from '../positions.js';
import type { DirectiveContext } from './context.js';

export const LANGUAGE_VERSIONS = ['chithi/v1', 'chithi/v1.1'] as const;
export type LanguageVersion = (typeof LANGUAGE_VERSIONS)[number];

/** Whether the file declares language 1.1 (or later). */
export function isV11(ctx: Pick<DirectiveContext, 'data'>): boolean {
  return (ctx.data as { apiVersion?: unknown }).apiVersion === 'chithi/v1.1';
}

/**
 * A 1.1 construct (`what`, in words) at `path`: nothing in a 1.1 file, the error `needs-v1.1` in a
 * v1 one. Every check of a 1.1 construct calls this once for the place the construct starts.
 */
export function requireV11(ctx: Pick<DirectiveContext, 'data' | 'parsed'>, path: JsonPath, what: Bilingual): Diagnostic[] {
  if (isV11(ctx)) return [];
  return [
    diag(
      ctx.parsed.file,
      locate(ctx.parsed, path),
      'needs-v1.1',
      { vi: `${what.vi} là cấu trúc của ngôn ngữ 1.1, mà tệp ghi \`apiVersion: chithi/v1\``, en: `${what.en} is a language 1.1 construct, but the file says \`apiVersion: chithi/v1\`` },
      { vi: 'đổi dòng đầu thành `apiVersion: chithi/v1.1` (mọi thứ của v1 vẫn giữ nguyên nghĩa)', en: 'change the first line to `apiVersion: chithi/v1.1` (everything of v1 keeps its meaning)' },
    ),
  ];
}
