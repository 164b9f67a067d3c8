/**
 * Issue 8, last item: a cycle's history can grow without bound within the cycle (an `ongoing`
 * duty overdue for years, many rejected submissions), so a run continues as new at a quiet point
 * inside the cycle when Temporal suggests it or its history reaches `InstanceInput.historyLimit`
 * (mid-cycle-continue-v1), and the next run resumes exactly where it was. The server's own
 * suggestion comes only after thousands of events; the test limit of 1 forces a continue-as-new
 * after every wake, so every step below runs in a run resumed from the one before: anything not
 * carried (a walked step, a counter behind the keys, a pending submission) would show as a lost
 * or a repeated notice or audit line. Failed before the change (one run, never continued), and
 * with the key counters not carried (the second submission's notice dropped as the first's).
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { listAudit } from '../../activities/store/index.js';
import { SIGNAL, type InstanceState } from '../../workflows/types.js';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { realBackend } from './support/real-backend.js';
import { parseNoticeKey } from './support/backend.js';
import { DAY_MS, advanceTo, hanoi, sortByKey } from './support/timeline.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('mid-cycle', await realBackend());
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

const runId = async (id: string): Promise<string> => (await h.env.client.workflow.getHandle(id).describe()).runId;
const result = (id: string): Promise<InstanceState> => h.env.client.workflow.getHandle(id).result();
/** Runs of the workflow id so far, followed back through continue-as-new (recordAllRuns without recording). */
async function countRuns(id: string): Promise<number> {
  await h.settle(id);
  let n = 0;
  for (let r: string | undefined = await runId(id); r; n++) {
    const history = await h.env.client.workflow.getHandle(id, r).fetchHistory();
    const previous: string | null | undefined = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    r = previous || undefined;
  }
  return n;
}

test('an overdue, escalated cycle with a submission awaiting review continues as new mid-cycle and resumes where it was', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const id = await h.start({ ...instanceInput(d.directive, d.contactPoint, units.culture), historyLimit: 1 });
  await h.until(id, (s) => s.status === 'in-progress', 'the cycle to open');
  const first = await runId(id);

  // Reminded on 29/11, overdue when 30/11 ends, the coordinator told (P0D): each wake a run of its own.
  await advanceTo(h, id, hanoi(y, '12-02T10:00'));
  expect(await h.state(id)).toMatchObject({ status: 'overdue', remindersSent: 1, escalationsSent: 1 });
  expect(await runId(id)).not.toBe(first);

  // Submitted, rejected (overdue again, the unit told again), submitted again: the second of each
  // notice and audit line is keyed after the first only if the counters went across the runs.
  const submit = async (submissionId: string): Promise<InstanceState> => {
    const before = await runId(id);
    await h.signal(id, SIGNAL.submitEvidence, {
      submissionId,
      items: [{ name: 'report', kind: 'document', value: `${submissionId}.pdf` }],
      submittedBy: units.culture.id,
    });
    const st = await h.until(id, (s) => s.submissions.some((x) => x.submissionId === submissionId) && s.status === 'awaiting-review', submissionId);
    // The query answers from the run after the submission's: the state that run was handed.
    expect(await runId(id)).not.toBe(before);
    return st;
  };
  await submit('sub-1');
  await advanceTo(h, id, hanoi(y, '12-03T10:00'));
  await h.signal(id, SIGNAL.review, { submissionId: 'sub-1', decision: 'reject', reviewer: units.coordinator.id, comment: 'Thiếu phụ lục' });
  expect(await h.until(id, (s) => s.status === 'overdue', 'the rejection')).toMatchObject({ escalationsSent: 1 });
  await advanceTo(h, id, hanoi(y, '12-04T10:00'));
  expect(await submit('sub-2')).toMatchObject({
    cycle: 1,
    status: 'awaiting-review',
    due: `${y}-11-30`,
    originalDue: `${y}-11-30`,
    remindersSent: 1,
    escalationsSent: 1,
    submissions: [{ submissionId: 'sub-1', decision: 'reject' }, { submissionId: 'sub-2' }],
  });

  // Awaiting review still holds the clock in the resumed run: no P7D step to leadership, no weekly
  // reminder, and the P0D step is not walked again.
  await advanceTo(h, id, hanoi(y, '12-10T10:00'));
  await h.signal(id, SIGNAL.review, { submissionId: 'sub-2', decision: 'accept', reviewer: units.coordinator.id });
  const final = await result(id);
  expect(final).toMatchObject({ status: 'completed-late', remindersSent: 1, escalationsSent: 1 });

  const notices = sortByKey(await h.notices(id));
  expect(notices.map((n) => `${n.kind} → ${n.to}`)).toEqual([
    'opened → so-vhtt',
    'reminder → so-vhtt',
    'escalation → so-tttt',
    'overdue → so-vhtt',
    'submitted → so-tttt',
    // Same step, so in key order.
    'overdue → so-vhtt',
    'rejected → so-vhtt',
    'submitted → so-tttt',
    'accepted → so-vhtt',
  ]);
  expect(new Set(notices.map((n) => n.key)).size).toBe(notices.length);
  const lines = await listAudit(h.backend.mail!.pool, d.directive.id, { workflowId: id });
  expect(lines.map((a) => a.action)).toEqual([
    'cycle-scheduled',
    'opened',
    'reminded',
    'overdue',
    'escalated',
    'evidence-submitted',
    'rejected',
    'overdue',
    'evidence-submitted',
    'accepted',
  ]);
  expect(new Set(lines.map((a) => a.key)).size).toBe(lines.length);
  // Opened, then reminded; overdue and escalated; submitted; rejected; submitted; accepted (the run that returned).
  expect(await h.recordAllRuns(id, 'mid-cycle-continued')).toBe(6);
});

