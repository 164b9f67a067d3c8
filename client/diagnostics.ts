import { formatDiagnostic, type Diagnostic } from '../compiler/diagnostics.js';
import type { Io } from './io.js';

/** Same format as `chithi validate`, so a deploy that refuses a file reads like the validator. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], io: Io): void {
  for (const d of diagnostics) io.stderr(formatDiagnostic(d, io.lang) + '\n');
}
