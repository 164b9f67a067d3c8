/**
 * The authorisation matrix, through the HTTP API: every role × every action × its own unit and
 * another unit. The expected answer comes from the one table the server and docs/authorization.md
 * use (server/authz.ts); the rules the product must never break are also asserted by name, so a
 * wrong edit of the table itself fails here too. A refused request changes nothing: every table
 * an action writes is counted before and after.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../common/config.js';
import { ROLES, type Actor, type Role } from '../../common/roles.js';
import type { Plan } from '../../compiler/plan.js';
import { reviewerOf } from '../../compiler/relations.js';
import { ACTION_TEXT, ACTIONS, allowed, inInstanceScope, instanceScope, permissionsTable, type Action } from '../../server/authz.js';
import { listInstances } from '../../activities/store/instances.js';
import { storeSubmission } from '../../activities/store/submissions.js';
import { deployedPlan } from '../../service/target.js';
import { directiveYaml } from '../client/fixtures.js';
import { startServerHarness, type ServerHarness } from './harness.js';

const D = 'test-directive';
/** Where each role's account sits: officers and unit heads in an assignee unit, the reviewer in the coordinating unit. */
const HOME: Record<Role, string> = {
  officer: 'so-y-te',
  'unit-head': 'so-y-te',
  reviewer: 'so-tttt',
  leadership: 'chu-tich',
  author: 'ubnd',
  admin: 'ubnd',
};
/** "Another unit": an assignee none of the role accounts belongs to. */
const OTHER = 'so-gd';

let h: ServerHarness;
let plan: Plan;
const token = {} as Record<Role, string>;
/** Helpers outside the matrix: an officer of each unit, to put instances in the state an action needs. */
const helper = {} as Record<string, string>;

