/**
 * Issue 8, item 2: submit, review and extend each write a row, then signal the workflow. Each is
 * one idempotent action with a client-generated id: a signal that fails after the write is
 * repaired by running the same command again (with the printed `--id`), two reviewers cannot
 * record contradictory decisions, and an extension request lapses with its cycle.
 * Each test failed on the code before the change (see the issue note).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceError, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOnly as parseExtend } from '../../client/commands/extend.js';
import { parseOnly as parseSubmit } from '../../client/commands/submit.js';
import { decideExtension } from '../../service/extension.js';
import { UserError } from '../../client/io.js';
import { review } from '../../service/review.js';
import { submit } from '../../service/submit.js';
import { getInstance, listAudit } from '../../activities/store/index.js';
import { instanceWorkflowId } from '../../workflows/types.js';
import { startClientHarness, type ClientHarness } from './harness.js';

const D = 'actions-directive';
const wf = (o: string, u: string) => instanceWorkflowId(D, o, u);

/**
 * The real client, except that the next `n` signals fail as a lost connection does: the row is
 * written, the workflow never hears of it.
 */
function failingSignals(client: Client, n = 1): Client {
  let left = n;
  const workflow = new Proxy(client.workflow, {
    get(target, prop) {
      if (prop !== 'getHandle') return Reflect.get(target, prop, target) as unknown;
      return (...args: Parameters<Client['workflow']['getHandle']>) => {
        const handle = target.getHandle(...args);
        return new Proxy(handle, {
          get(h, p) {
            if (p === 'signal' && left > 0) {
              return async () => {
                left--;
                throw new ServiceError('Failed to signal workflow', { cause: new Error('14 UNAVAILABLE: Connection reset by peer') });
              };
            }
            return Reflect.get(h, p, h) as unknown;
          },
        });
      };
    },
  });
  return new Proxy(client, { get: (target, prop) => (prop === 'workflow' ? workflow : (Reflect.get(target, prop, target) as unknown)) });
}

