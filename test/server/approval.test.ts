/**
 * The unit head approves what the unit sends out (issue 9, item 3), through the HTTP API and the CLI
 * against a real worker: a unit whose registry entry says `submissionApproval: unit-head` keeps an
 * officer's submission from the instance until a unit head of that unit approves it; a returned one
 * never reaches it and the unit's inbox says why; a unit head's own goes straight through; a unit
 * without the option is as before. A registry of its own: the client tests' shared one is unchanged.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInstances } from '../../activities/store/instances.js';
import type { Plan } from '../../compiler/plan.js';
import { deploy } from '../../service/deploy.js';
import { plannedInstances } from '../../service/instances.js';
import { instanceWorkflowId } from '../../workflows/types.js';
import { directiveYaml, REGISTRY_YAML } from '../client/fixtures.js';
import { startServerHarness, type ServerHarness } from './harness.js';

const D = 'approval-directive';
let h: ServerHarness;
let plan: Plan;
const t = {} as Record<'officer' | 'head' | 'otherHead' | 'reviewer' | 'otherOfficer', string>;

function form(fields: Record<string, string>, files: Record<string, string> = {}, textFields: string[] = []): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const v of textFields) f.append('field', v);
  for (const [k, v] of Object.entries(files)) f.append(k, new Blob([v], { type: 'application/pdf' }), `${k}.pdf`);
  return f;
}

const wf = (obligation: string, unit = 'so-y-te') => instanceWorkflowId(D, obligation, unit);

async function statusOf(obligation: string, unit = 'so-y-te'): Promise<string | undefined> {
  const { rows } = await h.db.pool.query<{ status: string }>('SELECT status FROM instances WHERE workflow_id = $1', [wf(obligation, unit)]);
  return rows[0]?.status;
}

async function approvalRow(id: string) {
  const { rows } = await h.db.pool.query<{ approval: string | null; approved_by: string | null; approval_comment: string | null }>(
    'SELECT approval, approved_by, approval_comment FROM submissions WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** The instance has taken no submission (a query answered by the workflow itself, not the projection). */
async function workflowSawNothing(obligation: string): Promise<void> {
  // Long enough for a signal, had one been sent, to be taken: the workflow answers queries in order.
  await new Promise((r) => setTimeout(r, 500));
  const state = await h.state(wf(obligation));
  expect(state.submissions).toEqual([]);
  expect(state.status).toBe('in-progress');
}

beforeAll(async () => {
  h = await startServerHarness();
  const registry = REGISTRY_YAML.replace('    email: soyte@province.example\n', '    email: soyte@province.example\n    submissionApproval: unit-head\n');
  expect(registry).not.toBe(REGISTRY_YAML);
  writeFileSync(join(h.dir, 'approval-registry.yaml'), registry);
  const path = join(h.dir, 'approval.yaml');
  writeFileSync(path, directiveYaml({ id: D }).replace('registry: registry.yaml', 'registry: approval-registry.yaml'));
  writeFileSync(join(h.dir, 'report.pdf'), '%PDF-1.4 drill report');
  plan = await h.compile(path);
  await deploy(plan, { client: h.env.client, pool: h.db.pool, by: 'test' });
  await h.until('instances recorded', () => listInstances(h.db.pool, D), (rows) => rows.length >= plannedInstances(plan).length, 60_000);
  t.officer = await h.account('officer-yte', 'so-y-te', ['officer']);
  t.head = await h.account('head-yte', 'so-y-te', ['unit-head']);
  t.otherHead = await h.account('head-gd', 'so-gd', ['unit-head']);
  t.otherOfficer = await h.account('officer-gd', 'so-gd', ['officer']);
  t.reviewer = await h.account('reviewer-tttt', 'so-tttt', ['reviewer']);
}, 240_000);

afterAll(async () => {
  await h?.close();
});

