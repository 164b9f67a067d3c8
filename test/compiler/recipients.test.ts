/**
 * Ngôn ngữ 1.1, người nhận và sự kiện: vai trò ở chỗ mã đơn vị, `assignee.parent` / `assignee.head`,
 * `reportTo`, `event.raisedBy`; những gì biên dịch ra, lỗi kèm mã và vị trí, và tệp v1 bị từ chối.
 * Language 1.1 recipients and events: role names where unit ids go, `assignee.parent` and
 * `assignee.head`, `reportTo`, `event.raisedBy`. What compiles into the plan, each assignee's
 * recipients as its instance gets them (no registry needed downstream), the errors with their codes
 * and positions, and the same file refused as v1 at each construct's line.
 */
import { describe, expect, it } from 'vitest';
import type { EventObligation, Plan } from '../../compiler/plan.js';
import { forAssignee, recipientUnits, reviewerOf, reviewsAny } from '../../compiler/relations.js';
import { instanceInput, sliceKey } from '../../service/instances.js';
import { eventOpenings } from '../../service/report-event.js';
import { codes, compileText, lines } from './helpers.js';

export const REGISTRY = `apiVersion: chithi/v1
kind: UnitRegistry
metadata: { id: test-province }
units:
  - { id: ubnd-tinh, name: { vi: UBND tỉnh, en: Provincial People's Committee }, kind: people-committee, email: ubnd@t.example, head: chu-tich }
  - { id: chu-tich, name: { vi: Chủ tịch UBND tỉnh, en: Chairman }, kind: leadership, parent: ubnd-tinh, email: chutich@t.example }
  - { id: so-a, name: { vi: Sở A, en: Department A }, kind: department, parent: ubnd-tinh, email: so-a@t.example }
  - { id: huyen-x, name: { vi: UBND huyện X, en: District X }, kind: district, parent: ubnd-tinh, email: x@t.example }
  - { id: huyen-y, name: { vi: UBND huyện Y, en: District Y }, kind: district, parent: ubnd-tinh, email: y@t.example }
  - { id: xa-1, name: { vi: UBND xã 1, en: Commune 1 }, kind: commune, parent: huyen-x, email: xa1@t.example }
  - { id: xa-2, name: { vi: UBND xã 2, en: Commune 2 }, kind: commune, parent: huyen-y, email: xa2@t.example }
  - { id: bo-tttt, name: { vi: Bộ Thông tin và Truyền thông, en: Ministry of Information and Communications }, kind: ministry, email: bo@t.example }
  - { id: cuc-khong-thu, name: { vi: Cục không thư }, kind: agency }
`;

/** Line numbers below are those of this text (line 1: apiVersion). */
export const DIRECTIVE = `apiVersion: chithi/v1.1
kind: Directive
metadata:
  id: rel-1
  number: 1/UBND-REL
  type: cong-van
  issuer: ubnd-tinh
  issued: 2024-04-22
  title: { vi: Người nhận theo quan hệ, en: Relational recipients }
  timezone: Asia/Ho_Chi_Minh
  calendar: { id: test }
  registry: registries/test-province.yaml
roles:
  coordinator: so-a
  leadership: chu-tich
audiences:
  communes: { kind: commune }
  districts: { kind: district }
obligations:
  - id: report
    clause: "1"
    title: { vi: Báo cáo kết quả, en: Report the results }
    assignees: [communes, coordinator]
    cooperating: [assignee.parent]
    kind: deadline
    due: 2024-05-10
    reviewer: assignee.parent
    reportTo: [bo-tttt]
    escalation:
      - { after: P0D, to: [assignee.head] }
      - { after: P7D, to: [assignee.parent, leadership] }
  - id: respond-alert
    clause: "2"
    title: { vi: Xử lý cảnh báo, en: Act on the alert }
    assignees: [districts]
    kind: event
    event: { type: alert-issued, title: { vi: Sở A phát cảnh báo, en: Department A issues an alert }, raisedBy: [coordinator] }
    within: P2D
  - id: answer-request
    clause: "3"
    title: { vi: Trả lời đề nghị hướng dẫn, en: Answer a request for guidance }
    assignees: [coordinator]
    kind: event
    event: { type: guidance-requested, title: { vi: Đề nghị hướng dẫn, en: A request for guidance }, raisedBy: [districts, communes] }
    within: P5D
    reviewer: leadership
    reportTo: [assignee.parent]
  - id: log-request
    clause: "4"
    title: { vi: Ghi nhận đề nghị, en: Log the request }
    assignees: [districts]
    kind: event
    event: { type: guidance-requested, title: { vi: Đề nghị hướng dẫn, en: A request for guidance } }
    within: P1D
`;

const edit = (from: string, to: string, base = DIRECTIVE): string => {
  if (!base.includes(from)) throw new Error(`fixture does not contain ${JSON.stringify(from)}`);
  return base.replace(from, to);
};

