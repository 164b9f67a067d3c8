import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInstance, listInstances } from '../../activities/store/index.js';
import { UserError } from '../../client/io.js';
import { queryOrExplain } from '../../service/signal.js';
import { instanceWorkflowId, QUERY } from '../../workflows/types.js';
import { AS_OF, startClientHarness, type ClientHarness } from './harness.js';

const D = 'test-directive';
const QUEUE = 'chithi-custom';

// Issue 8: TEMPORAL_TASK_QUEUE moved the worker only; the CLI kept starting workflows on `chithi`,
// where nobody polled, so a deployed directive silently never ran.
describe('TEMPORAL_TASK_QUEUE: the CLI starts workflows where the worker of the same environment polls', () => {
  let h: ClientHarness;
  beforeAll(async () => {
    h = await startClientHarness({ env: { TEMPORAL_TASK_QUEUE: QUEUE } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('chithi deploy: every instance runs on the custom queue and the worker records it', async () => {
    const r = await h.cli(['deploy', h.writeDirective(), '--as-of', AS_OF]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The worker records an instance's status in its first step: on another queue none would be.
    const rows = await h.until('6 instances recorded by the worker', () => listInstances(h.db.pool, D), (rows) => rows.length === 6, 20_000);
    for (const row of rows) {
      const d = await h.env.client.workflow.getHandle(row.workflowId).describe();
      expect(d.taskQueue).toBe(QUEUE);
    }
  });

  it('chithi report-event: the event instance runs on the custom queue too', async () => {
    const r = await h.cli(['report-event', '--directive', D, '--event', 'attack-detected', '--unit', 'so-gd', '--id', 'q-1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const id = instanceWorkflowId(D, 'report-attack', 'so-gd', 'q-1');
    expect((await h.env.client.workflow.getHandle(id).describe()).taskQueue).toBe(QUEUE);
    await h.until(`${id} recorded`, () => getInstance(h.db.pool, id), (row) => row !== undefined, 20_000);
  });

  it('a query nobody answers says no worker polls that queue; a query for an unknown workflow says not found', async () => {
    // A workflow on a queue no worker polls: the server would hold the query until a worker came.
    await h.env.client.workflow.start('obligationInstance', { workflowId: 'nobody-polls', taskQueue: 'nobody', args: [] });
    const err = await queryOrExplain(h.env.client, QUERY.state, { workflowId: 'nobody-polls', taskQueue: 'nobody', timeoutSeconds: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).text.en).toMatch(/no worker is polling task queue "nobody"/);
    const missing = await queryOrExplain(h.env.client, QUERY.state, { workflowId: 'never-deployed', taskQueue: QUEUE }).catch((e: unknown) => e);
    expect((missing as UserError).text.en).toMatch(/not found in namespace "default"/);
    expect((missing as UserError).text.en).not.toMatch(/worker/);
  });
});
