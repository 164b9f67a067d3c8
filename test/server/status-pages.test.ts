/**
 * `chithi status` at a national directive's size (issue 12, item 4): the status route gives the
 * counts of every matching row and one page of them (1,000 by default), so 100,000 instances are
 * read by their summary or page by page; a directive of up to a page reads whole, in its old order.
 * The CLI prints a summary per obligation beyond a page, every row with --all, and a small
 * directive's table as before. No Temporal: the route reads the projection only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertStatus } from '../../activities/store/instances.js';
import { createAccount } from '../../activities/store/accounts.js';
import { recordDeployment } from '../../activities/store/deployments.js';
import { syntheticPlan } from '../../bench/synthetic-plan.js';
import { main } from '../../client/cli.js';
import { loadConfig, serverSettings } from '../../common/config.js';
import type { Plan } from '../../compiler/plan.js';
import { issueToken } from '../../server/auth/tokens.js';
import { buildServer } from '../../server/app.js';
import type { StatusReport } from '../../service/status.js';
import type { InstanceStatus } from '../../workflows/types.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

const STATUSES: InstanceStatus[] = ['not-yet-due', 'in-progress', 'overdue', 'completed-on-time', 'overdue', 'completed-late', 'awaiting-review'];

let db: TestDatabase;
let app: Awaited<ReturnType<typeof buildServer>>;
let url: string;
let dir: string;
const tokens: Record<string, string> = {};
let big: Plan;
let small: Plan;

/** Every instance of the plan in the projection, statuses spread over the list above. */
async function project(plan: Plan): Promise<void> {
  await recordDeployment(db.pool, { plan, deployedBy: 'test' });
  let k = 0;
  for (const o of plan.obligations) {
    for (const unitId of o.assignees) {
      const status = STATUSES[k++ % STATUSES.length]!;
      await upsertStatus(db.pool, {
        workflowId: `${plan.directive.id}/${o.id}/${unitId}`,
        directiveId: plan.directive.id,
        obligationId: o.id,
        unitId,
        cycle: 1,
        status,
        due: '2030-06-15',
        ...(status.startsWith('completed') && { completedAt: '2030-06-14T03:00:00.000Z' }),
        at: new Date().toISOString(),
        generation: 1,
      });
    }
  }
}

async function get(who: string, path: string): Promise<StatusReport> {
  const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
  expect(r.status, await r.clone().text()).toBe(200);
  return (await r.json()) as StatusReport;
}