async function plan(text = DIRECTIVE): Promise<Plan> {
  const r = await compileText(text, '2024-06-01', REGISTRY);
  if (!r.ok) throw new Error(lines(r.diagnostics).join('\n'));
  expect(r.diagnostics).toEqual([]);
  return r.plan;
}

describe('relational recipients: assignee.parent, assignee.head', () => {
  it('stay relations in the obligation; each assignee’s parent and head are in the plan’s units', async () => {
    const p = await plan();
    const report = p.obligations.find((o) => o.id === 'report')!;
    // `coordinator` in assignees is the unit holding the role.
    expect(report.assignees).toEqual(['so-a', 'xa-1', 'xa-2']);
    expect(report.reviewer).toBe('assignee.parent');
    expect(report.cooperating).toEqual(['assignee.parent']);
    expect(report.escalation).toEqual([
      { after: 'P0D', to: ['assignee.head'], roles: ['assignee.head'] },
      { after: 'P7D', to: ['assignee.parent', 'chu-tich'], roles: ['assignee.parent', 'leadership'] },
    ]);
    expect(report.reportTo).toEqual(['bo-tttt']);
    expect(p.units['xa-1']).toMatchObject({ parent: 'huyen-x' });
    expect(p.units['xa-2']).toMatchObject({ parent: 'huyen-y' });
    expect(p.units['so-a']).toMatchObject({ parent: 'ubnd-tinh' });
    // The parents are in the plan (their names and addresses reach the instances); no head is recorded where the registry names none.
    expect(Object.keys(p.units)).toEqual(expect.arrayContaining(['huyen-x', 'huyen-y', 'ubnd-tinh', 'bo-tttt']));
    expect(p.units['xa-1']!.head).toBeUndefined();
    // Units no relation needs carry neither field.
    expect(p.units['bo-tttt']).toEqual({ id: 'bo-tttt', name: { vi: 'Bộ Thông tin và Truyền thông', en: 'Ministry of Information and Communications' }, kind: 'ministry', email: 'bo@t.example' });
  });

  it('each instance gets its own recipients: its parent reviews and co-operates, its own head is escalated to, then its parent', async () => {
    const p = await plan();
    const report = p.obligations.find((o) => o.id === 'report')!;
    const xa1 = forAssignee(p, report, 'xa-1');
    expect(xa1).toMatchObject({
      reviewer: 'huyen-x',
      cooperating: ['huyen-x'],
      escalation: [
        { after: 'P0D', to: ['xa-1'], roles: ['assignee.head'] },
        { after: 'P7D', to: ['chu-tich', 'huyen-x'], roles: ['assignee.parent', 'leadership'] },
      ],
      reportTo: ['bo-tttt'],
    });
    expect(forAssignee(p, report, 'xa-2').reviewer).toBe('huyen-y');
    expect(reviewerOf(p, report, 'so-a')).toBe('ubnd-tinh');
    // The instance's input carries the unit's own obligation and every unit it names, registry-free.
    const input = instanceInput(p, report, 'xa-1');
    expect(input.obligation.reviewer).toBe('huyen-x');
    expect(Object.keys(input.contacts).sort()).toEqual(['bo-tttt', 'chu-tich', 'huyen-x', 'xa-1']);
    // Only `roles` (what the recipients came from, for the notice's words) still names the relation.
    const own = input.obligation;
    expect([own.reviewer, ...own.cooperating, ...own.escalation.flatMap((s) => s.to), ...(own.reportTo ?? [])].filter((u) => u.includes('.'))).toEqual([]);
    // The review queue of a district finds the obligation; the instances of the other district are not its own.
    expect(reviewsAny(p, report, 'huyen-x')).toBe(true);
    expect(reviewsAny(p, report, 'so-a')).toBe(false);
    expect(recipientUnits(p, report).sort()).toEqual(['bo-tttt', 'chu-tich', 'huyen-x', 'huyen-y', 'so-a', 'ubnd-tinh', 'xa-1', 'xa-2']);
    // A slice is per unit: the commune of district X and that of district Y differ by their parent.
    expect(sliceKey(p, report, 'xa-1')).not.toBe(sliceKey(p, report, 'xa-2'));
  });

  it('an assignee without the parent a relation needs: no-parent at the first place it is written, naming the units', async () => {
    const r = await compileText(edit('assignees: [communes, coordinator]', 'assignees: [communes, coordinator, bo-tttt]'), '2024-06-01', REGISTRY);
    expect(r.ok).toBe(false);
    expect(lines(r.diagnostics)).toEqual([
      'directive.yaml:24:19: error[no-parent]: `assignee.parent` of `report`: 1 assignee(s) have no parent (`parent`) in the registry: `bo-tttt`\n' +
        '  → give those units `parent:` in the registry, or name the recipient (a unit id, a role) instead of the assignee\'s parent body',
    ]);
    expect(r.diagnostics[0]!.message.vi).toBe('`assignee.parent` của `report`: 1 đơn vị chủ trì không có cơ quan cấp trên (`parent`) trong danh mục: `bo-tttt`');
  });

  it('`assignee.head` as reviewer without a registry head would be the assignee itself: no-head, pointing at the registry and at submissionApproval', async () => {
    const r = await compileText(edit('    reviewer: assignee.parent\n', '    reviewer: assignee.head\n'), '2024-06-01', REGISTRY);
    expect(codes(r.diagnostics)).toEqual(['no-head']);
    expect(r.diagnostics[0]).toMatchObject({ line: 27, column: 15 });
    expect(r.diagnostics[0]!.message.en).toBe('`assignee.head` in `reviewer` of `report`: the registry names no head (`head`) for `so-a`, `xa-1`, `xa-2`, so it would be the assignee itself');
    expect(r.diagnostics[0]!.hint.en).toContain('`submissionApproval: unit-head`');
  });

  it('`assignee.head` with a registry head: that unit; in an escalation without one: the unit itself', async () => {
    const text = edit('assignees: [communes, coordinator]', 'assignees: [{ units: [ubnd-tinh, xa-1] }]', edit('    cooperating: [assignee.parent]\n', '', edit('    reviewer: assignee.parent\n', '    reviewer: coordinator\n')));
    const p = await plan(text.replace('to: [assignee.parent, leadership]', 'to: [leadership]'));
    const report = p.obligations.find((o) => o.id === 'report')!;
    expect(p.units['ubnd-tinh']).toMatchObject({ head: 'chu-tich' });
    expect(forAssignee(p, report, 'ubnd-tinh').escalation[0]).toEqual({ after: 'P0D', to: ['chu-tich'], roles: ['assignee.head'] });
    expect(forAssignee(p, report, 'xa-1').escalation[0]).toEqual({ after: 'P0D', to: ['xa-1'], roles: ['assignee.head'] });
  });

  it('a misspelt relation: unknown-relation with did-you-mean; a relation among the assignees or raisers: relation-not-here', async () => {
    const text = edit('reportTo: [bo-tttt]', 'reportTo: [bo-tttt, asignee.parent]', edit('assignees: [districts]\n    kind: event\n    event: { type: alert-issued', 'assignees: [districts, assignee.parent]\n    kind: event\n    event: { type: alert-issued'));
    const r = await compileText(text, '2024-06-01', REGISTRY);
    expect(lines(r.diagnostics)).toEqual([
      'directive.yaml:28:25: error[unknown-relation]: `asignee.parent` is not a relation — did you mean `assignee.parent`?\n  → relations: assignee.head, assignee.parent (or a role, a unit id)',
      'directive.yaml:35:28: error[relation-not-here]: `assignee.parent` names a recipient (reviewer, cooperating, escalation, reportTo), not an entry of `assignees`\n  → write the units that must do it: an audience, a unit id or a role',
    ]);
  });
});