async function failure(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

/** The id a failure message tells the user to retry with. */
function retryId(err: UserError): string {
  const m = /--id ([0-9a-f-]{36})/.exec(err.text.en);
  expect(m, err.text.en).not.toBeNull();
  expect(err.text.vi).toContain(`--id ${m![1]}`);
  return m![1]!;
}

describe('submit, review and extend are idempotent actions (time-skipping server + PostgreSQL + worker)', () => {
  let h: ClientHarness;
  beforeAll(async () => {
    h = await startClientHarness();
    const file = h.writeDirective({ id: D, monthlyAssignees: ['so-y-te'] });
    const r = await h.cli(['deploy', file, '--as-of', '2026-01-05']);
    expect(r.stderr).toBe('');
    writeFileSync(join(h.dir, 'plan.pdf'), 'Kế hoạch 2027');
    writeFileSync(join(h.dir, 'other.pdf'), 'Một kế hoạch khác');
    writeFileSync(join(h.dir, 'scan.pdf'), 'Báo cáo tháng');
  });
  afterAll(async () => {
    await h?.close();
  });

  const count = async (sql: string, ...params: unknown[]) => Number((await h.db.pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  const statusOf = async (id: string) => (await getInstance(h.db.pool, id))?.status;
  const waitStatus = (id: string, ok: (s: string | undefined) => boolean) => h.until(`status of ${id}`, () => statusOf(id), ok);
  const ref = (o: string, u: string) => ['--directive', D, '--obligation', o, '--unit', u];
  const deps = (client: Client) => ({ client, pool: h.db.pool });

  it('submit: a signal lost after the write is re-sent by the same command with the printed --id; one row, one submission', async () => {
    const id = wf('plan-2027', 'so-y-te');
    await waitStatus(id, (s) => s === 'in-progress');
    const args = [...ref('plan-2027', 'so-y-te'), '--file', 'plan.pdf'];
    // As the server does for the officer the harness signs the CLI in as (test/client/harness.ts).
    const err = await failure(submit({ ...parseSubmit(args), cwd: h.dir, by: 'so-y-te/officer.so-y-te' }, deps(failingSignals(h.env.client))));
    expect(err.exitCode).toBe(1);
    const submissionId = retryId(err);
    expect(await count('SELECT count(*) AS n FROM submissions WHERE workflow_id = $1', id)).toBe(1);
    expect((await h.state(id)).submissions).toEqual([]);

    const retry = await h.cli(['submit', ...args, '--id', submissionId]);
    expect(retry.stderr).toBe('');
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain(submissionId);
    await waitStatus(id, (s) => s === 'awaiting-review');
    // Once more: still one row, still one submission (the workflow takes an id once).
    expect((await h.cli(['submit', ...args, '--id', submissionId])).code).toBe(0);
    const state = await h.until('the repeat', () => h.state(id), (s) => s.status === 'awaiting-review');
    expect(state.submissions.map((s) => s.submissionId)).toEqual([submissionId]);
    expect(await count('SELECT count(*) AS n FROM submissions WHERE workflow_id = $1', id)).toBe(1);

    // The same id for other evidence is refused; nothing is written.
    const other = await h.cli(['submit', ...ref('plan-2027', 'so-y-te'), '--file', 'other.pdf', '--id', submissionId]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(submissionId);
    expect(other.stderr).toContain('different');
    expect(await count('SELECT count(*) AS n FROM evidence e JOIN submissions s ON s.id = e.submission_id WHERE s.workflow_id = $1', id)).toBe(1);
    const vi = await h.cli(['submit', ...ref('plan-2027', 'so-y-te'), '--file', 'other.pdf', '--id', submissionId, '--lang', 'vi']);
    expect(vi.stderr).toContain('khác');

    const bad = await h.cli(['submit', ...args, '--id', 'lan-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--id');
  });

  it('review: one decision per submission; a lost signal is re-sent by running the same command; a contradicting reviewer is told who decided', async () => {
    const id = wf('drill', 'so-y-te');
    await waitStatus(id, (s) => s === 'in-progress');
    expect((await h.cli(['submit', ...ref('drill', 'so-y-te'), '--file', 'plan.pdf'])).code).toBe(0);
    await waitStatus(id, (s) => s === 'awaiting-review');
    const reviewRef = { directive: D, obligation: 'drill', unit: 'so-y-te' };
    const err = await failure(review({ ...reviewRef, decision: 'accept', comment: 'Đạt', as: 'so-tttt/reviewer.so-tttt' }, deps(failingSignals(h.env.client))));
    expect(err.exitCode).toBe(1);
    const reviewId = retryId(err);
    expect((await h.state(id)).status).toBe('awaiting-review');

    // A second reviewer, who would reject it: the first decision stands, the second is not written.
    const other = await h.cli(['review', 'reject', ...ref('drill', 'so-y-te'), '--comment', 'Thiếu chữ ký']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('already decided');
    expect(other.stderr).toContain('so-tttt');
    expect(other.stderr).toContain(reviewId);
    expect(await count('SELECT count(*) AS n FROM reviews r JOIN submissions s ON s.id = r.submission_id WHERE s.workflow_id = $1', id)).toBe(1);

    // The same decision again (no --id): the recorded one is sent again.
    const again = await h.cli(['review', 'accept', ...ref('drill', 'so-y-te'), '--comment', 'Đạt']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    await waitStatus(id, (s) => s === 'completed-on-time');
    expect(await count('SELECT count(*) AS n FROM reviews r JOIN submissions s ON s.id = r.submission_id WHERE s.workflow_id = $1', id)).toBe(1);
  });

  it('review: two reviewers racing with opposite decisions record one; the other is refused', async () => {
    const id = wf('plan-2027', 'so-gd');
    await waitStatus(id, (s) => s === 'in-progress');
    const sub = await h.cli(['submit', ...ref('plan-2027', 'so-gd'), '--file', 'plan.pdf']);
    expect(sub.code).toBe(0);
    await waitStatus(id, (s) => s === 'awaiting-review');
    const reviewRef = { directive: D, obligation: 'plan-2027', unit: 'so-gd' };
    const results = await Promise.allSettled([
      review({ ...reviewRef, decision: 'accept' }, deps(h.env.client)),
      review({ ...reviewRef, decision: 'reject', comment: 'Thiếu chữ ký' }, deps(h.env.client)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect((refused?.reason as UserError).text.en).toContain('already decided');
    expect(await count('SELECT count(*) AS n FROM reviews r JOIN submissions s ON s.id = r.submission_id WHERE s.workflow_id = $1', id)).toBe(1);
    const stored = (await h.db.pool.query<{ decision: string }>('SELECT decision FROM reviews r JOIN submissions s ON s.id = r.submission_id WHERE s.workflow_id = $1', [id])).rows[0]!;
    const state = await h.until('the decision', () => h.state(id), (s) => s.submissions[0]?.decision !== undefined);
    expect(state.submissions[0]!.decision).toBe(stored.decision);
  });

  it('extend: a decision whose signal was lost is sent again by running the same command; it is not lost from the pending list', async () => {
    const id = wf('contact-point', 'so-gd');
    await waitStatus(id, (s) => s === 'overdue');
    const req = await h.cli(['extend', 'request', ...ref('contact-point', 'so-gd'), '--until', '2027-06-30', '--reason', 'Chờ kiện toàn nhân sự']);
    expect(req.stderr).toBe('');
    await h.until('the request', () => h.state(id), (s) => s.extensions.length === 1);
    const args = ['approve', ...ref('contact-point', 'so-gd'), '--comment', 'Đồng ý'];
    const approve = parseExtend(args);
    if (approve.action === 'request') throw new Error('parsed as a request');
    const lost = await decideExtension({ ...approve.decision, by: 'so-tttt/reviewer.so-tttt' }, deps(failingSignals(h.env.client))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((await h.state(id)).due).toBe('2026-02-27');

    // Before the change the decision was written and the request left the pending list: the same
    // command found nothing to decide, and nothing could send the decision again.
    const again = await h.cli(['extend', ...args]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const state = await h.until('the extension', () => h.state(id), (s) => s.due === '2027-06-30');
    expect(state.status).toBe('in-progress');
    expect(await count('SELECT count(*) AS n FROM extensions WHERE workflow_id = $1', id)).toBe(1);

    // The failure named the id that sends it again; sending it again after success changes nothing.
    expect(lost).toBeInstanceOf(UserError);
    const decisionId = retryId(lost as UserError);
    const byId = await h.cli(['extend', 'approve', ...ref('contact-point', 'so-gd'), '--comment', 'Đồng ý', '--id', decisionId]);
    expect(byId.stderr).toBe('');
    expect(byId.code).toBe(0);
    // A contradicting decision on the same request is refused, naming the first.
    const contra = await h.cli(['extend', 'reject', ...ref('contact-point', 'so-gd'), '--request', state.extensions[0]!.requestId]);
    expect(contra.code).toBe(1);
    expect(contra.stderr).toContain('already decided');
    const settled = await h.state(id);
    expect(settled.extensions).toMatchObject([{ approved: true, until: '2027-06-30' }]);
  });

  it('extend approve does not decide a request left pending from an earlier cycle', async () => {
    const id = wf('monthly-report', 'so-y-te');
    await waitStatus(id, (s) => s === 'overdue' || s === 'in-progress');
    const asked = await h.cli(['extend', 'request', ...ref('monthly-report', 'so-y-te'), '--until', '2027-12-31', '--reason', 'Chờ số liệu']);
    expect(asked.stderr).toBe('');
    const requestId = /([0-9a-f-]{36})/.exec(asked.stdout)![1]!;
    await h.until('the request', () => h.state(id), (s) => s.extensions.length === 1);
    // The cycle ends by the unit's report being accepted, the request still undecided.
    expect((await h.cli(['submit', ...ref('monthly-report', 'so-y-te'), '--file', 'scan.pdf'])).code).toBe(0);
    await waitStatus(id, (s) => s === 'awaiting-review');
    expect((await h.cli(['review', 'accept', ...ref('monthly-report', 'so-y-te')])).code).toBe(0);
    await h.until('cycle 2', () => getInstance(h.db.pool, id), (r) => r?.cycle === 2);

    const latest = await h.cli(['extend', 'approve', ...ref('monthly-report', 'so-y-te')]);
    expect(latest.code).toBe(1);
    expect(latest.stderr).toContain('cycle 1');
    expect(latest.stderr).toContain(requestId);
    const named = await h.cli(['extend', 'approve', ...ref('monthly-report', 'so-y-te'), '--request', requestId]);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain('cycle 1');
    // Nothing written: the request is still undecided in the store, nothing reached the workflow.
    expect(await count('SELECT count(*) AS n FROM extensions WHERE request_id = $1 AND approved IS NULL', requestId)).toBe(1);
    const audit = await listAudit(h.db.pool, D, { workflowId: id });
    expect(audit.filter((a) => a.action.startsWith('extension-decision'))).toEqual([]);
  });

  it('extend approve does not decide a request left pending by an earlier run of the duty (unit removed and re-added)', async () => {
    const R = 'actions-rerun';
    const id = instanceWorkflowId(R, 'plan-2027', 'so-gd');
    const rerunRef = ['--directive', R, '--obligation', 'plan-2027', '--unit', 'so-gd'];
    const deployed = async (revision: number, planAssignees?: string[]) => {
      const r = await h.cli(['deploy', h.writeDirective({ id: R, revision, ...(planAssignees && { planAssignees }) }, `${R}-${revision}.yaml`), '--as-of', '2026-01-05']);
      expect(r.stderr).toBe('');
    };
    await deployed(1);
    await waitStatus(id, (s) => s === 'in-progress');
    const asked = await h.cli(['extend', 'request', ...rerunRef, '--until', '2028-06-30', '--reason', 'Chờ kinh phí']);
    expect(asked.stderr).toBe('');
    const requestId = /([0-9a-f-]{36})/.exec(asked.stdout)![1]!;
    await deployed(2, ['so-y-te']);
    await waitStatus(id, (s) => s === 'withdrawn');
    await h.until(`${id} closed`, async () => (await h.env.client.workflow.getHandle(id).describe()).status.name, (s) => s !== 'RUNNING');
    await deployed(3);
    await h.until('the second run', () => getInstance(h.db.pool, id), (r) => r?.generation === 2 && r.status === 'in-progress');

    const latest = await h.cli(['extend', 'approve', ...rerunRef]);
    expect(latest.code).toBe(1);
    expect(latest.stderr).toContain(requestId);
    expect(latest.stderr).toContain('earlier run');
    expect(await count('SELECT count(*) AS n FROM extensions WHERE request_id = $1 AND approved IS NULL', requestId)).toBe(1);
    // Sending the old request again by its id does not make it the new run's.
    const again = await h.cli(['extend', 'request', ...rerunRef, '--until', '2028-06-30', '--reason', 'Chờ kinh phí', '--id', requestId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('earlier run');
    expect((await h.state(id)).extensions).toEqual([]);
  });
});
