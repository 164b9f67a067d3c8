import type { Bilingual } from './cli-spec.js';

/**
 * A mistake of the user's (bad flag, bad file, unknown unit) or a failure they can act on: printed as
 * a message, never as a stack trace. `exitCode` 2 is a usage error, 1 a failed operation. `cause`
 * keeps the error it explains, for whoever debugs.
 */
export class UserError extends Error {
  constructor(
    readonly text: Bilingual,
    readonly exitCode: 1 | 2 = 1,
    options?: ErrorOptions,
  ) {
    super(text.en, options);
    this.name = 'UserError';
  }
}