async function cli(who: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const env = { CHITHI_API_URL: url, CHITHI_TOKEN: tokens[who], CHITHI_LANG: 'en', CHITHI_CREDENTIALS_FILE: join(dir, 'credentials.json') };
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd: dir });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chithi-status-pages-'));
  db = await freshDatabase();
  // 1,250 instances (50 units × 25 obligations): beyond one page of 1,000. 60 (6 × 10): within one.
  big = syntheticPlan(1_250, 'national-shaped', 50);
  small = syntheticPlan(60, 'province-shaped', 6);
  await project(big);
  await project(small);
  await createAccount(db.pool, { login: 'leader', unitId: 'leadership', roles: ['leadership'], createdBy: 'test' });
  await createAccount(db.pool, { login: 'officer', unitId: 'unit-007', roles: ['officer'], createdBy: 'test' });
  for (const login of ['leader', 'officer']) tokens[login] = (await issueToken(db.pool, login, 'test')).token;
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = await buildServer({ pool: db.pool, client, config: loadConfig({}), settings: serverSettings({}) });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the status route at scale', () => {
  it('beyond a page: the counts of every row, one page of rows, and every row exactly once across the pages', async () => {
    const first = await get('leader', `/api/v1/directives/${big.directive.id}/status`);
    expect(first.total).toBe(1_250);
    expect(first.rows).toHaveLength(1_000);
    expect(first.offset).toBe(0);
    // Counts of all 1,250, not of the page: overdue is 2 of every 7 instances.
    expect(Object.values(first.counts).reduce((a, b) => a + b, 0)).toBe(1_250);
    expect(first.counts.overdue).toBe(357);
    expect(first.byObligation.map((o) => o.obligationId)).toEqual(big.obligations.map((o) => o.id));
    expect(first.byObligation.every((o) => o.total === 50)).toBe(true);

    const second = await get('leader', `/api/v1/directives/${big.directive.id}/status?offset=1000`);
    expect(second.rows).toHaveLength(250);
    expect(second.total).toBe(1_250);
    const ids = [...first.rows, ...second.rows].map((r) => `${r.obligationId}/${r.unitId}`);
    expect(new Set(ids).size).toBe(1_250);
    // By unit, then the plan's obligations.
    expect(first.rows.slice(0, 3).map((r) => [r.unitId, r.obligationId])).toEqual([
      ['unit-000', 'obligation-0'],
      ['unit-000', 'obligation-1'],
      ['unit-000', 'obligation-2'],
    ]);

    const whole = await get('leader', `/api/v1/directives/${big.directive.id}/status?limit=10000`);
    expect(whole.rows).toHaveLength(1_250);
  });

  it('a filter counts and pages what it matches', async () => {
    const overdue = await get('leader', `/api/v1/directives/${big.directive.id}/status?status=overdue`);
    expect(overdue.total).toBe(357);
    expect(overdue.rows).toHaveLength(357);
    expect(overdue.rows.every((r) => r.status === 'overdue')).toBe(true);
    expect(overdue.counts).toEqual({ overdue: 357 });
  });

  it('within a page: every row in the order it always had', async () => {
    const r = await get('leader', `/api/v1/directives/${small.directive.id}/status`);
    expect(r.total).toBe(60);
    expect(r.rows).toHaveLength(60);
    expect(r.rows[0]).toMatchObject({ unitId: 'unit-000', obligationId: 'obligation-0' });
    expect(r.rows[10]).toMatchObject({ unitId: 'unit-001', obligationId: 'obligation-0' });
    // Any page of it is a slice of that same order.
    const rest = await get('leader', `/api/v1/directives/${small.directive.id}/status?offset=50`);
    expect(rest.rows).toEqual(r.rows.slice(50));
    expect(rest.total).toBe(60);
  });

  it("an officer's report is its own unit's rows, counted and paged as such", async () => {
    const r = await get('officer', `/api/v1/directives/${big.directive.id}/status`);
    expect(r.total).toBe(25);
    expect(r.rows).toHaveLength(25);
    expect(new Set(r.rows.map((x) => x.unitId))).toEqual(new Set(['unit-007']));
    expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(25);
    expect(r.byObligation.reduce((n, o) => n + o.total, 0)).toBe(25);
    const page = await get('officer', `/api/v1/directives/${big.directive.id}/status?limit=10&offset=20`);
    expect(page.rows).toHaveLength(5);
    expect(page.total).toBe(25);
  });

  it('refuses a page larger than 10,000', async () => {
    const r = await fetch(`${url}/api/v1/directives/${big.directive.id}/status?limit=10001`, { headers: { authorization: `Bearer ${tokens.leader}` } });
    expect(r.status).toBe(400);
  });
});

describe('chithi status at scale', () => {
  it('beyond a page prints a summary per obligation and says how to see the rows', async () => {
    const r = await cli('leader', ['status', big.directive.id]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1250 rows; by obligation:');
    expect(r.stdout).toMatch(/^obligation-24\s+3\.4\s+/m);
    expect(r.stdout).toContain('overdue, not completed: 357');
    expect(r.stdout).toContain('Total: 1250');
    expect(r.stdout).toContain('narrow them with --unit, --overdue or --status, or print them all with --all');
    // No unit's row.
    expect(r.stdout).not.toMatch(/^unit-\d{3}\s/m);
    expect(r.stdout.split('\n').length).toBeLessThan(60);
  });

  it('--all prints every row, fetched page by page', async () => {
    const r = await cli('leader', ['status', big.directive.id, '--all']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^unit-\d{3}\s/.test(l))).toHaveLength(1_250);
    expect(r.stdout).toContain('Total: 1250');
    expect(r.stdout).not.toContain('by obligation');
  });

  it('a small directive prints its table as before', async () => {
    const r = await cli('leader', ['status', small.directive.id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Unit\s+Obligation\s+Clause\s+Status\s+Due$/m);
    expect(r.stdout.split('\n').filter((l) => /^unit-\d{3}\s/.test(l))).toHaveLength(60);
    expect(r.stdout).toContain('Total: 60');
    expect(r.stdout).not.toContain('--all');
  });

  it('--unit narrows a national directive to a table again', async () => {
    const r = await cli('leader', ['status', big.directive.id, '--unit', 'unit-042']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^unit-042\s/.test(l))).toHaveLength(25);
  });
});
