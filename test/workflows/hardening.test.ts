/**
 * Runtime hardening (issue 8): a malformed signal sent straight to Temporal, an extension to a
 * date already past. Each failed on the code before the fix (see the issue note).
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { listAudit } from '../../activities/store/index.js';
import { SIGNAL, type InstanceState } from '../../workflows/types.js';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { realBackend } from './support/real-backend.js';
import { advanceTo, byKind, hanoi } from './support/timeline.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('hardening', await realBackend());
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

async function deployContactPoint(unit = units.health) {
  const d = hanoi3968(await nextDeploymentYear(h));
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, d.contactPoint, unit));
  await h.until(id, (s) => s.status === 'in-progress', 'the cycle to open');
  return { d, id, y: d.year };
}
const result = (id: string): Promise<InstanceState> => h.env.client.workflow.getHandle(id).result();
const audit = async (directiveId: string, id: string) => listAudit(h.backend.mail!.pool, directiveId, { workflowId: id });

test('malformed signals sent straight to Temporal are rejected and audited; a withdrawal still ends the instance', async () => {
  const { d, id } = await deployContactPoint(units.education);
  // A request with an impossible date, then its "approval" with another one: before the fix the
  // schedule activity threw on the date and was retried for ever, and nothing behind it ran.
  await h.signal(id, SIGNAL.requestExtension, { requestId: 'r-1', until: '2023-13-45', reason: 'x', requestedBy: 'so-gddt' });
  await h.signal(id, SIGNAL.requestExtension, { requestId: 'r-2', until: '2099-12-31', reason: 'Thiếu nhân lực', requestedBy: 'so-gddt' });
  await h.signal(id, SIGNAL.decideExtension, { requestId: 'r-2', approve: true, until: 'not-a-date', decidedBy: 'so-tttt' });
  await h.signal(id, SIGNAL.review, { submissionId: 's-1', decision: 'maybe', reviewer: 'so-tttt' });
  await h.signal(id, SIGNAL.submitEvidence, { submissionId: 's-2', items: [], submittedBy: 'so-gddt', note: 'x'.repeat(5_000) });
  await h.signal(id, SIGNAL.withdraw, { reason: 'unit-removed', by: 'policy' });
  const final = await result(id);
  expect(final.status).toBe('withdrawn');
  expect(final.extensions.map((e) => e.requestId)).toEqual(['r-2']);
  expect(final.submissions).toEqual([]);
  const rejected = (await audit(d.directive.id, id)).filter((a) => a.action === 'signal-rejected').map((a) => a.detail?.problem);
  expect(rejected).toEqual([
    'until is not a date YYYY-MM-DD: 2023-13-45',
    'until is not a date YYYY-MM-DD: not-a-date',
    'decision is neither accept nor reject',
    'note longer than 2000 characters',
  ]);
  await h.recordHistory(id, 'hardening-malformed-signals');
});

test('an extension to a date not after the due date in force and today is refused; the request stays pending and nothing is re-walked', async () => {
  const { d, id, y } = await deployContactPoint(units.culture);
  await advanceTo(h, id, hanoi(y, '12-02T10:00'));
  const before = await h.state(id);
  expect(before.status).toBe('overdue');
  const sentBefore = (await h.notices(id)).length;
  await h.signal(id, SIGNAL.requestExtension, { requestId: 'r-1', until: `${y}-12-20`, reason: 'Chờ kinh phí', requestedBy: 'so-vhtt' });
  // The reviewer mistypes the year: a date long past.
  await h.signal(id, SIGNAL.decideExtension, { requestId: 'r-1', approve: true, until: '2000-01-01', decidedBy: 'so-tttt' });
  const after = await h.until(id, (s) => s.extensions.length === 1, 'the request');
  expect(after.due).toBe(before.due);
  expect(after.status).toBe('overdue');
  expect(after.extensions[0]!.approved).toBeUndefined();
  const refused = (await audit(d.directive.id, id)).filter((a) => a.action === 'extension-decision-refused');
  expect(refused.map((a) => a.detail?.until)).toEqual(['2000-01-01']);
  // No escalation step walked again, no "extension decided" notice for a decision that was not.
  const notices = await h.notices(id);
  expect(byKind(notices.slice(sentBefore))).toEqual({ 'extension-requested': ['so-tttt'] });
  // The same request approved to a real date still works.
  await h.signal(id, SIGNAL.decideExtension, { requestId: 'r-1', approve: true, decidedBy: 'so-tttt' });
  const granted = await h.until(id, (s) => s.due === `${y}-12-20`, 'the extension');
  expect(granted.status).toBe('in-progress');
  await h.recordHistory(id, 'hardening-extension-refused');
});
