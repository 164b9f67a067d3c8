import type { Bilingual } from './cli-spec.js';

/**
 * Loại vấn đề, để máy chủ API trả đúng mã HTTP và CLI đúng mã thoát.
 * What kind of problem it is, so the API server answers with the right HTTP status
 * (server/errors.ts) whatever layer raised it.
 */
export type Problem = 'invalid' | 'not-signed-in' | 'not-allowed' | 'not-found' | 'conflict' | 'too-large' | 'unavailable';

/**
 * A mistake of the user's (bad flag, bad file, unknown unit) or a failure they can act on: printed as
 * a message, never as a stack trace. `exitCode` 2 is a usage error, 1 a failed operation. `cause`
 * keeps the error it explains, for whoever debugs.
 */
export class UserError extends Error {
  readonly problem: Problem;
  constructor(
    readonly text: Bilingual,
    readonly exitCode: 1 | 2 = 1,
    options?: ErrorOptions & { problem?: Problem },
  ) {
    super(text.en, options);
    this.name = 'UserError';
    this.problem = options?.problem ?? 'invalid';
  }
}
