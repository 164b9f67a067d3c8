/**
 * Every committed history (test/histories/*.json, recorded by the workflow tests with
 * RECORD_HISTORIES=1) must replay against the current workflow code. A change that would break
 * running instances fails here; guard it with patched() and keep the old branch.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, expect, test } from 'vitest';
import { bundleWorkflows } from '../worker/index.js';
import { HISTORIES_DIR } from './workflows/support/harness.js';

const files = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  bundle = await bundleWorkflows();
});

test('histories are committed for the main paths', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      'deadline-on-time.json', 'deadline-escalated.json', 'recurring-scan.json', 'event-escalated.json',
      'catch-up-late-deployment.json', 'catch-up-windows-before-deployment.json', 'postbox-digest.json',
      'pre-catch-up-deadline-escalated.json', 'pre-catch-up-recurring-scan.json',
    ]),
  );
});

test('every recorded history replays without nondeterminism', async () => {
  const histories = files.map((f) => ({
    workflowId: f.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(`${HISTORIES_DIR}/${f}`, 'utf8'))),
  }));
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
});
