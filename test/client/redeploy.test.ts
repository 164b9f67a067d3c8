import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestDeployment, getInstance, listAudit, readInbox } from '../../activities/store/index.js';
import { deploy } from '../../service/deploy.js';
import { amendSignal, findObligation, plannedInstances } from '../../service/instances.js';
import { instanceWorkflowId, SIGNAL } from '../../workflows/types.js';
import { startClientHarness, type ClientHarness } from './harness.js';
import type { DirectiveOptions } from './fixtures.js';

/**
 * Issue 8: a unit removed and later re-added runs again as a new generation of its instance
 * (item 1); deploys of one directive are serialised and an instance ignores an amendment older
 * than the revision it runs (item 7). Through `chithi deploy`, as test/client/deploy.test.ts.
 */
describe('redeploying: generations and serialised deploys (time-skipping server + PostgreSQL + worker)', () => {
  let h: ClientHarness;
  beforeAll(async () => {
    h = await startClientHarness();
    writeFileSync(join(h.dir, 'report.pdf'), 'Báo cáo');
  });
  afterAll(async () => {
    await h?.close();
  });

  const deployCli = async (opts: DirectiveOptions, name: string) => {
    const r = await h.cli(['deploy', h.writeDirective(opts, name), '--as-of', '2026-01-05']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  };
  const row = (id: string) => getInstance(h.db.pool, id);
  /** The removed unit's run must be over before it is re-added (the withdrawal is a signal). */
  const closed = (id: string) =>
    h.until(`${id} closed`, async () => (await h.env.client.workflow.getHandle(id).describe()).status.name, (s) => s !== 'RUNNING');
  const audits = async (d: string, id: string, action: string) => (await listAudit(h.db.pool, d, { workflowId: id })).filter((a) => a.action === action);
  const opened = async (d: string, unit: string, obligation: string) =>
    (await readInbox(h.db.pool, unit, { limit: 500 })).filter((n) => n.directiveId === d && n.obligationId === obligation && n.kind === 'opened');

  it('a deadline: removed, then re-added, runs again with its own notices, audit lines and projection row', async () => {
    const D = 'redeploy-deadline';
    const id = instanceWorkflowId(D, 'plan-2027', 'so-gd');
    expect(await deployCli({ id: D }, `${D}-1.yaml`)).toContain('started 6');
    await h.until('first run opened', () => opened(D, 'so-gd', 'plan-2027'), (n) => n.length === 1);

    expect(await deployCli({ id: D, revision: 2, planAssignees: ['so-y-te'] }, `${D}-2.yaml`)).toContain('withdrawn 1');
    await h.until('withdrawn', () => row(id), (r) => r?.status === 'withdrawn');
    await closed(id);

    expect(await deployCli({ id: D, revision: 3 }, `${D}-3.yaml`)).toContain('started 1');
    // The new run's opening reaches the unit: its notice is not taken for the old run's.
    const notices = await h.until('second run opened', () => opened(D, 'so-gd', 'plan-2027'), (n) => n.length === 2, 15_000);
    expect(new Set(notices.map((n) => n.id)).size).toBe(2);
    const lines = await audits(D, id, 'opened');
    expect(lines.map((l) => l.key)).toEqual([`${id}:1:opened:0`, `${id}:g2:1:opened:0`]);
    expect(await audits(D, id, 'cycle-scheduled')).toHaveLength(2);
    const withdrawnAt = (await audits(D, id, 'withdrawn'))[0]!.at;
    expect(Date.parse(lines[1]!.at)).toBeGreaterThanOrEqual(Date.parse(withdrawnAt));

    const sub = await h.cli(['submit', '--directive', D, '--obligation', 'plan-2027', '--unit', 'so-gd', '--file', 'report.pdf']);
    expect(sub.stderr).toBe('');
    expect(sub.code).toBe(0);
    expect(await h.until('awaiting review', () => row(id), (r) => r?.status === 'awaiting-review')).toMatchObject({ generation: 2, cycle: 1 });
    const st = JSON.parse((await h.cli(['status', D, '--unit', 'so-gd', '--json'])).stdout) as { rows: { obligationId: string; status: string; cycle: number }[] };
    expect(st.rows.find((r) => r.obligationId === 'plan-2027')).toMatchObject({ status: 'awaiting-review', cycle: 1 });
  });

  it('a recurring duty: removed in its second cycle, then re-added, starts again at cycle 1 and takes evidence', async () => {
    const D = 'redeploy-recurring';
    const id = instanceWorkflowId(D, 'monthly-report', 'so-gd');
    const ref = ['--directive', D, '--obligation', 'monthly-report', '--unit', 'so-gd'];
    expect(await deployCli({ id: D, monthlyAssignees: ['so-y-te', 'so-gd'] }, `${D}-1.yaml`)).toContain('started 8');
    await h.until('first cycle open', () => row(id), (r) => r !== undefined && r.status !== 'not-yet-due');
    expect((await h.cli(['submit', ...ref, '--file', 'report.pdf'])).code).toBe(0);
    await h.until('awaiting review', () => row(id), (r) => r?.status === 'awaiting-review');
    const accepted = await h.cli(['review', 'accept', ...ref]);
    expect(accepted.stderr).toBe('');
    await h.until('second cycle', () => row(id), (r) => r?.cycle === 2 && r.status === 'in-progress');

    expect(await deployCli({ id: D, revision: 2, monthlyAssignees: ['so-y-te'] }, `${D}-2.yaml`)).toContain('withdrawn 1');
    await h.until('withdrawn', () => row(id), (r) => r?.status === 'withdrawn');
    await closed(id);

    expect(await deployCli({ id: D, revision: 3, monthlyAssignees: ['so-y-te', 'so-gd'] }, `${D}-3.yaml`)).toContain('started 1');
    // The new run's cycle 1 replaces the old run's withdrawn cycle 2 in the projection.
    const fresh = await h.until('the new run in the projection', () => row(id), (r) => r?.cycle === 1 && r.status !== 'withdrawn', 15_000);
    expect(fresh?.everCompleted).toBe(false);
    await h.until('third opening', () => opened(D, 'so-gd', 'monthly-report'), (n) => n.length === 3, 15_000);

    const sub = await h.cli(['submit', ...ref, '--file', 'report.pdf']);
    expect(sub.stderr).toBe('');
    expect(sub.code).toBe(0);
    await h.until('awaiting review again', () => row(id), (r) => r?.status === 'awaiting-review' && r.cycle === 1);
    const st = JSON.parse((await h.cli(['status', D, '--unit', 'so-gd', '--json'])).stdout) as { rows: { obligationId: string; status: string; cycle: number }[] };
    expect(st.rows.find((r) => r.obligationId === 'monthly-report')).toMatchObject({ status: 'awaiting-review', cycle: 1 });
  });

  it('removed, then re-added while no worker ran: the withdrawal is processed and the unit runs again as the next generation', async () => {
    const D = 'redeploy-worker-down';
    const id = instanceWorkflowId(D, 'plan-2027', 'so-gd');
    // Every deploy while the workers are down: the run still holds its withdrawal, unprocessed,
    // when the unit is assigned again. It was counted unchanged, then withdrew and ended: no run
    // left. (Down from the first deploy: the test server never moves a workflow off a stopped
    // worker's sticky queue, see test/workflows/support/harness.ts.)
    await h.stopWorker();
    try {
      expect(await deployCli({ id: D }, `${D}-1.yaml`)).toContain('started 6');
      expect(await deployCli({ id: D, revision: 2, planAssignees: ['so-y-te'] }, `${D}-2.yaml`)).toContain('withdrawn 1');
      expect(await deployCli({ id: D, revision: 3 }, `${D}-3.yaml`)).toContain('started 1');
      // An amendment after the re-add belongs to the next generation, not to the withdrawn run.
      expect(await deployCli({ id: D, revision: 4, futureDue: '2028-06-30' }, `${D}-4.yaml`)).toContain('amended 2');
    } finally {
      await h.startWorker();
    }

    const fresh = await h.until('the next generation, amended, in the projection', () => row(id), (r) => r?.generation === 2 && r.due === '2028-06-30', 15_000);
    expect(fresh).toMatchObject({ cycle: 1, status: 'in-progress' });
    expect((await h.env.client.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');
    expect((await h.state(id)).due).toBe('2028-06-30');
    // The old generation withdrew as it would have with a worker (audited, the unit told), once.
    expect(await audits(D, id, 'withdrawn')).toHaveLength(1);
    expect((await audits(D, id, 'readded-as-next-generation')).map((a) => a.detail)).toEqual([{ generation: 2 }]);
    // Applied once: by the old run here (signals that reach a run before its first task go to their
    // handlers in registration order) or, with the run already going, carried into the next one.
    expect((await audits(D, id, 'amended')).map((a) => a.detail?.revision)).toEqual([4]);
    const notices = await h.until('the next generation opened', () => opened(D, 'so-gd', 'plan-2027'), (n) => n.length === 1, 15_000);
    expect(notices[0]!.id).toBeDefined();
    expect((await audits(D, id, 'opened')).map((l) => l.key)).toEqual([`${id}:g2:1:opened:0`]);
    const withdrawnNotices = (await readInbox(h.db.pool, 'so-gd', { limit: 500 })).filter((n) => n.directiveId === D && n.obligationId === 'plan-2027' && n.kind === 'withdrawn');
    expect(withdrawnNotices).toHaveLength(1);

    const sub = await h.cli(['submit', '--directive', D, '--obligation', 'plan-2027', '--unit', 'so-gd', '--file', 'report.pdf']);
    expect(sub.stderr).toBe('');
    await h.until('awaiting review', () => row(id), (r) => r?.status === 'awaiting-review' && r.generation === 2);
  });

  describe('deploys of one directive are serialised', () => {
    const D = 'redeploy-concurrent';
    const rev = (revision: number, futureDue: string): DirectiveOptions => ({ id: D, revision, titleSuffix: ` (sửa đổi ${revision})`, futureDue });

    it('two concurrent deploys of revisions 2 and 3 leave every instance and the deployments at revision 3', async () => {
      expect(await deployCli({ id: D }, `${D}-1.yaml`)).toContain('started 6');
      const plan2 = await h.compile(h.writeDirective(rev(2, '2028-03-31'), `${D}-2.yaml`));
      const plan3 = await h.compile(h.writeDirective(rev(3, '2028-06-30'), `${D}-3.yaml`));
      const opts = { client: h.env.client, pool: h.db.pool, concurrency: 2 };
      const [r3, r2] = await Promise.allSettled([deploy(plan3, opts), deploy(plan2, opts)]);
      expect(r3.status).toBe('fulfilled');
      // Revision 2 either went first and was amended over by 3, or came second and was refused.
      if (r2.status === 'rejected') expect(String(r2.reason)).toContain('older revision');

      expect((await getLatestDeployment(h.db.pool, D))?.revision).toBe(3);
      for (const p of plannedInstances(plan3)) {
        const last = await h.until(
          `${p.workflowId} amended`,
          async () => (await audits(D, p.workflowId, 'amended')).at(-1)?.detail?.revision,
          (r) => r !== undefined,
        );
        expect(last, p.workflowId).toBe(3);
      }
      for (const unit of ['so-y-te', 'so-gd']) {
        const st = await h.until('due of revision 3', () => h.state(instanceWorkflowId(D, 'plan-2027', unit)), (s) => s.due !== undefined);
        expect(st.due).toBe('2028-06-30');
      }
    });

    it('an amendment of an older revision sent straight to Temporal changes nothing', async () => {
      const D = 'redeploy-older-amend';
      const id = instanceWorkflowId(D, 'plan-2027', 'so-y-te');
      expect(await deployCli({ id: D }, `${D}-1.yaml`)).toContain('started 6');
      expect(await deployCli({ id: D, revision: 3, futureDue: '2028-06-30' }, `${D}-3.yaml`)).toContain('amended 2');
      const before = await h.until('revision 3 applied', () => h.state(id), (s) => s.due === '2028-06-30');
      await h.until('revision 3 audited', () => audits(D, id, 'amended'), (a) => a.length === 1);
      const plan2 = await h.compile(h.writeDirective({ id: D, revision: 2, futureDue: '2028-01-31' }, `${D}-2.yaml`));
      const seen = async () => (await listAudit(h.db.pool, D, { workflowId: id })).filter((a) => a.action === 'amended' || a.action === 'amend-ignored-older-revision');
      const n = (await seen()).length;
      await h.env.client.workflow.getHandle(id).signal(SIGNAL.amend, amendSignal(plan2, findObligation(plan2, 'plan-2027'), 'so-y-te'));
      const lines = await h.until('the amendment handled', seen, (a) => a.length > n, 15_000);
      expect(lines.at(-1)).toMatchObject({ action: 'amend-ignored-older-revision', detail: { revision: 2, running: 3 } });
      const after = await h.state(id);
      expect(after.due).toBe('2028-06-30');
      expect(after.status).toBe(before.status);
      expect(await audits(D, id, 'amended').then((a) => a.at(-1)?.detail?.revision)).toBe(3);
    });
  });
});
