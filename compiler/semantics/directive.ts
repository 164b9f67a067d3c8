import type { Diagnostic } from '../diagnostics.js';
import type { DirectiveContext } from './context.js';
import { checkReferences } from './references.js';
import { checkTiming } from './timing.js';

/** Phase two for a directive: runs on whatever parts passed the schema, and reports everything. */
export function checkDirective(ctx: DirectiveContext): Diagnostic[] {
  return [...checkReferences(ctx), ...checkTiming(ctx)];
}
