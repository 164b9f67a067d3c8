/**
 * Sự kiện của ngôn ngữ 1.1 qua API (POST /api/v1/events → service/report-event.ts, đường CLI và API
 * cùng đi): một báo cáo mở mọi nghĩa vụ cùng loại, một cảnh báo mở nhiệm vụ của mọi đơn vị trong
 * nhóm, một đề nghị của đơn vị mở nhiệm vụ của đơn vị khác; ai không được báo thì bị từ chối, kèm tên
 * những đơn vị được báo.
 * Language 1.1 events through the API (POST /api/v1/events → service/report-event.ts, which the CLI
 * calls through the API too): one report opens every obligation of its type, an alert opens the duty
 * of every unit of an audience, a unit's request opens another unit's duty; a unit that may not raise
 * the event is refused (403), told who may. The reporting account is authorised for its own unit
 * only (`event.report`, server/authz.ts); reaching other units is what `raisedBy` grants.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listInstances } from '../../activities/store/instances.js';
import { deploy } from '../../service/deploy.js';
import { startServerHarness, type ServerHarness } from './harness.js';

const D = 'raised-events';

const REGISTRY = `apiVersion: chithi/v1
kind: UnitRegistry
metadata: { id: raised-registry }
units:
  - { id: ubnd, name: { vi: UBND tỉnh, en: Provincial People's Committee }, kind: people-committee, email: ubnd@province.example }
  - { id: vp-ubnd, name: { vi: Văn phòng UBND tỉnh, en: Office of the People's Committee }, kind: department, parent: ubnd, email: vp@province.example }
  - { id: chu-tich, name: { vi: Chủ tịch UBND tỉnh, en: Chair }, kind: leadership, email: chutich@province.example }
  - { id: so-tttt, name: { vi: Sở Thông tin và Truyền thông, en: Department of Information and Communications }, kind: department, parent: ubnd, email: sotttt@province.example }
  - { id: huyen-a, name: { vi: UBND huyện A, en: District A }, kind: district, parent: vp-ubnd, email: a@province.example }
  - { id: huyen-b, name: { vi: UBND huyện B, en: District B }, kind: district, parent: ubnd, email: b@province.example }
  - { id: huyen-c, name: { vi: UBND huyện C, en: District C }, kind: district, parent: ubnd, email: c@province.example }
`;

const DIRECTIVE = `apiVersion: chithi/v1.1
kind: Directive
metadata:
  id: ${D}
  number: 5/CT-EV
  type: chi-thi
  issuer: ubnd
  issued: 2026-01-02
  title: { vi: Cảnh báo và đề nghị, en: Alerts and requests }
  timezone: Asia/Ho_Chi_Minh
  calendar: { id: vn, dueOnDayOff: keep }
  registry: raised-registry.yaml
roles:
  coordinator: so-tttt
  leadership: chu-tich
audiences:
  districts: { kind: district }
defaults:
  reviewer: coordinator
  evidence:
    - { kind: document, name: report, title: { vi: Báo cáo, en: Report } }
obligations:
  - id: respond-alert
    clause: "1"
    title: { vi: Xử lý cảnh báo, en: Act on the alert }
    assignees: [districts]
    kind: event
    event: { type: alert-issued, title: { vi: Sở TTTT phát cảnh báo, en: The department issues an alert }, raisedBy: [coordinator] }
    within: P2D
  - id: answer-request
    clause: "2"
    title: { vi: Trả lời đề nghị hướng dẫn, en: Answer a request for guidance }
    assignees: [coordinator]
    kind: event
    event: { type: guidance-requested, title: { vi: Đề nghị hướng dẫn, en: A request for guidance }, raisedBy: [districts] }
    within: P5D
    reviewer: leadership
  - id: log-request
    clause: "3"
    title: { vi: Ghi sổ đề nghị đã gửi, en: Log the request sent }
    assignees: [huyen-a]
    kind: event
    event: { type: guidance-requested, title: { vi: Đề nghị hướng dẫn, en: A request for guidance } }
    within: P1D
  - id: report-result
    clause: "4"
    title: { vi: Báo cáo kết quả về cơ quan cấp trên, en: Report the result to the parent body }
    assignees: [huyen-a]
    kind: deadline
    due: 2027-06-30
    reviewer: assignee.parent
    reportTo: [leadership]
`;

let h: ServerHarness;
const token = {} as Record<'coordinator' | 'districtA' | 'districtC' | 'reviewer' | 'parent', string>;

beforeAll(async () => {
  h = await startServerHarness();
  writeFileSync(join(h.dir, 'raised-registry.yaml'), REGISTRY);
  writeFileSync(join(h.dir, 'raised.yaml'), DIRECTIVE);
  const plan = await h.compile(join(h.dir, 'raised.yaml'));
  await deploy(plan, { client: h.env.client, pool: h.db.pool, by: 'test' });
  token.coordinator = await h.account('can-bo.tttt', 'so-tttt', ['officer']);
  token.districtA = await h.account('can-bo.huyen-a', 'huyen-a', ['officer']);
  token.districtC = await h.account('can-bo.huyen-c', 'huyen-c', ['officer']);
  token.reviewer = await h.account('dieu-phoi', 'so-tttt', ['reviewer']);
  token.parent = await h.account('tham-dinh.vp', 'vp-ubnd', ['reviewer']);
  await h.account('lanh-dao', 'chu-tich', ['leadership']);
}, 240_000);

afterAll(async () => {
  await h?.close();
});

const report = (t: string, type: string, unit: string, id?: string) => h.request(t, 'POST', '/api/v1/events', { directive: D, type, unit, ...(id !== undefined && { id }) });

const eventRows = (obligationId: string) => listInstances(h.db.pool, D, { obligationId });

it("the coordinator's alert opens every district's duty, each under the coordinator's event id", async () => {
  const res = await report(token.coordinator, 'alert-issued', 'so-tttt', 'cb-1');
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json()).toEqual({
    eventId: 'cb-1',
    started: [`chithi/${D}/respond-alert/huyen-a/so-tttt.cb-1`, `chithi/${D}/respond-alert/huyen-b/so-tttt.cb-1`, `chithi/${D}/respond-alert/huyen-c/so-tttt.cb-1`],
    existing: [],
  });
  const rows = await h.until('three districts in progress', () => eventRows('respond-alert'), (r) => r.length === 3 && r.every((x) => x.status === 'in-progress'));
  expect(rows.map((r) => [r.unitId, r.eventId]).sort()).toEqual([
    ['huyen-a', 'so-tttt.cb-1'],
    ['huyen-b', 'so-tttt.cb-1'],
    ['huyen-c', 'so-tttt.cb-1'],
  ]);
  // The same report again starts nothing new.
  const again = await report(token.coordinator, 'alert-issued', 'so-tttt', 'cb-1');
  expect(again.statusCode).toBe(200);
  expect(again.json().existing).toHaveLength(3);
});

it('a district may not raise the alert: 403, naming who may', async () => {
  const res = await report(token.districtA, 'alert-issued', 'huyen-a');
  expect(res.statusCode).toBe(403);
  expect(res.json().error.text).toEqual({
    vi: `Đơn vị "huyen-a" không được báo sự kiện "alert-issued" của chỉ thị ${D}. Được báo: nghĩa vụ respond-alert (điểm 1): Sở Thông tin và Truyền thông (so-tttt).`,
    en: `Unit "huyen-a" may not raise "alert-issued" of directive ${D}. Who may: obligation respond-alert (clause 1): Department of Information and Communications (so-tttt).`,
  });
  // And an account of one unit does not raise for another: the route authorises its own unit only.
  expect((await report(token.districtA, 'alert-issued', 'so-tttt')).statusCode).toBe(403);
  // Nor may the coordinator's reviewer account report at all (event.report: officers and unit heads).
  expect((await report(token.reviewer, 'alert-issued', 'so-tttt')).statusCode).toBe(403);
});

it("district A's request opens the coordinator's duty to answer and its own duty to log it: one report, two duties", async () => {
  const res = await report(token.districtA, 'guidance-requested', 'huyen-a', 'yc-1');
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json().started).toEqual([`chithi/${D}/answer-request/so-tttt/huyen-a.yc-1`, `chithi/${D}/log-request/huyen-a/yc-1`]);
  // District C's request with the same id is another duty of the coordinator, not a repeat.
  const c = await report(token.districtC, 'guidance-requested', 'huyen-c', 'yc-1');
  expect(c.statusCode, c.body).toBe(201);
  expect(c.json().started).toEqual([`chithi/${D}/answer-request/so-tttt/huyen-c.yc-1`]);
  const rows = await h.until('two requests to answer', () => eventRows('answer-request'), (r) => r.length === 2);
  expect(rows.map((r) => [r.unitId, r.eventId]).sort()).toEqual([
    ['so-tttt', 'huyen-a.yc-1'],
    ['so-tttt', 'huyen-c.yc-1'],
  ]);
});

it('the coordinator may not raise a request for guidance, and is told which units may', async () => {
  const res = await report(token.coordinator, 'guidance-requested', 'so-tttt');
  expect(res.statusCode).toBe(403);
  expect(res.json().error.text.en).toBe(
    `Unit "so-tttt" may not raise "guidance-requested" of directive ${D}. Who may: obligation answer-request (clause 2): District A (huyen-a), District B (huyen-b), District C (huyen-c); obligation log-request (clause 3): each assignee reports its own.`,
  );
});

it("`reviewer: assignee.parent`: district A's parent body reviews its evidence (queue, CLI), the coordinator does not; the leadership reported to hears of it", async () => {
  const id = `chithi/${D}/report-result/huyen-a`;
  await h.until('the duty open', () => eventRows('report-result'), (r) => r[0]?.status === 'in-progress');
  writeFileSync(join(h.dir, 'ket-qua.pdf'), '%PDF-1.4 kết quả');
  const ref = ['--directive', D, '--obligation', 'report-result', '--unit', 'huyen-a'];
  const submitted = await h.cli(['submit', ...ref, '--file', 'ket-qua.pdf'], 'can-bo.huyen-a');
  expect(submitted.stderr).toBe('');
  await h.until('awaiting review', () => h.state(id), (s) => s.status === 'awaiting-review');
  // The parent's review queue lists it; the coordinator's (the default reviewer elsewhere) does not.
  const queue = await h.request(token.parent, 'GET', '/duyet');
  expect(queue.statusCode).toBe(200);
  expect(queue.body).toContain('Báo cáo kết quả về cơ quan cấp trên');
  expect((await h.request(token.reviewer, 'GET', '/duyet')).body).not.toContain('Báo cáo kết quả về cơ quan cấp trên');
  const refused = await h.cli(['review', 'accept', ...ref], 'dieu-phoi');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('may not review evidence for unit huyen-a');
  const accepted = await h.cli(['review', 'accept', ...ref], 'tham-dinh.vp');
  expect(accepted.stderr).toBe('');
  expect(accepted.code).toBe(0);
  await h.until('completed', () => h.state(id), (s) => s.status === 'completed-on-time');
  // The body reported to (the Chair, through the role) reads the notice of completion in its inbox.
  const inbox = await h.until('the inbox of the body reported to', () => h.cli(['inbox', '--unit', 'chu-tich'], 'lanh-dao'), (r) => r.stdout.includes('report-result') || r.stdout.includes('Báo cáo kết quả'));
  expect(inbox.stdout).toContain('Báo cáo kết quả về cơ quan cấp trên');
});
