/**
 * Issue 8, items 1 and 7 at the workflow level (the deploy side: test/client/redeploy.test.ts): a
 * later run of the same workflow id (a unit re-added) keys its notices and audit lines apart and
 * owns the projection row (run-generation-v1); an amendment of an older revision is ignored
 * (amend-revision-order-v1). Their histories are recorded for test/replay.test.ts.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { getInstance, listAudit } from '../../activities/store/index.js';
import { SIGNAL, type AmendSignal } from '../../workflows/types.js';
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