/** The actor's audit lines once the workflows have finished with its earlier, allowed actions. */
async function settledAudit(actor: string): Promise<number> {
  const read = async () => Number((await h.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM audit WHERE actor = $1', [actor])).rows[0]!.n);
  let last = await read();
  for (;;) {
    await new Promise((r) => setTimeout(r, 400));
    const now = await read();
    if (now === last) return now;
    last = now;
  }
}

/**
 * What a request can write, counted. The audit is counted for the actor only, once settled: the
 * workflows keep appending lines of earlier, allowed actions; a refused request must add none
 * (it would, within the settling time, had it signalled anything).
 */
async function counts(actor?: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (actor !== undefined) out.auditByActor = await settledAudit(actor);
  for (const t of ['submissions', 'evidence', 'reviews', 'extensions', 'events', 'deployments', 'accounts', 'api_tokens']) {
    const { rows } = await h.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`);
    out[t] = Number(rows[0]!.n);
  }
  const { rows } = await h.db.pool.query<{ n: string }>('SELECT count(*) FILTER (WHERE read) AS n FROM inbox');
  out.inboxRead = Number(rows[0]!.n);
  const withdrawn = await h.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM deployments WHERE status <> 'active'");
  out.withdrawn = Number(withdrawn.rows[0]!.n);
  const decided = await h.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM submissions WHERE approval IN ('approved', 'returned')");
  out.approvalsDecided = Number(decided.rows[0]!.n);
  out.inbox = Number((await h.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM inbox WHERE kind = 'submission-returned'")).rows[0]!.n);
  return out;
}

function form(fields: Record<string, string>, files: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const [k, v] of Object.entries(files)) f.append(k, new Blob([v], { type: 'application/pdf' }), `${k}.pdf`);
  return f;
}

/** Extensions are asked on the one obligation still open for the unit when the matrix reaches them. */
function extensionObligation(unit: string): string {
  return unit === 'so-tttt' ? 'plan-2027' : unit === OTHER ? 'contact-point' : 'drill';
}

/** The obligation an action is tried on, for a unit: one it is assigned, in the state the action needs. */
function obligationFor(unit: string): string {
  return unit === OTHER ? 'drill' : 'plan-2027';
}

async function dueOf(unit: string, obligation: string): Promise<string> {
  const { rows } = await h.db.pool.query<{ due: string }>('SELECT due::text AS due FROM instances WHERE directive_id = $1 AND unit_id = $2 AND obligation_id = $3', [D, unit, obligation]);
  return rows[0]!.due;
}

/** `days` after the later of the date and today: an extension must move the due date forward. */
function plusDays(date: string, days: number): string {
  const from = Math.max(Date.parse(`${date}T00:00:00Z`), Date.now());
  return new Date(from + days * 86_400_000).toISOString().slice(0, 10);
}

async function submitAs(t: string, unit: string): Promise<LightMyRequestResponse> {
  const r = await h.request(t, 'POST', '/api/v1/submissions', form({ directive: D, obligation: obligationFor(unit), unit }, { report: `%PDF-1.4 report of ${unit}` }));
  if (r.statusCode < 300) evidenceOf = { ...evidenceOf, [unit]: (r.json() as { submissionId: string }).submissionId };
  return r;
}

/** The instance is awaiting review (a helper officer of the unit submitted). */
async function awaitingReview(unit: string): Promise<void> {
  const r = await submitAs(helper[unit]!, unit);
  expect(r.statusCode, r.body).toBeLessThan(300);
  await h.until('awaiting review', () => h.db.pool.query<{ status: string }>('SELECT status FROM instances WHERE directive_id = $1 AND unit_id = $2 AND obligation_id = $3', [D, unit, obligationFor(unit)]), (q) => q.rows[0]?.status === 'awaiting-review');
}

async function extensionPending(unit: string): Promise<void> {
  const o = extensionObligation(unit);
  const due = await dueOf(unit, o);
  const r = await h.request(helper[unit]!, 'POST', '/api/v1/extensions', { directive: D, obligation: o, unit, until: plusDays(due, 30), reason: 'cần thêm thời gian' });
  expect(r.statusCode, r.body).toBeLessThan(300);
}

interface Case {
  /** Puts the instance of `unit` in the state the action needs, before the refused attempts. */
  prepare?: (unit: string) => Promise<void>;
  attempt: (t: string, unit: string) => Promise<LightMyRequestResponse>;
  /** Writes nothing even when allowed (reads). */
  read?: boolean;
  /** The action has no unit: one subject only. */
  unitless?: boolean;
  /** The units to try it on, when not the usual ones (a reminder letter needs a unit with something overdue). */
  units?: string[];
  /** A portal route: a refusal is the portal's 403 page (HTML) naming the action, not the API's JSON. */
  page?: boolean;
}

let evidenceOf: Record<string, string> = {};
/** A submission of each unit awaiting its unit head, made by the case's prepare. */
const pendingOf: Record<string, string> = {};

/**
 * A pending submission of the unit, stored as the service stores an officer's in a unit that
 * requires its head's approval. Written straight to the store: the fixture's registry (shared with
 * the client tests) sets no `submissionApproval`; test/server/approval.test.ts runs the whole path.
 */
async function pendingSubmission(unit: string): Promise<void> {
  const { rows } = await h.db.pool.query<{ workflow_id: string; generation: number; cycle: number }>(
    'SELECT workflow_id, generation, cycle FROM instances WHERE directive_id = $1 AND unit_id = $2 AND obligation_id = $3',
    [D, unit, obligationFor(unit)],
  );
  const i = rows[0]!;
  const stored = await storeSubmission(h.db.pool, {
    workflowId: i.workflow_id, directiveId: D, obligationId: obligationFor(unit), unitId: unit, generation: i.generation, cycle: i.cycle,
    submittedBy: `${unit}/helper-${unit}`, at: new Date().toISOString(), approval: 'pending',
    items: [{ name: 'report', kind: 'document', content: Buffer.from(`%PDF-1.4 pending of ${unit}`), value: 'report.pdf' }],
  });
  pendingOf[unit] = stored.submissionId;
}

const CASES: Record<Action, Case> = {
  submit: { attempt: submitAs },
  // Returned rather than approved: the decision is the same action, and a return reaches no
  // workflow, so the instances stay as the later cases expect them.
  'submission.approve': {
    prepare: pendingSubmission,
    attempt: (t, unit) => h.request(t, 'POST', `/api/v1/submissions/${pendingOf[unit]}/approval`, { decision: 'return', comment: 'thiếu chữ ký' }),
  },
  'extension.request': {
    attempt: async (t, unit) => h.request(t, 'POST', '/api/v1/extensions', { directive: D, obligation: extensionObligation(unit), unit, until: plusDays(await dueOf(unit, extensionObligation(unit)), 20), reason: 'lý do' }),
  },
  'event.report': { attempt: (t, unit) => h.request(t, 'POST', '/api/v1/events', { directive: D, type: 'attack-detected', unit }) },
  review: {
    prepare: awaitingReview,
    attempt: (t, unit) => h.request(t, 'POST', '/api/v1/reviews', { directive: D, obligation: obligationFor(unit), unit, decision: 'accept' }),
  },
  'extension.decide': {
    prepare: extensionPending,
    attempt: (t, unit) => h.request(t, 'POST', '/api/v1/extensions/decisions', { directive: D, obligation: extensionObligation(unit), unit, decision: 'reject', comment: 'không' }),
  },
  'status.read': { read: true, attempt: (t, unit) => h.request(t, 'GET', `/api/v1/directives/${D}/status?unit=${unit}`) },
  'inbox.read': { read: true, attempt: (t, unit) => h.request(t, 'GET', `/api/v1/inbox?unit=${unit}`) },
  'evidence.read': {
    read: true,
    prepare: async (unit) => {
      expect(evidenceOf[unit], `a submission of ${unit} earlier in the matrix`).toBeDefined();
    },
    attempt: (t, unit) => h.request(t, 'GET', `/api/v1/submissions/${evidenceOf[unit]}/evidence/report`),
  },
  'audit.read': { read: true, unitless: true, attempt: (t) => h.request(t, 'GET', `/api/v1/directives/${D}/audit`) },
  'directive.deploy': {
    unitless: true,
    attempt: (t) => h.request(t, 'POST', '/api/v1/directives', { source: directiveYaml({ id: 'matrix-deploy' }), registry: readFileSync(join(h.dir, 'registry.yaml'), 'utf8'), asOf: '2026-01-05' }),
  },
  'directive.withdraw': { unitless: true, attempt: (t) => h.request(t, 'POST', `/api/v1/directives/matrix-withdraw/withdraw`, {}) },
  'accounts.manage': { unitless: true, read: true, attempt: (t) => h.request(t, 'GET', '/api/v1/accounts') },
  // The two departments' contact-point is past due (27/02/2026); so-tttt has nothing overdue (409).
  'reminder.draft': { read: true, page: true, units: ['so-y-te', OTHER], attempt: (t, unit) => h.request(t, 'GET', `/tong-quan/${D}/don-vi/${unit}/don-doc.pdf`) },
};

function actorOf(role: Role): Actor {
  return { login: role, unit: HOME[role], roles: [role], via: 'token' };
}

beforeAll(async () => {
  h = await startServerHarness();
  await h.deployFixture({ planAssignees: ['so-y-te', 'so-tttt'] });
  await h.deployFixture({ id: 'matrix-withdraw' }, 'withdraw.yaml');
  plan = await deployedPlan(h.db.pool, D);
  for (const role of ROLES) token[role] = await h.account(role, HOME[role], [role]);
  for (const unit of ['so-y-te', 'so-gd', 'so-tttt']) helper[unit] = await h.account(`helper-${unit}`, unit, ['officer']);
}, 240_000);

afterAll(async () => {
  await h?.close();
});

const WRITE_UNITS = ['so-y-te', 'so-tttt', OTHER];
const ALL_UNITS = [...new Set([...ROLES.map((r) => HOME[r]), OTHER])];

describe('authorisation matrix (server/authz.ts PERMISSIONS, through HTTP)', () => {
  for (const action of ACTIONS) {
    it(`${action}: every role, own unit and another unit`, async () => {
      const c = CASES[action];
      // Units with tasks for actions on tasks; every role's own unit for reading an inbox or status.
      const subjects: (string | undefined)[] = c.unitless ? [undefined] : (c.units ?? (action === 'status.read' || action === 'inbox.read' ? ALL_UNITS : WRITE_UNITS));
      const outcome: string[] = [];
      for (const unit of subjects) {
        if (unit !== undefined && c.prepare) await c.prepare(unit);
        // A unitless action (a directive, accounts, the audit trail) is judged on the actor's own unit.
        const subjectOf = (role: Role) => {
          const u = unit ?? HOME[role];
          const o = plan.obligations.find((x) => x.id === obligationFor(u));
          return { unit: u, ...(o && { reviewer: o.reviewer }), plan };
        };
        const expected = new Map(ROLES.map((r) => [r, allowed(actorOf(r), action, subjectOf(r))] as const));
        // Refused first: an allowed write may change the state the others are tried in.
        const order = [...ROLES].sort((a, b) => Number(expected.get(a)) - Number(expected.get(b)));
        let firstAllowed = true;
        for (const role of order) {
          const before = c.read ? undefined : await counts(`${HOME[role]}/${role}`);
          const r = await c.attempt(token[role], unit ?? HOME[role]);
          const own = unit === undefined ? '-' : unit === HOME[role] ? 'own unit' : 'another unit';
          const what = `${role} (${own}) ${action} ${unit ?? ''}: ${r.statusCode} ${r.body.slice(0, 400)}`;
          if (expected.get(role)) {
            // Allowed: the first attempt succeeds; a later one may meet the state the first left
            // (a second submission, a decided request), never an authorisation refusal.
            if (firstAllowed) expect(r.statusCode, what).toBeLessThan(300);
            else expect([401, 403], what).not.toContain(r.statusCode);
            firstAllowed = false;
            outcome.push(`${role}/${own}: allowed`);
          } else {
            expect(r.statusCode, what).toBe(403);
            if (c.page) expect(r.body, what).toContain(`không được ${ACTION_TEXT[action].vi}`);
            else expect((r.json() as { error: { code: string } }).error.code).toBe('not-allowed');
            if (before) expect(await counts(`${HOME[role]}/${role}`), `${what}: refused, so nothing may change`).toEqual(before);
            outcome.push(`${role}/${own}: refused`);
          }
        }
      }
      expect(outcome.length).toBeGreaterThan(0);
    }, 120_000);
  }
});

describe('the rules that must hold, by name', () => {
  const may = (role: Role, action: Action, unit: string) =>
    allowed(actorOf(role), action, { unit, reviewer: plan.obligations.find((o) => o.id === obligationFor(unit))!.reviewer, plan });

  it('nobody reviews their own unit\'s evidence or decides their own unit\'s extension', () => {
    for (const role of ROLES) {
      expect(may(role, 'review', HOME[role]), role).toBe(false);
      expect(may(role, 'extension.decide', HOME[role]), role).toBe(false);
    }
    expect(may('reviewer', 'review', OTHER)).toBe(true);
  });

  it('a unit acts and reads only for itself', () => {
    for (const a of ['submit', 'extension.request', 'event.report', 'inbox.read', 'status.read'] as const) {
      expect(may('officer', a, 'so-y-te'), a).toBe(true);
      expect(may('officer', a, OTHER), a).toBe(false);
    }
  });

  it('leadership is read-only', () => {
    for (const a of ['submit', 'submission.approve', 'extension.request', 'event.report', 'review', 'extension.decide', 'directive.deploy', 'directive.withdraw', 'accounts.manage'] as const) {
      expect(may('leadership', a, OTHER), a).toBe(false);
    }
    expect(may('leadership', 'status.read', OTHER)).toBe(true);
  });

  it("only a unit head approves what its own unit sends out", () => {
    for (const role of ROLES) expect(may(role, 'submission.approve', HOME[role]), role).toBe(role === 'unit-head');
    expect(may('unit-head', 'submission.approve', OTHER)).toBe(false);
  });

  it('a reminder letter is drafted by the leadership named in the directive and the policy author only', () => {
    for (const role of ROLES) expect(may(role, 'reminder.draft', OTHER), role).toBe(role === 'leadership' || role === 'author');
  });

  it('an administrator manages accounts only', () => {
    for (const a of ACTIONS) expect(may('admin', a, OTHER), a).toBe(a === 'accounts.manage');
  });

  it('a request without a credential is refused with 401 and changes nothing', async () => {
    const before = await counts();
    const r = await submitAs(undefined as unknown as string, 'so-y-te');
    expect(r.statusCode).toBe(401);
    const body = r.json() as { error: { message: string } };
    expect(body.error.message).toMatch(/chithi login/);
    expect(await counts()).toEqual(before);
  });

  it('the refusal names who may, in the language asked for', async () => {
    const r = await h.request(token.leadership, 'POST', '/api/v1/reviews', { directive: D, obligation: 'drill', unit: OTHER, decision: 'accept' }, { 'accept-language': 'en-GB,en;q=0.9' });
    expect(r.statusCode).toBe(403);
    expect((r.json() as { error: { message: string } }).error.message).toMatch(/may not review evidence .*Allowed: coordinator \/ reviewer/);
    const vi = await h.request(token.leadership, 'POST', '/api/v1/reviews', { directive: D, obligation: 'drill', unit: OTHER, decision: 'accept' });
    expect((vi.json() as { error: { message: string } }).error.message).toMatch(/không được duyệt minh chứng/);
  });
});

describe('the scope the store filters with (instanceScope) is allowed() itself', () => {
  it('for every role, action, obligation and unit of the plan, and a unit the plan does not name', () => {
    const units = [...Object.keys(plan.units), 'khong-co-trong-chi-thi'];
    let compared = 0;
    for (const role of ROLES) {
      for (const home of new Set([HOME[role], OTHER, 'so-tttt'])) {
        const actor = { ...actorOf(role), unit: home };
        for (const action of ACTIONS) {
          const scope = instanceScope(actor, action, plan);
          for (const o of plan.obligations) {
            for (const unit of units) {
              expect(inInstanceScope(scope, o.id, unit), `${role}@${home} ${action} ${o.id} ${unit}`).toBe(allowed(actor, action, { unit, reviewer: o.reviewer, plan }));
              compared += 1;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it("with a relational reviewer (assignee.parent: each unit's own), unit by unit, for every instance that can exist", () => {
    // so-y-te's evidence reviewed by so-tttt, so-gd's by chu-tich: a reviewer reads one of the two.
    const related = structuredClone(plan) as Plan;
    related.units['so-y-te'] = { ...related.units['so-y-te']!, parent: 'so-tttt' };
    related.units['so-gd'] = { ...related.units['so-gd']!, parent: 'chu-tich' };
    const o0 = related.obligations.find((o) => o.assignees.length === 2)!;
    o0.reviewer = 'assignee.parent';
    let partial = 0;
    for (const role of ROLES) {
      for (const home of new Set([HOME[role], OTHER, 'so-tttt', 'chu-tich'])) {
        const actor = { ...actorOf(role), unit: home };
        for (const action of ACTIONS) {
          const scope = instanceScope(actor, action, related);
          if (scope.pairs) partial += 1;
          for (const o of related.obligations) {
            for (const unit of o.assignees) {
              expect(inInstanceScope(scope, o.id, unit), `${role}@${home} ${action} ${o.id} ${unit}`).toBe(allowed(actor, action, { unit, reviewer: reviewerOf(related, o, unit), plan: related }));
            }
          }
        }
      }
    }
    // The reviewer of so-tttt reads so-y-te's instance of it, not so-gd's: the case the pairs are for.
    const reviewer = instanceScope({ ...actorOf('reviewer'), unit: 'so-tttt' }, 'status.read', related);
    expect(inInstanceScope(reviewer, o0.id, 'so-y-te')).toBe(true);
    expect(inInstanceScope(reviewer, o0.id, 'so-gd')).toBe(false);
    expect(partial).toBeGreaterThan(0);
  });

  it("and the store's SQL filter keeps exactly the rows allowed() keeps", async () => {
    const rows = await listInstances(h.db.pool, D);
    expect(rows.length).toBeGreaterThan(3);
    for (const role of ROLES) {
      const actor = actorOf(role);
      const scope = instanceScope(actor, 'status.read', plan);
      const expected = rows.filter((r) => allowed(actor, 'status.read', { unit: r.unitId, reviewer: plan.obligations.find((o) => o.id === r.obligationId)!.reviewer, plan }));
      expect((await listInstances(h.db.pool, D, { scope })).map((r) => r.workflowId), role).toEqual(expected.map((r) => r.workflowId));
    }
    // Single (obligation, unit) pairs, as a relational reviewer's scope holds them.
    const [a, b] = [rows[0]!, rows[rows.length - 1]!];
    const pairs = { unit: 'nobody', all: [], others: [], own: [], pairs: { obligations: [a.obligationId, b.obligationId], units: [a.unitId, b.unitId] } };
    expect((await listInstances(h.db.pool, D, { scope: pairs })).map((r) => r.workflowId)).toEqual(rows.filter((r) => (r.obligationId === a.obligationId && r.unitId === a.unitId) || (r.obligationId === b.obligationId && r.unitId === b.unitId)).map((r) => r.workflowId));
  });
});

describe('docs/authorization.md', () => {
  it('prints the table the server and this test use', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'authorization.md'), 'utf8');
    expect(doc).toContain(permissionsTable());
  });
});