describe('role names wherever a unit id goes', () => {
  it('in assignees, cooperating and raisedBy a role is the unit holding it; an audience of the same name comes first', async () => {
    const p = await plan(edit('    cooperating: [assignee.parent]\n', '    cooperating: [leadership]\n'));
    const report = p.obligations.find((o) => o.id === 'report')!;
    expect(report.assignees).toEqual(['so-a', 'xa-1', 'xa-2']);
    expect(report.cooperating).toEqual(['chu-tich']);
    expect((p.obligations.find((o) => o.id === 'respond-alert') as EventObligation).raisedBy).toEqual(['so-a']);
    const shadowed = await plan(edit('audiences:\n', 'audiences:\n  coordinator: { units: [huyen-x] }\n'));
    expect(shadowed.obligations.find((o) => o.id === 'report')!.assignees).toEqual(['huyen-x', 'xa-1', 'xa-2']);
  });
});

describe('reportTo', () => {
  it('is in the plan, sorted, with relations kept per assignee; the body reported to is a contact of every instance', async () => {
    const p = await plan();
    const answer = p.obligations.find((o) => o.id === 'answer-request')!;
    expect(answer.reportTo).toEqual(['assignee.parent']);
    expect(forAssignee(p, answer, 'so-a').reportTo).toEqual(['ubnd-tinh']);
    expect(Object.keys(instanceInput(p, p.obligations[0]!, 'xa-2').contacts)).toContain('bo-tttt');
  });

  it('a body not in the registry: unknown-unit, saying an outside body goes in the registry with its e-mail; one without e-mail: a warning', async () => {
    const r = await compileText(edit('reportTo: [bo-tttt]', 'reportTo: [bo-ttt, cuc-khong-thu]'), '2024-06-01', REGISTRY);
    expect(lines(r.diagnostics)).toEqual([
      'directive.yaml:28:16: error[unknown-unit]: `bo-ttt` is neither a role nor a unit of the registry registries/test-province.yaml — did you mean `bo-tttt`?\n' +
        '  → the body reported to must be in the registry (a body outside the province too, with its e-mail)',
      "directive.yaml:28:24: warning[report-to-no-email]: `cuc-khong-thu` has no e-mail in the registry: it hears of the report only in the portal's inbox, if it has accounts\n" +
        '  → add `email:` to `cuc-khong-thu` in the registry',
    ]);
  });
});

