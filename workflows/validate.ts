import type { InboxItem } from './instance-context.js';

/**
 * Signals reach a workflow from the CLI and the API, but also from anyone with raw Temporal access
 * (`temporal workflow signal`). A malformed payload must not make an instance stuck for ever: a
 * bad date thrown inside the schedule activity was retried without end, and even a withdrawal
 * queued behind it was never processed. So each payload is checked here, deterministically, before
 * it is applied; a bad one is rejected and audited, and the instance carries on.
 */

/** Free text (notes, comments, reasons) kept in workflow history: enough for a paragraph, bounded. */
export const MAX_SIGNAL_TEXT = 2_000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function realDate(v: unknown): boolean {
  if (typeof v !== 'string' || !DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';
const optionalText = (v: unknown): boolean => v === undefined || (typeof v === 'string' && v.length <= MAX_SIGNAL_TEXT);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with the signal's payload, in a few words, or undefined when it can be applied. */
export function invalidSignal(item: InboxItem): string | undefined {
  const p: unknown = item.payload;
  if (!isObject(p)) return 'payload is not an object';
  switch (item.signal) {
    case 'submitEvidence':
      if (!nonEmpty(p.submissionId)) return 'submissionId missing';
      if (!Array.isArray(p.items)) return 'items is not a list';
      if (!nonEmpty(p.submittedBy)) return 'submittedBy missing';
      if (!optionalText(p.note)) return `note longer than ${MAX_SIGNAL_TEXT} characters`;
      return undefined;
    case 'review':
      if (!nonEmpty(p.submissionId)) return 'submissionId missing';
      if (p.decision !== 'accept' && p.decision !== 'reject') return 'decision is neither accept nor reject';
      if (!nonEmpty(p.reviewer)) return 'reviewer missing';
      if (!optionalText(p.comment)) return `comment longer than ${MAX_SIGNAL_TEXT} characters`;
      return undefined;
    case 'requestExtension':
      if (!nonEmpty(p.requestId)) return 'requestId missing';
      if (!realDate(p.until)) return `until is not a date YYYY-MM-DD: ${String(p.until)}`;
      if (!nonEmpty(p.reason) || !optionalText(p.reason)) return `reason missing or longer than ${MAX_SIGNAL_TEXT} characters`;
      if (!nonEmpty(p.requestedBy)) return 'requestedBy missing';
      return undefined;
    case 'decideExtension':
      if (!nonEmpty(p.requestId)) return 'requestId missing';
      if (typeof p.approve !== 'boolean') return 'approve is not true or false';
      if (p.until !== undefined && !realDate(p.until)) return `until is not a date YYYY-MM-DD: ${String(p.until)}`;
      if (!optionalText(p.comment)) return `comment longer than ${MAX_SIGNAL_TEXT} characters`;
      if (!nonEmpty(p.decidedBy)) return 'decidedBy missing';
      return undefined;
    case 'amend':
      if (!isObject(p.directive) || !isObject(p.obligation) || !isObject(p.contacts)) return 'directive, obligation or contacts missing';
      if (p.obligation.id === undefined || p.obligation.kind === undefined) return 'obligation without id or kind';
      return undefined;
    case 'withdraw':
      if (!['obligation-removed', 'unit-removed', 'directive-withdrawn', 'directive-superseded'].includes(String(p.reason))) return `unknown reason ${String(p.reason)}`;
      if (!nonEmpty(p.by)) return 'by missing';
      return undefined;
    case 'dependencyCompleted':
      return nonEmpty(p.obligationId) ? undefined : 'obligationId missing';
  }
}
