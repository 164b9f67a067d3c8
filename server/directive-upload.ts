/**
 * Biên dịch một chỉ thị tải lên (văn bản YAML, có thể kèm danh mục đơn vị) ngay trên máy chủ: dùng
 * chung cho API triển khai (server/routes/directives.ts) và trang của người soạn chỉ thị trên cổng
 * (server/portal/author.ts), để hai đường cùng ra một kế hoạch từ cùng một văn bản.
 * Compiles an uploaded directive (YAML text, optionally with its unit registry) on the server:
 * shared by the deploy API (server/routes/directives.ts) and the portal's policy-author page
 * (server/portal/author.ts), so both turn the same text into the same plan. A plan is never taken
 * from a client: what runs is what the source says.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../common/config.js';
import { compileFile, type CompileResult } from '../compiler/index.js';
import { HttpError } from './errors.js';

/** Where a directive's `metadata.registry` resolves when no registry is uploaded: the server's own. */
const DIRECTIVES_DIR = join(ROOT, 'directives');

/** The file name an uploaded registry is compiled under (and diagnostics about it name). */
export const UPLOADED_REGISTRY_NAME = 'registry.yaml';

export interface DirectiveUpload {
  source: string;
  fileName?: string;
  registry?: string;
  asOf?: string;
}

/** The name an upload is compiled under: its own, reduced to characters safe in a path. */
export function uploadFileName(fileName: string | undefined): string {
  const name = (fileName ?? 'directive.yaml').replace(/[^A-Za-z0-9._-]/g, '_');
  // The registry's name is taken: a directive uploaded as registry.yaml must not overwrite it.
  return name === UPLOADED_REGISTRY_NAME || name === '' || name.startsWith('.') ? `directive-${name}` : name;
}

/**
 * The upload compiled in a private temporary folder. Diagnostics name the uploaded files by their
 * upload names (uploadFileName, UPLOADED_REGISTRY_NAME), not by the temporary path, so a page can
 * quote the offending line from the text it holds.
 */
export async function compileUpload(body: DirectiveUpload): Promise<CompileResult> {
  const dir = await mkdtemp(join(tmpdir(), 'chithi-deploy-'));
  try {
    const file = join(dir, uploadFileName(body.fileName));
    await writeFile(file, body.source, { mode: 0o600 });
    let registryPath: string | undefined;
    if (body.registry !== undefined) {
      registryPath = join(dir, UPLOADED_REGISTRY_NAME);
      await writeFile(registryPath, body.registry, { mode: 0o600 });
    } else {
      // The directive names its registry relative to itself; uploaded alone, relative to the
      // server's directives/ folder, and never outside it.
      let named: unknown;
      try {
        named = (parseYaml(body.source) as { metadata?: { registry?: unknown } } | null)?.metadata?.registry;
      } catch {
        named = undefined; // the compiler reports the YAML error with its line
      }
      if (typeof named === 'string') {
        const path = resolve(DIRECTIVES_DIR, named);
        if (!relative(DIRECTIVES_DIR, path).startsWith('..')) registryPath = path;
      }
    }
    const result = await compileFile(file, { ...(registryPath !== undefined && { registryPath }), ...(body.asOf !== undefined && { asOf: body.asOf }) });
    const inside = (f: string) => {
      const rel = relative(dir, resolve(f));
      return rel !== '' && !rel.startsWith('..') ? basename(rel) : f;
    };
    // Messages name files by path too ("not in the registry /tmp/chithi-deploy-…/registry.yaml"):
    // the temporary folder is of no use to the reader, and no business of the client's.
    const bare = (text: string) => text.split(`${dir}${sep}`).join('');
    return {
      ...result,
      diagnostics: result.diagnostics.map((d) => ({ ...d, file: inside(d.file), message: { vi: bare(d.message.vi), en: bare(d.message.en) }, hint: { vi: bare(d.hint.vi), en: bare(d.hint.en) } })),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The JSON body of a directive upload (deploy, and its dry run): one schema for both routes. */
export const DIRECTIVE_UPLOAD_BODY = {
  type: 'object',
  required: ['source'],
  additionalProperties: false,
  properties: {
    source: { type: 'string', minLength: 1 },
    fileName: { type: 'string', maxLength: 200 },
    registry: { type: 'string', minLength: 1 },
    asOf: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  },
} as const;

/**
 * An upload that does not compile, as the API answers it: 400 with every diagnostic (line, column,
 * code, message and hint in the asked language), and the nothing-done message of the action.
 */
export function invalidDirective(diagnostics: CompileResult['diagnostics'], lang: 'vi' | 'en', nothing: { vi: string; en: string }): HttpError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return new HttpError(
    400,
    'invalid-directive',
    { vi: `Chỉ thị có ${errors.length} lỗi: ${nothing.vi}`, en: `The directive has ${errors.length} error(s): ${nothing.en}` },
    diagnostics.map((d) => ({ line: d.line, column: d.column, severity: d.severity, code: d.code, message: d.message[lang], hint: d.hint[lang] })),
  );
}
