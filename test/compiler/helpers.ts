import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFile, formatDiagnostic } from '../../compiler/index.js';
import type { CompileResult, Diagnostic } from '../../compiler/index.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const CALENDARS = join(FIXTURES, 'calendars');
export const VALID = join(FIXTURES, 'valid.yaml');

/** A scratch directory holding a copy of the fixture registry, so directives can point at it. */
export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chithi-compiler-'));
  cpSync(join(FIXTURES, 'registries'), join(dir, 'registries'), { recursive: true });
  return dir;
}

export function validText(): string {
  return readFileSync(VALID, 'utf8');
}

/** Compiles `text` as a directive file in a scratch directory next to the fixture registry. */
export async function compileText(text: string, asOf = '2024-06-01', registryText?: string): Promise<CompileResult & { dir: string }> {
  const dir = scratch();
  if (registryText !== undefined) writeFileSync(join(dir, 'registries', 'test-province.yaml'), registryText);
  const file = join(dir, 'directive.yaml');
  writeFileSync(file, text);
  const r = await compileFile(file, { asOf, calendarDir: CALENDARS, cwd: dir });
  return { ...r, dir };
}

export function codes(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => d.code);
}

export function lines(ds: readonly Diagnostic[], lang: 'vi' | 'en' = 'en'): string[] {
  return ds.map((d) => formatDiagnostic(d, lang));
}

/** The valid fixture with one textual replacement; fails loudly if the anchor text moved. */
export function mutate(from: string, to: string, base = validText()): string {
  if (!base.includes(from)) throw new Error(`fixture does not contain ${JSON.stringify(from)}`);
  return base.replace(from, to);
}
