/**
 * Loại tệp (media type) lưu cùng một tài liệu minh chứng: loại trình duyệt khai khi tải lên, đối
 * chiếu với chính các byte của tệp (file-type) và một danh sách nhỏ được phép. Loại lưu được dùng
 * cho tiêu đề content-type khi tải về; một người nộp khai sai (ví dụ text/html) không làm được gì.
 * The media type stored with an evidence document: the one the uploader's browser declared,
 * checked against the file's own bytes (file-type) and a small allow-list. The stored type is the
 * download's content-type; a submitter who declares a false one (text/html, say) gets nowhere:
 * - the bytes name a type (PDF, PNG, a Word file inside its zip…): that type, if it is allowed,
 *   whatever was declared (the CLI declares application/octet-stream for everything);
 * - the bytes are an Office container that does not say which program (the old .doc/.xls/.ppt
 *   compound file, or a zip file-type cannot see into): the declared type, if it is one of those;
 * - the bytes name nothing (text has no signature): text/plain or text/csv if declared so;
 * - anything else: none (NULL), and the document is sent as application/octet-stream.
 * The database refuses any other value (migration 011), so this list and that one must agree
 * (test/server/media-type.test.ts checks it).
 */
import { fileTypeFromBuffer } from 'file-type';

const OOXML = 'application/vnd.openxmlformats-officedocument';
const ODF = 'application/vnd.oasis.opendocument';

/** Types recognised from the bytes alone. */
const BY_CONTENT = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/tiff',
  'image/webp',
  `${OOXML}.wordprocessingml.document`,
  `${OOXML}.spreadsheetml.sheet`,
  `${OOXML}.presentationml.presentation`,
  `${ODF}.text`,
  `${ODF}.spreadsheet`,
  `${ODF}.presentation`,
  'application/zip',
] as const;

/** The old Office formats: one compound-file signature (application/x-cfb) for all three. */
const COMPOUND_FILE = ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint'] as const;

/** Zip-based formats a zip's first entries may not reveal (file-type reads only so far). */
const IN_ZIP = BY_CONTENT.filter((t) => t.startsWith(OOXML) || t.startsWith(ODF));

/** Text: no signature, so the declaration is all there is; never HTML, SVG or XML (they run script). */
const TEXT = ['text/plain', 'text/csv'] as const;

/** Every type a document may be stored with (migration 011's CHECK lists the same). */
export const ALLOWED_MEDIA_TYPES: readonly string[] = [...BY_CONTENT, ...COMPOUND_FILE, ...TEXT];

/** `Text/CSV; charset=utf-8` → `text/csv`; empty → undefined. */
function essence(declared: string | undefined): string | undefined {
  const t = declared?.split(';')[0]?.trim().toLowerCase();
  return t ? t : undefined;
}

/**
 * The media type to store for a document whose uploader declared `declared` (undefined: nothing
 * declared) and whose bytes are `content`; undefined: none that may be stored (see the module comment).
 */
export async function checkedMediaType(declared: string | undefined, content: Uint8Array): Promise<string | undefined> {
  const said = essence(declared);
  const found = content.length === 0 ? undefined : (await fileTypeFromBuffer(content))?.mime;
  if (found === 'application/x-cfb') return (COMPOUND_FILE as readonly string[]).includes(said ?? '') ? said : undefined;
  if (found === 'application/zip' && IN_ZIP.includes(said as (typeof IN_ZIP)[number])) return said;
  if (found !== undefined) return (BY_CONTENT as readonly string[]).includes(found) ? found : undefined;
  return (TEXT as readonly string[]).includes(said ?? '') ? said : undefined;
}
