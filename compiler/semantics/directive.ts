import type { Diagnostic } from '../diagnostics.js';
import { hasErrors } from '../diagnostics.js';
import type { DirectiveContext } from './context.js';
import { checkEmptyAudiences } from './audiences.js';
import { checkReferences } from './references.js';
import { checkRecipients } from './recipients.js';
import { checkTiming } from './timing.js';
import { checkTimingV11 } from './timing-v11.js';

/** Phase two for a directive: runs on whatever parts passed the schema, and reports everything. */
export function checkDirective(ctx: DirectiveContext): Diagnostic[] {
  const references = checkReferences(ctx);
  // A misspelt unit, audience or attribute already explains an empty selection (and an audience
  // cycle makes one look empty): the emptiness is checked once the names are right.
  const audiences = hasErrors(references) ? [] : checkEmptyAudiences(ctx);
  return [...references, ...audiences, ...checkTiming(ctx), ...checkTimingV11(ctx), ...checkRecipients(ctx)];
}
