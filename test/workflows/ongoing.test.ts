/**
 * `ongoing` duties (no date in the text, attested once per window: 58 of the 96 seed obligations),
 * Hanoi 3968 clause 1.1: six-monthly windows from 28/11, each a run of its own (continue-as-new).
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { SIGNAL } from '../../workflows/types.js';
import { parseNoticeKey, type Delivered } from './support/backend.js';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { realBackend } from './support/real-backend.js';
import { DAY_MS, HOUR_MS, advanceTo, hanoi, sortByKey } from './support/timeline.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('ongoing', await realBackend());
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

/** `cycle local-date kind → recipient` of each notice, in order (the date in Hanoi). */
const trail = (notices: Delivered[]) =>
  sortByKey(notices).map((n) => `${parseNoticeKey(n.key).cycle} ${new Date(Date.parse(n.at!) + 7 * HOUR_MS).toISOString().slice(0, 10)} ${n.kind} → ${n.to}`);

test('attested in the first window; the second left unattested walks the ladder, then hands over to the third', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const y = d.year;
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, d.raiseAwareness, units.health));
  expect(await h.until(id, (s) => s.status === 'in-progress', 'window 1 open')).toMatchObject({ cycle: 1, due: `${y + 1}-05-28` });

  // Window 1 (28/11 → 28/05): the unit attests in March and the coordinator accepts.
  await advanceTo(h, id, hanoi(y + 1, '03-10T10:00'));
  await h.signal(id, SIGNAL.submitEvidence, {
    submissionId: 'attest-1',
    items: [{ name: 'instilled', kind: 'attestation', value: 'yes' }],
    submittedBy: units.health.id,
  });
  await h.until(id, (s) => s.status === 'awaiting-review', 'window 1 attested');
  await h.signal(id, SIGNAL.review, { submissionId: 'attest-1', decision: 'accept', reviewer: units.coordinator.id });
  // The next window is the next run; it opens at its own start, 28/05, not at the acceptance.
  const waiting = await h.until(id, (s) => s.cycle === 2, 'window 2 scheduled');
  expect(waiting).toMatchObject({ status: 'not-yet-due', due: `${y + 1}-11-28` });
  expect(trail(await h.notices(id))).toEqual([
    `1 ${y}-11-28 opened → so-y-te`,
    `1 ${y + 1}-03-10 submitted → so-tttt`,
    `1 ${y + 1}-03-10 accepted → so-y-te`,
  ]);

  await advanceTo(h, id, hanoi(y + 1, '05-28T09:00'));
  expect(await h.state(id)).toMatchObject({ cycle: 2, status: 'in-progress', due: `${y + 1}-11-28` });

  // Window 2 (28/05 → 28/11): nothing attested. Reminded 7 days and 1 day before the end,
  // overdue and the coordinator told when it closes, the Chairman 7 days later.
  const dueEnd = Date.parse(hanoi(y + 1, '11-29T00:00'));
  await advanceTo(h, id, dueEnd + DAY_MS);
  expect(await h.state(id)).toMatchObject({ cycle: 2, status: 'overdue', escalationsSent: 1 });
  await h.sleepUntil(dueEnd + 7 * DAY_MS + 60_000);
  // The whole ladder walked, the window is handed over: the third opens at once (its start, 28/11, is past).
  const third = await h.until(id, (s) => s.cycle === 3 && s.status === 'in-progress', 'window 3 open');
  expect(third).toMatchObject({ due: `${y + 2}-05-28`, escalationsSent: 0, submissions: [] });

  expect(trail(await h.notices(id)).slice(3)).toEqual([
    `2 ${y + 1}-05-28 opened → so-y-te`,
    `2 ${y + 1}-11-21 reminder → so-y-te`,
    `2 ${y + 1}-11-27 reminder → so-y-te`,
    `2 ${y + 1}-11-29 escalation → so-tttt`,
    `2 ${y + 1}-11-29 overdue → so-y-te`,
    `2 ${y + 1}-12-06 escalation → chu-tich-ubnd`,
    `2 ${y + 1}-12-06 reminder → so-y-te`,
    `3 ${y + 1}-12-06 opened → so-y-te`,
  ]);

  // One run per window: 1 (attested), 2 (handed over), 3 (running).
  expect(await h.recordAllRuns(id, 'ongoing-attest-then-handed-over')).toBe(3);
});
