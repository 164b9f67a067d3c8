import { required } from '../args.js';

/**
 * Phiên mà submit, review và extend nói đến; cờ khai báo ở common/commands.ts (REF_FLAGS).
 * The instance submit, review and extend are about; the flags are declared in common/commands.ts (REF_FLAGS).
 */
export function refOf(values: { directive?: string; obligation?: string; unit?: string; event?: string }, command: string) {
  const ref = {
    directive: required(values.directive, '--directive', command),
    obligation: required(values.obligation, '--obligation', command),
    unit: required(values.unit, '--unit', command),
  };
  return values.event ? { ...ref, event: values.event } : ref;
}