describe('events: shared types, raisedBy', () => {
  it('raisedBy is the raising units after audiences and roles; what one report opens', async () => {
    const p = await plan();
    const answer = p.obligations.find((o) => o.id === 'answer-request') as EventObligation;
    expect(answer.raisedBy).toEqual(['huyen-x', 'huyen-y', 'xa-1', 'xa-2']);
    const ofType = (t: string) => p.obligations.filter((o) => o.kind === 'event' && o.event === t);
    const opened = (t: string, u: string) => eventOpenings(ofType(t), u).map((x) => `${x.obligation.id}/${x.unitId}`);
    // A broadcast: the coordinator's alert opens every district's duty.
    expect(opened('alert-issued', 'so-a')).toEqual(['respond-alert/huyen-x', 'respond-alert/huyen-y']);
    // A district may not raise it.
    expect(opened('alert-issued', 'huyen-x')).toEqual([]);
    // One request of district X opens the coordinator's duty to answer, and its own duty to log it: one report, two duties.
    expect(opened('guidance-requested', 'huyen-x')).toEqual(['answer-request/so-a', 'log-request/huyen-x']);
    // A commune opens the coordinator's duty only (it has no duty to log).
    expect(opened('guidance-requested', 'xa-1')).toEqual(['answer-request/so-a']);
  });

  it('obligations sharing an event type under different titles: a warning at the second', async () => {
    const r = await compileText(edit('event: { type: guidance-requested, title: { vi: Đề nghị hướng dẫn, en: A request for guidance } }\n    within: P1D', 'event: { type: guidance-requested, title: { vi: Xin hướng dẫn } }\n    within: P1D'), '2024-06-01', REGISTRY);
    expect(r.ok).toBe(true);
    expect(lines(r.diagnostics)).toEqual([
      'directive.yaml:53:47: warning[event-title-differs]: event `guidance-requested` is already called “Đề nghị hướng dẫn” (line 44); one report of this type opens every obligation of the type\n' +
        '  → use the same title, or another event type if this is another occurrence',
    ]);
  });
});

describe('a v1 file', () => {
  it('using any of these constructs: needs-v1.1 at each one’s line', async () => {
    const r = await compileText(DIRECTIVE.replace('apiVersion: chithi/v1.1', 'apiVersion: chithi/v1'), '2024-06-01', REGISTRY);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column, d.message.en.split(' is a language')[0]])).toEqual([
      ['needs-v1.1', 23, 27, 'A role name in `assignees`'],
      ['needs-v1.1', 24, 19, 'The relational recipient `assignee.parent`'],
      ['needs-v1.1', 27, 15, 'The relational recipient `assignee.parent`'],
      ['needs-v1.1', 28, 15, '`reportTo` (reporting to a body outside the assignees)'],
      ['needs-v1.1', 30, 28, 'The relational recipient `assignee.head`'],
      ['needs-v1.1', 31, 28, 'The relational recipient `assignee.parent`'],
      ['needs-v1.1', 37, 113, '`event.raisedBy` (who may raise the event)'],
      ['needs-v1.1', 37, 114, 'A role name in `raisedBy`'],
      ['needs-v1.1', 42, 17, 'A role name in `assignees`'],
      ['needs-v1.1', 44, 112, '`event.raisedBy` (who may raise the event)'],
      ['needs-v1.1', 47, 15, '`reportTo` (reporting to a body outside the assignees)'],
      ['needs-v1.1', 47, 16, 'The relational recipient `assignee.parent`'],
    ]);
  });
});

describe('the registry', () => {
  it('`head` must be another unit of the registry', async () => {
    const r = await compileText(DIRECTIVE, '2024-06-01', REGISTRY.replace('head: chu-tich', 'head: chu-tch').replace('kind: ministry,', 'kind: ministry, head: bo-tttt,'));
    expect(r.diagnostics.map((d) => [d.code, d.message.en])).toEqual([
      ['unknown-head', 'head `chu-tch` is not in the registry — did you mean `chu-tich`?'],
      ['unknown-head', '`bo-tttt` names itself as its head'],
    ]);
  });
});
