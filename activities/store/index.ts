/**
 * Plain query functions: service/*.ts (what a person can do, for the API server and the CLI), the
 * server's read routes and the operator tools import them from here directly, with no wrapper in
 * between. Every function takes a pg.Pool first (`Db`: a pool, or the connection a transaction or
 * withDeployLock holds); dates are `YYYY-MM-DD` strings, instants ISO strings. Failures are the
 * typed errors of activities/errors.ts, each with a stable `code` and a bilingual `text`, and they
 * travel up as they are: server/errors.ts answers them by code with an HTTP status, client/cli.ts
 * prints their text (exit 1).
 *
 * withDeployLock(pool, directiveId, fn(db))                 → fn's result, one deploy of a directive at a time
 * recordDeployment(pool, { plan, deployedBy?, at? })        → { deployment, created }
 * getLatestDeployment(pool, directiveId)                    → Deployment | undefined (any status: withdrawn and superseded too)
 * listLatestDeployments(pool)                               → Deployment[]
 * setDeploymentStatus(pool, directiveId, status, supersededBy?) → Deployment | undefined
 * listInstances(pool, directiveId, { unitId?, obligationId?, status? (one or several), overdue?, asOf? }) → InstanceRow[]
 * countByObligation(pool, directiveId, filter?)             → { obligationId, status, n }[]: a status report's counts, no rows read
 * pageInstances(pool, directiveId, filter, order, { limit, offset }) → InstanceRow[]: one page, by unit (bytewise), the plan's order, event
 * getInstance(pool, workflowId)                             → InstanceRow | undefined
 * Actions (submission, review, extension request and decision) are idempotent on the client's id:
 * the same id and content again writes nothing (`created: false`), other content is a ConflictError.
 * storeSubmission(pool, SubmissionInput)                    → { submissionId, items: EvidenceItemRef[], created, generation, cycle? }
 * getSubmission(pool, submissionId)                         → SubmissionRecord (NotFoundError)
 * getEvidenceContent(pool, submissionId, name)              → { content, sha256, value } | undefined
 * Approval by the unit head (migration 009; registry `submissionApproval: unit-head`): storeSubmission's `approval` is
 * pending (or approved: a unit head's own); one decision per submission, the same one again a no-op.
 * listPendingApprovals(pool, unitId)                        → PendingSubmission[], oldest first
 * decideApproval(pool, { submissionId, decision: approved | returned, by, comment?, at, notice? }) → { created, submission } (ConflictError)
 * insertInboxNotices(db, InboxInsert[]) / insertOutboxRows(db, OutboxInsert[]) → number written (once per key), one statement each
 * upsertStatus(db, StatusUpdate)                            the status projection, never backwards
 * writeStepAtOnce(db, StepWrites)                           → boolean: a workflow step's rows and audit lines in one statement (false: go the long way)
 * recordReview(pool, { reviewId?, submissionId, decision, comment?, reviewer, at }) → ReviewOutcome (one per submission)
 * getReview(pool, reviewId) / reviewOf(pool, submissionId)  → RecordedReview | undefined
 * recordExtensionRequest(pool, { requestId, workflowId, directiveId, obligationId, unitId, generation?, cycle?, until, reason, requestedBy, at }) → { created, request }
 * recordExtensionDecision(pool, { requestId, decisionId?, approve, until?, comment?, decidedBy, at }) → { created, same?, request } (one per request)
 * findExtension(pool, { requestId } | { decisionId })       → ExtensionRecord | undefined
 * listExtensions(pool, directiveId, { unitId?, workflowId?, pending? }) → ExtensionRecord[], oldest first
 * recordEvent(pool, directiveId, ReportedEvent)             → { event, created }
 * getEvent(pool, id)                                        → ReportedEvent | undefined
 * readInbox(pool, unitId, { unreadOnly?, limit? })          → InboxNotice[]
 * noticeDelivery(pool, directiveId, { unitId? })            → { pending, undelivered } outgoing notices
 * markInboxRead(pool, unitId, ids?)                         → number
 * appendAudit(pool | client in a transaction, AuditEvent)   chained per directive; same key and content: no-op, other content: AuditConflictError
 * appendAudits(client in a transaction, AuditEvent[])       a step's lines: the head locked once, one insert (any key taken: one by one)
 * auditChainRows(pool, { directiveId? }) / auditHeads(pool, { directiveId? }) / countUnchainedAudit(pool) → for service/audit.ts (verify)
 * listAudit(pool, directiveId, { workflowId?, limit? })     → AuditEvent[]
 * firstAuditDay(pool, directiveId, timeZone)                → YYYY-MM-DD | undefined, when tracking began
 * statusTrend(pool, directiveId, InstanceScope, TrendPeriods) → TrendCounts[] per period: completed on time, late (cumulative), overdue then
 * rehearsedNotices(pool, directiveId, before) / rehearsedEmails(pool, directiveId, before) → what a rehearsal's throwaway database sent before its end (service/rehearse.ts)
 * Identity (migration 008): logins are stored lower-case; tokens and session ids only as hashes.
 * createAccount(pool, NewAccount) → Account (ConflictError) / getAccount(pool, login) / listAccounts(pool) / disableAccount(pool, login) → boolean
 * createApiToken(pool, { login, name, tokenHash }) → ApiTokenInfo (ConflictError) / listApiTokens(pool, login) / revokeApiToken(pool, login, name) → boolean
 * findApiToken(pool, tokenHash) → ApiTokenMatch | undefined / touchApiToken(pool, id)   (last use, at most once a minute)
 * createSession / findSession(pool, idHash) / deleteSession      sign-in sessions
 * serverSecret(pool, name) → Buffer                          a key every server process shares (cookie signing)
 */
export * from './deployments.js';
export * from './instances.js';
export * from './submissions.js';
export * from './reviews.js';
export * from './extensions.js';
export * from './events.js';
export * from './inbox.js';
export * from './outbox.js';
export * from './audit.js';
export * from './steps.js';
export * from './trend.js';
export * from './rehearsal.js';
export * from './accounts.js';
export * from './tokens.js';
export * from './sessions.js';
export type { Db } from './rows.js';
export { migrate } from '../db/migrate.js';
export { createPool } from '../db/pool.js';
