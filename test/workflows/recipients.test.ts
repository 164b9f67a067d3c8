/**
 * Người nhận của ngôn ngữ 1.1 trong luồng công việc: chỉ thị được biên dịch thật, phiên nhận nghĩa vụ
 * đã thay quan hệ bằng đơn vị của mình (service/instances.ts), nên luồng công việc không cần danh mục.
 * Language 1.1 recipients in the workflows, from a compiled directive: each instance's input is the
 * obligation as its unit runs it (service/instances.ts instanceInput → compiler/relations.ts), so the
 * workflow reaches the unit's own head and parent with no registry, and (patch recipients-v1) tells
 * the body reported to and the raising unit of the completion. Counted on the e-mails received.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { compileFile } from '../../compiler/index.js';
import type { Plan } from '../../compiler/plan.js';
import { instanceInput } from '../../service/instances.js';
import { SIGNAL, type InstanceState, type ReportedEvent } from '../../workflows/types.js';
import { nextDeploymentYear, startHarness, type Harness } from './support/harness.js';
import { testBackend } from './support/test-backend.js';
import { HOUR_MS, advanceTo, byKind, hanoi } from './support/timeline.js';

const REGISTRY = `apiVersion: chithi/v1
kind: UnitRegistry
metadata: { id: rel-registry }
units:
  - { id: ubnd-tinh, name: { vi: UBND tỉnh, en: Provincial People's Committee }, kind: people-committee, email: ubnd@t.example }
  - { id: chu-tich, name: { vi: Chủ tịch UBND tỉnh, en: Chairman }, kind: leadership, parent: ubnd-tinh, email: chutich@t.example }
  - { id: so-a, name: { vi: Sở A, en: Department A }, kind: department, parent: ubnd-tinh, email: so-a@t.example }
  - { id: huyen-x, name: { vi: UBND huyện X, en: District X }, kind: district, parent: ubnd-tinh, email: x@t.example }
  - { id: huyen-y, name: { vi: UBND huyện Y, en: District Y }, kind: district, parent: ubnd-tinh, email: y@t.example }
  - { id: bo-tttt, name: { vi: Bộ Thông tin và Truyền thông, en: Ministry of Information and Communications }, kind: ministry, email: bo@t.example }
`;

function directive(year: number): string {
  return `apiVersion: chithi/v1.1
kind: Directive
metadata:
  id: rel-${year}
  number: 9/UBND-REL
  type: cong-van
  issuer: ubnd-tinh
  issued: ${year}-01-05
  title: { vi: Cảnh báo và hướng dẫn, en: Alerts and guidance }
  timezone: Asia/Ho_Chi_Minh
  calendar: { id: vn, dueOnDayOff: keep }
  registry: registry.yaml
roles:
  coordinator: so-a
  leadership: chu-tich
audiences:
  districts: { kind: district }
defaults:
  notify: { units: { cadence: immediate }, escalations: { cadence: immediate } }
  evidence:
    - { kind: document, name: report, title: { vi: Báo cáo, en: Report } }
obligations:
  - id: respond-alert
    clause: "2"
    title: { vi: Xử lý cảnh báo, en: Act on the alert }
    assignees: [districts]
    kind: event
    event: { type: alert-issued, title: { vi: Sở A phát cảnh báo, en: Department A issues an alert }, raisedBy: [coordinator] }
    within: PT4H
    escalation:
      - { after: P0D, to: [assignee.head] }
      - { after: PT4H, to: [assignee.parent] }
  - id: answer-request
    clause: "3"
    title: { vi: Trả lời đề nghị hướng dẫn, en: Answer a request for guidance }
    assignees: [coordinator]
    kind: event
    event: { type: guidance-requested, title: { vi: Đề nghị hướng dẫn, en: A request for guidance }, raisedBy: [districts] }
    within: PT8H
    reviewer: leadership
    reportTo: [bo-tttt]
`;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness('recipients', await testBackend());
});
afterEach(async () => {
  await h?.terminateRunning();
});
afterAll(async () => {
  await h?.close();
});

async function compiled(year: number): Promise<Plan> {
  const dir = mkdtempSync(join(tmpdir(), 'chithi-recipients-'));
  writeFileSync(join(dir, 'registry.yaml'), REGISTRY);
  writeFileSync(join(dir, 'directive.yaml'), directive(year));
  const r = await compileFile(join(dir, 'directive.yaml'), { asOf: `${year}-01-05` });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan;
}

/** As service/report-event.ts starts it: the raiser's event, under the raiser's id. */
function raised(raiser: string, id: string, occurredAt: string): ReportedEvent {
  return { id: `${raiser}.${id}`, type: 'raised', reportedBy: `officer@${raiser}`, occurredAt, raisedBy: raiser };
}

