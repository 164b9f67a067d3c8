/**
 * Shared response shapes, referenced by `$ref` from the routes and published in the OpenAPI
 * document. Open objects (additionalProperties): the shapes document what a client may rely on
 * without the serializer dropping a field someone added to the service.
 */
import { ERROR_SCHEMA } from './errors.js';

const open = (id: string, description: string, properties: Record<string, unknown>, required: string[] = []) => ({
  $id: id,
  type: 'object',
  description,
  additionalProperties: true,
  properties,
  ...(required.length > 0 && { required }),
});
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const bool = { type: 'boolean' } as const;

export const SCHEMAS = [
  ERROR_SCHEMA,
  open('SubmitResult', 'A stored submission; created false: a retry of one stored before, sent to the instance again', {
    submissionId: str,
    workflowId: str,
    created: bool,
    approval: { type: 'string', enum: ['pending', 'approved'], description: "only where the unit requires its head's approval; pending: stored, not sent until a unit head approves it" },
    items: { type: 'array', items: { type: 'object', additionalProperties: true } },
    sha256: { type: 'object', additionalProperties: str, description: 'sha256 of each uploaded document, computed as it arrived' },
  }, ['submissionId', 'workflowId', 'created']),
  open('PendingSubmission', "A submission awaiting its unit head's approval", {
    submissionId: str, workflowId: str, directiveId: str, obligationId: str, unitId: str, eventId: str, cycle: int, submittedBy: str, note: str, at: str,
    items: { type: 'array', items: { type: 'object', additionalProperties: true } },
  }, ['submissionId', 'directiveId', 'obligationId', 'unitId', 'submittedBy', 'at']),
  open('ApprovalResult', "A unit head's decision on a submission; sent: it went to the instance (approved)", {
    submissionId: str, workflowId: str, decision: { type: 'string', enum: ['approved', 'returned'] }, created: bool, sent: bool,
  }, ['submissionId', 'decision', 'created', 'sent']),
  open('ReviewResult', 'A review decision', { submissionId: str, workflowId: str, reviewId: str, created: bool }, ['reviewId', 'created']),
  open('ExtensionRequestResult', 'An extension request', { requestId: str, workflowId: str, created: bool }, ['requestId', 'created']),
  open('ExtensionDecisionResult', 'An extension decision', { requestId: str, workflowId: str, decisionId: str, until: str, created: bool }, ['decisionId', 'created']),
  open('EventResult', 'An event reported', { eventId: str, started: { type: 'array', items: str }, existing: { type: 'array', items: str } }, ['eventId', 'started']),
  open('DeployResult', 'A deployment', {
    directive: str, number: str, revision: int, alreadyDeployed: bool, total: int, started: int, amended: int, withdrawn: int, unchanged: int,
  }, ['directive', 'revision', 'alreadyDeployed']),
  open('WithdrawResult', 'A withdrawal', { directive: str, withdrawn: int, alreadyClosed: int }, ['directive', 'withdrawn']),
  open('DirectiveSummary', 'A deployed directive', { id: str, number: str, title: str, revision: int, status: str, supersededBy: str }, ['id', 'revision', 'status']),
  open('StatusReport', "A directive's status", {
    directiveId: str, number: str, title: str, revision: int, timezone: str, withdrawn: bool,
    rows: { type: 'array', description: 'one page of the matching rows (all of them when total <= the page size)', items: { type: 'object', additionalProperties: true, properties: { unitId: str, obligationId: str, status: str, due: str, cycle: int } } },
    total: { ...int, description: 'rows matching, on every page' },
    offset: { ...int, description: "where this page's rows start" },
    counts: { type: 'object', additionalProperties: int, description: 'of every matching row' },
    byObligation: {
      type: 'array',
      description: 'the counts per obligation, in the plan\'s order',
      items: { type: 'object', additionalProperties: true, properties: { obligationId: str, clause: str, title: str, total: int, counts: { type: 'object', additionalProperties: int } } },
    },
    notices: { type: 'object', additionalProperties: true },
  }, ['directiveId', 'rows', 'total']),
  open('AuditRow', 'One audit line', { key: str, workflowId: str, directiveId: str, obligationId: str, unitId: str, actor: str, action: str, at: str, detail: { type: 'object', additionalProperties: true } }, ['key', 'actor', 'action', 'at']),
  open('InboxNotice', 'A notice in a unit\'s inbox', { id: str, unitId: str, kind: str, directiveId: str, obligationId: str, cycle: int, due: str, subject: str, body: str, at: str, read: bool }, ['id', 'subject', 'at']),
];
