/**
 * Issue 8, items 1 and 7 at the workflow level (the deploy side: test/client/redeploy.test.ts): a
 * later run of the same workflow id (a unit re-added) keys its notices and audit lines apart and
 * owns the projection row (run-generation-v1); an amendment of an older revision is ignored
 * (amend-revision-order-v1). Their histories are recorded for test/replay.test.ts.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { getInstance, listAudit } from '../../activities/store/index.js';
import { SIGNAL, type AmendSignal, type ReaddSignal } from '../../workflows/types.js';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { realBackend } from './support/real-backend.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('generations', await realBackend());
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

const audit = async (directiveId: string, id: string) => listAudit(h.backend.mail!.pool, directiveId, { workflowId: id });

test("a unit's second run under the same id gets its own notices, audit lines and projection row", async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(d.directive, d.contactPoint, units.health));
  await h.until(id, (s) => s.status === 'in-progress', 'the first run to open');
  await h.signal(id, SIGNAL.withdraw, { reason: 'unit-removed', by: 'policy' });
  // Not result(): waiting on it lets the time-skipping server run the clock on.
  await h.settle(id);
  expect((await h.env.client.workflow.getHandle(id).describe()).status.name).toBe('COMPLETED');

  await h.start({ ...instanceInput(d.directive, d.contactPoint, units.health), generation: 2 });
  await h.until(id, (s) => s.status === 'in-progress', 'the second run to open');
  const opened = (await h.notices(id)).filter((n) => n.kind === 'opened' && n.to === units.health.id).map((n) => n.key);
  expect(opened.sort()).toEqual([`${id}:1:opened:0`, `${id}:g2:1:opened:0`]);
  const lines = (await audit(d.directive.id, id)).filter((a) => a.action === 'opened').map((a) => a.key);
  expect(lines).toEqual([`${id}:1:opened:0`, `${id}:g2:1:opened:0`]);
  expect(await getInstance(h.backend.mail!.pool, id)).toMatchObject({ generation: 2, cycle: 1, status: 'in-progress' });
  await h.recordHistory(id, 'generation-second-run');
});

test('an amendment of an older revision is ignored and audited; one of the same revision is applied', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  const directive = { ...d.directive, revision: 3 };
  await h.sleepUntil(d.deployedAt);
  const id = await h.start(instanceInput(directive, d.contactPoint, units.education));
  const before = await h.until(id, (s) => s.status === 'in-progress', 'the cycle to open');
  const amend = (revision: number, due: string): AmendSignal => ({
    directive: { ...directive, revision },
    obligation: { ...d.contactPoint, due, effectiveDue: due },
    contacts: instanceInput(directive, d.contactPoint, units.education).contacts,
  });
  await h.signal(id, SIGNAL.amend, amend(2, `${d.year}-12-31`));
  await h.settle(id);
  expect((await h.state(id)).due).toBe(before.due);
  const ignored = (await audit(d.directive.id, id)).filter((a) => a.action === 'amend-ignored-older-revision');
  expect(ignored.map((a) => a.detail)).toEqual([{ revision: 2, running: 3 }]);
  expect((await h.notices(id)).filter((n) => n.kind === 'amended')).toEqual([]);

  await h.signal(id, SIGNAL.amend, amend(3, `${d.year}-12-15`));
  expect((await h.until(id, (s) => s.due === `${d.year}-12-15`, 'the amendment')).status).toBe('in-progress');
  await h.recordHistory(id, 'amend-older-revision-ignored');
});

test('a run re-added while its withdrawal waited unprocessed withdraws, then continues as the next generation (readd-after-withdrawal-v1)', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  await h.sleepUntil(d.deployedAt);
  const input = instanceInput(d.directive, d.contactPoint, units.health);
  // No worker between the deploys: the withdrawal and the re-add both wait for the run's next task.
  await h.stopWorker();
  let id: string;
  try {
    id = await h.start(input);
    await h.signal(id, SIGNAL.withdraw, { reason: 'unit-removed', by: 'policy' });
    const readd: ReaddSignal = { input: { ...input, generation: 2 }, by: 'policy' };
    await h.signal(id, SIGNAL.readd, readd);
  } finally {
    await h.startWorker();
  }
  const st = await h.until(id, (s) => s.status === 'in-progress', 'the next generation to open');
  expect(st.cycle).toBe(1);
  expect(await getInstance(h.backend.mail!.pool, id)).toMatchObject({ generation: 2, cycle: 1, status: 'in-progress' });
  const lines = (await audit(d.directive.id, id)).map((a) => [a.key, a.action]);
  expect(lines).toEqual([
    [`${id}:1:cycle-scheduled:0`, 'cycle-scheduled'],
    [`${id}:1:withdrawn:0`, 'withdrawn'],
    [`${id}:1:readded-as-next-generation:0`, 'readded-as-next-generation'],
    [`${id}:g2:1:cycle-scheduled:0`, 'cycle-scheduled'],
    [`${id}:g2:1:opened:0`, 'opened'],
  ]);
  expect((await h.notices(id)).filter((n) => n.to === units.health.id).map((n) => n.kind).sort()).toEqual(['opened', 'withdrawn']);
  expect(await h.recordAllRuns(id, 'readd-after-withdrawal')).toBe(2);
});

test('a re-add that reaches a run never asked to withdraw is ignored: that run is the one meant', async () => {
  const d = hanoi3968(await nextDeploymentYear(h));
  await h.sleepUntil(d.deployedAt);
  const input = instanceInput(d.directive, d.contactPoint, units.education);
  const id = await h.start(input);
  await h.until(id, (s) => s.status === 'in-progress', 'the cycle to open');
  await h.signal(id, SIGNAL.readd, { input: { ...input, generation: 2 }, by: 'policy' });
  await h.settle(id);
  await h.signal(id, SIGNAL.withdraw, { reason: 'unit-removed', by: 'policy' });
  await h.settle(id);
  const d2 = await h.env.client.workflow.getHandle(id).describe();
  expect(d2.status.name).toBe('COMPLETED');
  expect((await audit(d.directive.id, id)).map((a) => a.action)).not.toContain('readded-as-next-generation');
});