describe('submissionApproval: unit-head', () => {
  it('is carried into the plan only for the unit that sets it', () => {
    expect(plan.units['so-y-te']!.submissionApproval).toBe('unit-head');
    expect(plan.units['so-gd']!.submissionApproval).toBeUndefined();
    expect('submissionApproval' in plan.units['so-tttt']!).toBe(false);
  });

  it("an officer's submission waits; only the unit's head approves it; then the reviewer decides", async () => {
    const r = await h.request(t.officer, 'POST', '/api/v1/submissions', form({ directive: D, obligation: 'plan-2027', unit: 'so-y-te' }, { report: '%PDF-1.4 plan' }));
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json() as { submissionId: string; approval?: string };
    expect(body.approval).toBe('pending');
    const id = body.submissionId;
    expect(await approvalRow(id)).toEqual({ approval: 'pending', approved_by: null, approval_comment: null });
    await workflowSawNothing('plan-2027');
    expect(await statusOf('plan-2027')).toBe('in-progress');
    // The unit's inbox, which its heads read, says what waits and the line that approves it.
    const waiting = ((await h.request(t.head, 'GET', '/api/v1/inbox')).json() as { kind: string; body: string }[]).filter((n) => n.kind === 'submission-awaiting-approval');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.body).toContain(`chithi approve ${id}`);

    // The list: the unit head's, not the officer's nor another unit's head's.
    const list = await h.request(t.head, 'GET', '/api/v1/approvals');
    expect(list.statusCode, list.body).toBe(200);
    expect((list.json() as { submissionId: string; submittedBy: string; items: { name: string; sha256?: string }[] }[]).map((p) => [p.submissionId, p.submittedBy, p.items.map((i) => i.name)])).toEqual([
      [id, 'so-y-te/officer-yte', ['report']],
    ]);
    expect((await h.request(t.officer, 'GET', '/api/v1/approvals')).statusCode).toBe(403);
    expect((await h.request(t.otherHead, 'GET', '/api/v1/approvals?unit=so-y-te')).statusCode).toBe(403);
    expect((await h.request(t.otherHead, 'GET', '/api/v1/approvals')).json()).toEqual([]);

    // Refused: the officer, another unit's head, the reviewer. Nothing changes.
    for (const who of [t.officer, t.otherHead, t.reviewer]) {
      const no = await h.request(who, 'POST', `/api/v1/submissions/${id}/approval`, { decision: 'approve' });
      expect(no.statusCode, no.body).toBe(403);
    }
    expect((await approvalRow(id))!.approval).toBe('pending');
    await workflowSawNothing('plan-2027');

    const ok = await h.request(t.head, 'POST', `/api/v1/submissions/${id}/approval`, { decision: 'approve' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ submissionId: id, decision: 'approved', created: true, sent: true });
    expect(await approvalRow(id)).toEqual({ approval: 'approved', approved_by: 'so-y-te/head-yte', approval_comment: null });
    // The unit head's act is in the directive's audit chain, as theirs.
    const audited = (await h.db.pool.query<{ actor: string; action: string }>("SELECT actor, action FROM audit WHERE detail->>'submissionId' = $1 AND action LIKE 'submission-%'", [id])).rows;
    expect(audited).toEqual([{ actor: 'so-y-te/head-yte', action: 'submission-approved' }]);
    await h.until('awaiting review', () => statusOf('plan-2027'), (s) => s === 'awaiting-review');
    expect((await h.state(wf('plan-2027'))).submissions.map((s) => s.submissionId)).toEqual([id]);

    // The same decision again is a retry (sent again, taken once); the other one is a conflict.
    const again = await h.request(t.head, 'POST', `/api/v1/submissions/${id}/approval`, { decision: 'approve' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ created: false, sent: true });
    const back = await h.request(t.head, 'POST', `/api/v1/submissions/${id}/approval`, { decision: 'return', comment: 'sai' });
    expect(back.statusCode, back.body).toBe(409);
    expect((back.json() as { error: { message: string } }).error.message).toMatch(/head-yte/);

    const rv = await h.request(t.reviewer, 'POST', '/api/v1/reviews', { directive: D, obligation: 'plan-2027', unit: 'so-y-te', decision: 'accept' });
    expect(rv.statusCode, rv.body).toBe(201);
    expect(rv.json()).toMatchObject({ submissionId: id });
    await h.until('completed', () => statusOf('plan-2027'), (s) => s === 'completed-on-time');
    expect((await h.state(wf('plan-2027'))).submissions).toHaveLength(1);
  }, 120_000);

  it('a returned submission never reaches the workflow, and the officer reads why in the inbox (CLI)', async () => {
    const sub = await h.cli(['submit', '--directive', D, '--obligation', 'drill', '--unit', 'so-y-te', '--file', 'report=report.pdf'], 'officer-yte');
    expect(sub.code, sub.stderr).toBe(0);
    expect(sub.stdout).toMatch(/Awaiting the unit head's approval/);
    const id = /id ([0-9a-f-]{36})/.exec(sub.stdout)![1]!;

    const list = await h.cli(['approvals'], 'head-yte');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('so-y-te/officer-yte');

    const noReason = await h.cli(['approve', id, '--return'], 'head-yte');
    expect(noReason.code).toBe(2);
    expect((await h.request(t.head, 'POST', `/api/v1/submissions/${id}/approval`, { decision: 'return' })).statusCode).toBe(400);

    const ret = await h.cli(['approve', id, '--return', '--comment', 'Thiếu chữ ký của giám đốc'], 'head-yte');
    expect(ret.code, ret.stderr).toBe(0);
    expect(ret.stdout).toMatch(/Returned submission/);
    expect(await approvalRow(id)).toEqual({ approval: 'returned', approved_by: 'so-y-te/head-yte', approval_comment: 'Thiếu chữ ký của giám đốc' });
    await workflowSawNothing('drill');

    const inbox = await h.request(t.officer, 'GET', '/api/v1/inbox');
    const returned = (inbox.json() as { kind: string; subject: string; body: string; obligationId?: string }[]).filter((n) => n.kind === 'submission-returned');
    expect(returned).toHaveLength(1);
    expect(returned[0]!.obligationId).toBe('drill');
    expect(returned[0]!.body).toContain('Thiếu chữ ký của giám đốc');
    expect(returned[0]!.body).toContain(id);
    const cliInbox = await h.cli(['inbox'], 'officer-yte');
    expect(cliInbox.stdout).toMatch(/trả lại/);

    // Decided: returning again writes nothing (no second notice), approving is a conflict, and the
    // officer's retry with the same id is refused, saying to submit anew.
    expect((await h.request(t.head, 'POST', `/api/v1/submissions/${id}/approval`, { decision: 'return', comment: 'lần nữa' })).statusCode).toBe(200);
    expect((await h.request(t.head, 'POST', `/api/v1/submissions/${id}/approval`, { decision: 'approve' })).statusCode).toBe(409);
    const retry = await h.cli(['submit', '--directive', D, '--obligation', 'drill', '--unit', 'so-y-te', '--file', 'report=report.pdf', '--id', id], 'officer-yte');
    expect(retry.code).toBe(1);
    expect(retry.stderr).toMatch(/was returned by so-y-te\/head-yte/);
    const after = (await h.request(t.officer, 'GET', '/api/v1/inbox')).json() as { kind: string }[];
    expect(after.filter((n) => n.kind === 'submission-returned')).toHaveLength(1);
    await workflowSawNothing('drill');

    // Corrected and submitted anew: approved with the CLI, it reaches the instance.
    const anew = await h.cli(['submit', '--directive', D, '--obligation', 'drill', '--unit', 'so-y-te', '--file', 'report=report.pdf', '--note', 'đã ký'], 'officer-yte');
    expect(anew.code, anew.stderr).toBe(0);
    const id2 = /id ([0-9a-f-]{36})/.exec(anew.stdout)![1]!;
    const ok = await h.cli(['approve', id2], 'head-yte');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Approved submission .*sent to the reviewer/);
    await h.until('awaiting review', () => statusOf('drill'), (s) => s === 'awaiting-review');
    expect((await h.state(wf('drill'))).submissions.map((s) => s.submissionId)).toEqual([id2]);
    expect((await h.cli(['approvals'], 'head-yte')).stdout).toMatch(/No submission awaits approval/);
  }, 120_000);

  it("a unit head's own submission goes straight through, approved by them", async () => {
    const r = await h.request(
      t.head,
      'POST',
      '/api/v1/submissions',
      form({ directive: D, obligation: 'contact-point', unit: 'so-y-te' }, {}, ['officer=Nguyễn Văn A', 'phone=0912345678', 'email=a@soyte.example']),
    );
    expect(r.statusCode, r.body).toBe(201);
    const { submissionId, approval } = r.json() as { submissionId: string; approval?: string };
    expect(approval).toBe('approved');
    expect(await approvalRow(submissionId)).toEqual({ approval: 'approved', approved_by: 'so-y-te/head-yte', approval_comment: null });
    // Its due date (2026-02-27) has passed by the wall clock, so the instance is overdue: it waits
    // for review all the same once it has the submission.
    const state = await h.until('taken by the workflow', () => h.state(wf('contact-point')), (s) => s.submissions.length > 0);
    expect(state.submissions.map((s) => s.submissionId)).toEqual([submissionId]);
    expect(state.status).toBe('awaiting-review');
  }, 60_000);

  it('a unit without the option behaves exactly as before', async () => {
    const r = await h.request(t.otherOfficer, 'POST', '/api/v1/submissions', form({ directive: D, obligation: 'plan-2027', unit: 'so-gd' }, { report: '%PDF-1.4 gd' }));
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json() as { submissionId: string; approval?: string };
    expect('approval' in body).toBe(false);
    expect(await approvalRow(body.submissionId)).toEqual({ approval: null, approved_by: null, approval_comment: null });
    await h.until('awaiting review', () => statusOf('plan-2027', 'so-gd'), (s) => s === 'awaiting-review');
    // Nothing to approve: the unit's head is told it went straight on.
    const no = await h.request(t.otherHead, 'POST', `/api/v1/submissions/${body.submissionId}/approval`, { decision: 'approve' });
    expect(no.statusCode, no.body).toBe(400);
    expect((no.json() as { error: { message: string } }).error.message).toMatch(/không cần lãnh đạo đơn vị phê duyệt/);
  }, 60_000);
});