test('a fixed-window duty resumed mid-cycle still hands its window over, and the next window starts afresh', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const id = await h.start({ ...instanceInput(d.directive, d.raiseAwareness, units.health), historyLimit: 1 });
  await h.until(id, (s) => s.status === 'in-progress', 'window 1 open');
  // Window 1 (28/11 → 28/05) left unattested: reminded twice, overdue, the ladder walked, handed over.
  await h.sleepUntil(Date.parse(hanoi(y + 1, '05-29T00:00')) + 7 * DAY_MS + 60_000);
  const second = await h.until(id, (s) => s.cycle === 2 && s.status === 'in-progress', 'window 2 open');
  // The next window is not handed the previous one's resume: its own dates, nothing sent yet.
  expect(second).toMatchObject({ due: `${y + 1}-11-28`, remindersSent: 0, escalationsSent: 0, submissions: [] });

  const notices = sortByKey(await h.notices(id));
  expect(notices.map((n) => `${parseNoticeKey(n.key).cycle} ${n.kind} → ${n.to}`)).toEqual([
    '1 opened → so-y-te',
    '1 reminder → so-y-te',
    '1 reminder → so-y-te',
    '1 escalation → so-tttt',
    '1 overdue → so-y-te',
    '1 escalation → chu-tich-ubnd',
    '1 reminder → so-y-te',
    '2 opened → so-y-te',
  ]);
  expect(new Set(notices.map((n) => n.key)).size).toBe(notices.length);
  const lines = await listAudit(h.backend.mail!.pool, d.directive.id, { workflowId: id });
  expect(new Set(lines.map((a) => a.key)).size).toBe(lines.length);
  expect(lines.filter((a) => a.action === 'cycle-scheduled' || a.action === 'opened').map((a) => a.action)).toEqual(['cycle-scheduled', 'opened', 'cycle-scheduled', 'opened']);
  // Window 1 took several runs (one per wake), then continued as new into window 2.
  expect(await countRuns(id)).toBeGreaterThan(3);
});
