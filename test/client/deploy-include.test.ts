/**
 * `chithi deploy` with a registry split by `include:` (issue 11): the server compiles the one
 * registry file it receives on its own, so the CLI sends it merged, and the deployment reaches the
 * units of the included file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInstances } from '../../activities/store/index.js';
import { REGISTRY_YAML } from './fixtures.js';
import { AS_OF, startClientHarness, type ClientHarness } from './harness.js';

describe('deploy with a registry that includes another file', () => {
  let h: ClientHarness;
  beforeAll(async () => {
    h = await startClientHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('deploys, and the departments listed in the included file get their instances', async () => {
    // The fixture registry, its departments moved into a file of their own.
    const [head, departments] = REGISTRY_YAML.split(/(?=  - id: so-tttt\n)/) as [string, string];
    mkdirSync(join(h.dir, 'danh-muc', 'so'), { recursive: true });
    writeFileSync(join(h.dir, 'danh-muc', 'tinh.yaml'), head.replace('units:\n', 'include: [so/cac-so.yaml]\nunits:\n'));
    writeFileSync(join(h.dir, 'danh-muc', 'so', 'cac-so.yaml'), `apiVersion: chithi/v1\nkind: UnitRegistry\nmetadata:\n  id: cac-so\nunits:\n${departments}`);
    const file = h.writeDirective();
    const validate = await h.cli(['validate', 'danh-muc/tinh.yaml']);
    expect(validate.stdout).toBe('✓ danh-muc/tinh.yaml: valid unit registry\n');
    const r = await h.cli(['deploy', file, '--as-of', AS_OF, '--registry', 'danh-muc/tinh.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('started 6');
    const rows = await h.until('6 instances recorded', () => listInstances(h.db.pool, 'test-directive'), (rows) => rows.length === 6);
    expect(new Set(rows.map((row) => row.unitId))).toEqual(new Set(['so-y-te', 'so-gd']));
  });
});
