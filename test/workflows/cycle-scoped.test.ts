/**
 * Issue 8, item 2, in the workflow: an extension request or decision names its cycle, and one meant
 * for another cycle is ignored and audited instead of being applied to the running one; a decision
 * sent again (the CLI's retry) is recorded as a repeat. Each failed on the code before the change.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { listAudit } from '../../activities/store/index.js';
import { SIGNAL } from '../../workflows/types.js';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { scanAwaitingReview } from './support/scenes.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { realBackend } from './support/real-backend.js';
import { advanceTo, hanoi } from './support/timeline.js';

let h: Harness;
beforeAll(async () => {
  // No sticky cache: the second test restarts the worker.
  h = await startHarness('cycle-scoped', await realBackend(), { maxCachedWorkflows: 0 });
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

const actions = async (directiveId: string, id: string) => (await listAudit(h.backend.mail!.pool, directiveId, { workflowId: id })).map((a) => a.action);

test('requests and decisions for another cycle are ignored and audited; repeated decisions are recorded as repeats', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, d.contactPoint, units.education));
  await h.until(id, (s) => s.status === 'in-progress', 'the cycle to open');
  await advanceTo(h, id, hanoi(y, '11-29T10:00'));

  const request = { until: `${y}-12-10`, reason: 'Chờ kiện toàn nhân sự', requestedBy: 'so-gddt' };
  await h.signal(id, SIGNAL.requestExtension, { ...request, requestId: 'r-next', cycle: 2 });
  await h.signal(id, SIGNAL.requestExtension, { ...request, requestId: 'r-1', cycle: 1 });
  await h.signal(id, SIGNAL.decideExtension, { requestId: 'r-1', cycle: 2, approve: true, decidedBy: 'so-tttt', decisionId: 'x-0' });
  const pending = await h.until(id, (s) => s.extensions.length > 0, 'the request');
  expect(pending.extensions).toEqual([{ requestId: 'r-1', until: `${y}-12-10` }]);
  expect(pending.due).toBe(`${y}-11-30`);

  const decision = { requestId: 'r-1', cycle: 1, approve: true, decidedBy: 'so-tttt', decisionId: 'x-1' };
  await h.signal(id, SIGNAL.decideExtension, decision);
  await h.signal(id, SIGNAL.decideExtension, decision);
  const granted = await h.until(id, (s) => s.due === `${y}-12-10`, 'the extension');
  expect(granted.extensions).toMatchObject([{ requestId: 'r-1', approved: true }]);

  const item = [{ name: 'officer', kind: 'field', value: 'Nguyễn Văn A' }];
  await h.signal(id, SIGNAL.submitEvidence, { submissionId: 's-1', items: item, submittedBy: 'so-gddt' });
  const reject = { submissionId: 's-1', decision: 'reject', comment: 'Thiếu số điện thoại', reviewer: 'so-tttt', reviewId: 'rv-1' };
  await h.signal(id, SIGNAL.review, reject);
  await h.signal(id, SIGNAL.review, reject);
  await h.signal(id, SIGNAL.review, { ...reject, decision: 'accept', reviewId: 'rv-2' });
  const reviewed = await h.until(id, (s) => s.submissions[0]?.decision !== undefined && s.status === 'in-progress', 'the review');
  expect(reviewed.submissions).toMatchObject([{ submissionId: 's-1', decision: 'reject' }]);

  const audit = await listAudit(h.backend.mail!.pool, d.directive.id, { workflowId: id });
  const of = (action: string) => audit.filter((a) => a.action === action).map((a) => a.detail);
  expect(of('extension-request-other-cycle')).toEqual([{ requestId: 'r-next', cycle: 2, currentCycle: 1 }]);
  expect(of('extension-decision-other-cycle')).toEqual([{ requestId: 'r-1', cycle: 2, currentCycle: 1, decisionId: 'x-0' }]);
  expect(of('extension-approved')).toMatchObject([{ requestId: 'r-1', decisionId: 'x-1' }]);
  expect(of('extension-decision-repeated')).toEqual([{ requestId: 'r-1', decisionId: 'x-1' }]);
  expect(of('rejected')).toMatchObject([{ submissionId: 's-1', reviewId: 'rv-1' }]);
  expect(of('review-repeated')).toEqual([{ submissionId: 's-1', decision: 'reject', reviewId: 'rv-1' }]);
  expect(of('review-ignored')).toEqual([{ submissionId: 's-1', decision: 'accept', reviewId: 'rv-2' }]);
  await h.recordHistory(id, 'extension-other-cycle');
});

test('an extension request racing the end of its cycle does not become a request of the next one', async () => {
  const { d, id } = await scanAwaitingReview(h);
  // Both reach the worker in one task: the acceptance closes cycle 1, the request was for cycle 1.
  await h.stopWorker();
  await h.signal(id, SIGNAL.review, { submissionId: 's-1', decision: 'accept', reviewer: units.coordinator.id });
  await h.signal(id, SIGNAL.requestExtension, { requestId: 'r-1', cycle: 1, until: `${d.year + 1}-12-31`, reason: 'Chờ kinh phí', requestedBy: 'so-tai-chinh' });
  await h.startWorker();
  const next = await h.until(id, (s) => s.cycle === 2 && s.status !== 'not-yet-due', 'cycle 2');
  expect(next.extensions).toEqual([]);
  expect(await actions(d.directive.id, id)).toContain('extension-request-other-cycle');
});
