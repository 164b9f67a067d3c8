/**
 * chithi's search attributes (issue 12) on a server that has them registered: the dev server
 * `npm start` runs, with `--search-attribute` flags. The time-skipping server has no operator
 * service, so every other workflow test runs without them (and must: their histories are unchanged).
 * An instance started as a deploy starts it (no attributes, its input saying the server has them)
 * is named by its first step, directive, obligation and unit with its status, and its status
 * follows the projection's into ChithiStatus, where an operator filters by it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, startDelivery, type Delivery } from '../../activities/index.js';
import { compileFile } from '../../compiler/index.js';
import { deploy } from '../../service/deploy.js';
import { plannedInstances } from '../../service/instances.js';
import { directiveYaml, REGISTRY_YAML } from '../client/fixtures.js';
import { fileEmailChannel } from '../../activities/notify/email.js';
import { listInstances } from '../../activities/store/instances.js';
import { clientConnectionOptions, localTemporalSettings, nativeConnectionOptions, temporalSettings } from '../../common/config.js';
import { freePort, startLocalTemporal, type LocalTemporal } from '../../service/local-temporal.js';
import { DEV_SERVER_SEARCH_ATTRIBUTES, hasChithiSearchAttributes } from '../../service/search-attributes.js';
import { bundleWorkflows, createWorker } from '../../worker/index.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import { instanceWorkflowId } from '../../workflows/types.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { hanoi3968, instanceInput, units } from './support/fixtures.js';
import { HISTORIES_DIR } from './support/harness.js';

const QUEUE = 'chithi-test-search-attributes';

describe('search attributes on a server that has them', () => {
  let server: LocalTemporal;
  let db: TestDatabase;
  let connection: Connection;
  let native: NativeConnection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  let delivery: Delivery;
  let mailDir: string;

  beforeAll(async () => {
    server = await startLocalTemporal({ port: await freePort(), searchAttributes: DEV_SERVER_SEARCH_ATTRIBUTES });
    const t = localTemporalSettings(temporalSettings({}), server.address);
    db = await freshDatabase();
    mailDir = mkdtempSync(join(tmpdir(), 'chithi-sa-mail-'));
    const channels = { email: fileEmailChannel(mailDir) };
    delivery = startDelivery({ pool: db.pool, channels });
    connection = await Connection.connect(clientConnectionOptions(t));
    client = new Client({ connection, namespace: t.namespace });
    native = await NativeConnection.connect(nativeConnectionOptions(t));
    worker = await createWorker({
      connection: native,
      taskQueue: QUEUE,
      activities: createActivities({ pool: db.pool, channels, delivery }),
      workflowBundle: await bundleWorkflows(),
      shutdownGraceSeconds: 1,
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await delivery?.stop();
    await native?.close();
    await connection?.close();
    await db?.drop();
    await server?.stop();
    rmSync(mailDir, { recursive: true, force: true });
  });

  it("a deployed instance is named by its first step, directive, obligation and unit, and ChithiStatus follows its status", async () => {
    expect(await hasChithiSearchAttributes(client)).toBe(true);
    // Deployed today, due in November 2022: overdue from its first step.
    const h = hanoi3968(2022);
    const input = instanceInput(h.directive, h.responsePlan, units.health);
    const workflowId = instanceWorkflowId(h.directive.id, h.responsePlan.id, units.health.id);
    // As service/deploy.ts starts it: unnamed, its input saying the server has chithi's attributes.
    const handle = await client.workflow.start('obligationInstance', { workflowId, taskQueue: QUEUE, args: [{ ...input, searchAttributes: true }] });

    let projected: string | undefined;
    let shown: string | undefined;
    for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      projected = (await listInstances(db.pool, h.directive.id))[0]?.status;
      shown = (await handle.describe()).typedSearchAttributes.get(SEARCH_ATTRIBUTES.status);
      if (projected === 'overdue' && shown === 'overdue') break;
    }
    expect(projected).toBe('overdue');
    expect(shown).toBe('overdue');
    const attrs = (await handle.describe()).typedSearchAttributes;
    expect([attrs.get(SEARCH_ATTRIBUTES.directive), attrs.get(SEARCH_ATTRIBUTES.obligation), attrs.get(SEARCH_ATTRIBUTES.unit)]).toEqual([
      h.directive.id,
      h.responsePlan.id,
      units.health.id,
    ]);

    // What an operator types in the Temporal UI's filter (visibility catches up shortly).
    let found = 0;
    for (const until = Date.now() + 15_000; Date.now() < until && found !== 1; await new Promise((r) => setTimeout(r, 200))) {
      found = (await client.workflow.count(`ChithiDirective = '${h.directive.id}' AND ChithiUnit = 'so-y-te' AND ChithiStatus = 'overdue'`)).count;
    }
    expect(found).toBe(1);

    // Named once: the start carried no attribute, and the first step's upsert all four.
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events[0]?.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields ?? {}).toEqual({});
    // (The SDK's own upserts of TemporalChangeVersion, for patches, are not chithi's.)
    const upserts = events
      .map((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).filter((k) => k.startsWith('Chithi')).sort())
      .filter((keys) => keys.length > 0);
    expect(upserts[0]).toEqual(['ChithiDirective', 'ChithiObligation', 'ChithiStatus', 'ChithiUnit']);

    // The patch's branch, replayed by test/replay.test.ts with every history. The run started with
    // the three attributes (search-attributes-v1 alone) is search-attributes-overdue.json.
    if (process.env.RECORD_HISTORIES === '1') {
      mkdirSync(HISTORIES_DIR, { recursive: true });
      writeFileSync(`${HISTORIES_DIR}/search-attributes-first-step.json`, historyToJSON(await handle.fetchHistory()));
    }
    await handle.terminate('test over');
  });

  it('chithi deploy starts every instance unnamed, and its first step names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chithi-sa-directive-'));
    const file = join(dir, 'sa-directive.yaml');
    writeFileSync(join(dir, 'registry.yaml'), REGISTRY_YAML);
    writeFileSync(file, directiveYaml({ id: 'sa-directive' }));
    const compiled = await compileFile(file, { asOf: '2026-01-05' });
    rmSync(dir, { recursive: true, force: true });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    const plan = compiled.plan;
    const result = await deploy(plan, { client, pool: db.pool, taskQueue: QUEUE });
    const planned = plannedInstances(plan);
    expect(result.started).toBe(planned.length);

    // Every instance under its directive in the operator's filter, once its first step ran.
    let found = 0;
    for (const until = Date.now() + 30_000; Date.now() < until && found !== planned.length; await new Promise((r) => setTimeout(r, 200))) {
      found = (await client.workflow.count(`ChithiDirective = '${plan.directive.id}'`)).count;
    }
    expect(found).toBe(planned.length);
    for (const p of planned) {
      const handle = client.workflow.getHandle(p.workflowId);
      const attrs = (await handle.describe()).typedSearchAttributes;
      expect([attrs.get(SEARCH_ATTRIBUTES.obligation), attrs.get(SEARCH_ATTRIBUTES.unit)]).toEqual([p.obligation.id, p.unitId]);
      // Started with none: the start's event carries no attribute, its input says the server has them.
      const started = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
      expect(started?.searchAttributes?.indexedFields ?? {}).toEqual({});
      await handle.terminate('test over');
    }
  });
});