test("the coordinator's alert: each district's duty names the raiser, escalates to the district's own head, then to its parent", async () => {
  const year = await nextDeploymentYear(h);
  const plan = await compiled(year);
  const o = plan.obligations.find((x) => x.id === 'respond-alert')!;
  const at = hanoi(year, '11-28T10:00');
  await h.sleepUntil(at);
  const id = await h.start(instanceInput(plan, o, 'huyen-x', raised('so-a', 'canh-bao-1', at)));
  expect(id).toBe(`chithi/rel-${year}/respond-alert/huyen-x/so-a.canh-bao-1`);
  await h.until(id, (s) => s.status === 'in-progress', 'the duty to open');
  const start = Date.parse(at);

  await advanceTo(h, id, start + 4 * HOUR_MS + 60_000);
  const first = await h.notices(id);
  expect(byKind(first)).toMatchObject({ opened: ['huyen-x'], overdue: ['huyen-x'], escalation: ['huyen-x'] });
  const opened = first.find((n) => n.kind === 'opened')!.text;
  expect(opened).toContain('Đơn vị báo sự kiện: Sở A');
  expect(opened).toContain('Raised by: Department A');
  // `assignee.head` and the registry names no head unit: the district itself, addressed to its head.
  const toHead = first.find((n) => n.kind === 'escalation')!.text;
  expect(toHead).toContain('Kính gửi: Thủ trưởng UBND huyện X');
  expect(toHead).toContain('Đề nghị Thủ trưởng đơn vị trực tiếp chỉ đạo thực hiện.');
  expect(toHead).toContain('To: the head of District X');

  await advanceTo(h, id, start + 8 * HOUR_MS + 60_000);
  // Then its own parent body, the provincial People's Committee: no registry in the workflow.
  expect(byKind(await h.notices(id)).escalation).toEqual(['huyen-x', 'ubnd-tinh']);
  const toParent = (await h.notices(id)).filter((n) => n.kind === 'escalation' && n.to === 'ubnd-tinh')[0]!.text;
  expect(toParent).toContain('Kính gửi: UBND tỉnh');
  expect(toParent).toContain('UBND huyện X chưa hoàn thành nhiệm vụ sau');
  await h.recordHistory(id, 'recipients-escalated-to-head-and-parent');
});

test("a district's request opens the coordinator's duty; its acceptance reaches the coordinator, the ministry reported to and the district", async () => {
  const year = await nextDeploymentYear(h);
  const plan = await compiled(year);
  const o = plan.obligations.find((x) => x.id === 'answer-request')!;
  const at = hanoi(year, '11-28T09:30');
  await h.sleepUntil(at);
  const id = await h.start(instanceInput(plan, o, 'so-a', raised('huyen-y', 'yc-1', at)));
  await h.until(id, (s) => s.status === 'in-progress', 'the duty to open');
  const start = Date.parse(at);
  await advanceTo(h, id, start + 2 * HOUR_MS);
  await h.signal(id, SIGNAL.submitEvidence, { submissionId: 'tl-1', items: [{ name: 'report', kind: 'document', value: 'huong-dan.pdf' }], submittedBy: 'so-a' });
  await h.until(id, (s) => s.status === 'awaiting-review', 'awaiting review');
  await h.signal(id, SIGNAL.review, { submissionId: 'tl-1', decision: 'accept', reviewer: 'chu-tich' });
  const final: InstanceState = await h.env.client.workflow.getHandle(id).result();
  expect(final.status).toBe('completed-on-time');

  const notices = await h.notices(id);
  expect(byKind(notices)).toEqual({ opened: ['so-a'], submitted: ['chu-tich'], accepted: ['bo-tttt', 'huyen-y', 'so-a'] });
  const text = (to: string) => notices.find((n) => n.kind === 'accepted' && n.to === to)!.text;
  expect(text('so-a')).toContain('Minh chứng của đơn vị đã được chấp nhận. Nhiệm vụ hoàn thành.');
  expect(text('bo-tttt')).toContain('Kính gửi: Bộ Thông tin và Truyền thông');
  expect(text('bo-tttt')).toContain('Sở A đã hoàn thành nhiệm vụ sau (minh chứng đã được chấp nhận); kính báo cáo Quý cơ quan.');
  expect(text('huyen-y')).toContain('Kính gửi: UBND huyện Y');
  expect(text('huyen-y')).toContain('Sở A đã hoàn thành nhiệm vụ sau, mở theo sự kiện đơn vị đã báo (minh chứng đã được chấp nhận).');
  expect(text('huyen-y')).toContain('Department A has completed the following task, opened by the event your unit raised');
  await h.recordHistory(id, 'recipients-completion-reported');
});
