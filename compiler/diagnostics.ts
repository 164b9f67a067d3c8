import type { Bilingual, Lang } from '../common/cli-spec.js';

export type Severity = 'error' | 'warning';

/** Stable codes: tests and editors match on these, so never reuse one for another meaning. */
export type DiagnosticCode =
  // reading and parsing
  | 'file-not-found'
  | 'file-too-large'
  | 'binary-file'
  | 'invalid-utf8'
  | 'yaml-syntax'
  // YAML syntax errors we can explain (compiler/yaml-errors.ts); `yaml-syntax` for the others
  | 'yaml-colon-in-text'
  | 'yaml-tab-indent'
  | 'yaml-unclosed-quote'
  | 'yaml-unclosed-bracket'
  | 'yaml-bad-indent'
  | 'yaml-missing-colon'
  | 'yaml-list-in-mapping'
  | 'yaml-reserved-start'
  | 'yaml-bad-escape'
  | 'yaml-text-after-quote'
  | 'yaml-comment-spacing'
  | 'yaml-unknown-alias'
  | 'duplicate-key'
  | 'alias-bomb'
  | 'too-deep'
  | 'multiple-documents'
  | 'root-not-mapping'
  // a language 1.1 construct in a chithi/v1 file (compiler/semantics/version.ts)
  | 'needs-v1.1'
  | 'unknown-kind'
  // schema
  | 'unknown-property'
  | 'missing-property'
  | 'wrong-type'
  | 'invalid-value'
  | 'invalid-format'
  | 'property-not-allowed'
  | 'schema'
  // semantics
  | 'impossible-date'
  | 'unknown-unit'
  | 'unknown-audience'
  | 'unknown-attribute'
  | 'unknown-role'
  | 'unknown-obligation'
  | 'duplicate-id'
  | 'dependency-cycle'
  | 'audience-cycle'
  | 'due-before-issued'
  | 'non-positive-duration'
  | 'reminder-after-due'
  | 'reminder-too-long'
  | 'escalation-order'
  | 'escalation-negative'
  | 'succession-unknown'
  | 'succession-cycle'
  | 'unknown-parent'
  | 'invalid-email'
  | 'empty-audience'
  | 'dissolved-unit'
  | 'registry-not-found'
  | 'registry-invalid'
  // a registry's `include:` (compiler/registry.ts)
  | 'include-not-found'
  | 'include-outside'
  | 'include-cycle'
  // `chithi registry import` (compiler/registry-csv.ts)
  | 'csv-syntax'
  | 'csv-column'
  | 'csv-field-count'
  | 'calendar-error'
  | 'invalid-timezone'
  | 'missing-period'
  | 'until-before-start'
  | 'selector-shape'
  | 'dependency-unrelated'
  | 'reminder-before-issued'
  | 'notify-conflict'
  | 'as-of-far'
  // language 1.1 recipients and events (compiler/semantics/recipients.ts, compiler/resolve.ts)
  | 'unknown-relation'
  | 'relation-not-here'
  | 'no-parent'
  | 'no-head'
  | 'unknown-head'
  | 'report-to-no-email'
  | 'event-title-differs'
  // language 1.1 timing (compiler/semantics/timing-v11.ts, compiler/resolve.ts)
  | 'timing-shape'
  | 'relative-due-prerequisite'
  | 'relative-due-unrelated'
  // a bug or an input the checks did not foresee: still a diagnostic, never a stack trace
  | 'internal-error';

export interface Diagnostic {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in characters (UTF-16 units, as editors count). */
  column: number;
  severity: Severity;
  code: DiagnosticCode;
  message: Bilingual;
  hint: Bilingual;
}

export interface Position {
  line: number;
  column: number;
}

const NO_HINT: Bilingual = { vi: '', en: '' };

export function diag(
  file: string,
  pos: Position,
  code: DiagnosticCode,
  message: Bilingual,
  hint: Bilingual = NO_HINT,
  severity: Severity = 'error',
): Diagnostic {
  return { file, line: pos.line, column: pos.column, severity, code, message, hint };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

const LABEL: Record<Severity, Bilingual> = { error: { vi: 'lỗi', en: 'error' }, warning: { vi: 'cảnh báo', en: 'warning' } };

/** `file:line:column: error[code]: message` then `  → hint`, the shape editors and CI parse. */
export function formatDiagnostic(d: Diagnostic, lang: Lang): string {
  const head = `${d.file}:${d.line}:${d.column}: ${LABEL[d.severity][lang]}[${d.code}]: ${d.message[lang]}`;
  const hint = d.hint[lang];
  return hint ? `${head}\n  → ${hint}` : head;
}
