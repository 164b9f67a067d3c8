/**
 * Trang nhiệm vụ của cổng thông tin nói hạn được đặt thế nào khi văn bản không in ngày đó: do cơ quan
 * soạn xác định (kèm lời của văn bản), hoặc tính từ ngày đơn vị nhận văn bản (ngôn ngữ 1.1); thư giao
 * nhiệm vụ cũng vậy.
 * The portal's task page says how a due date is set where the text printed none: chosen by the
 * drafting office (with the text's own words), or counted from the unit's receipt (language 1.1);
 * so does the assignment notice. A date the text gave has no such line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInstances } from '../../activities/store/instances.js';
import { readInbox } from '../../activities/store/inbox.js';
import { deploy } from '../../service/deploy.js';
import { plannedInstances } from '../../service/instances.js';
import { directiveYaml } from '../client/fixtures.js';
import { startServerHarness, type ServerHarness } from './harness.js';

const D = 'timing-v11';
let h: ServerHarness;
let officer: string;

/** The fixture as language 1.1, with a task "khẩn trương" (the office chose 15 days) and one due 5 working days after receipt. */
function yaml(): string {
  const base = directiveYaml({ id: D }).replace('apiVersion: chithi/v1', 'apiVersion: chithi/v1.1');
  return `${base}  - id: urgent
    clause: "3"
    title: { vi: "Rà soát khẩn trương", en: "Urgent review" }
    assignees: [departments]
    kind: deadline
    due: { interpreted: P15D, text: "khẩn trương" }
  - id: acknowledge
    clause: "4"
    title: { vi: "Xác nhận đã nhận văn bản", en: "Acknowledge receipt" }
    assignees: [departments]
    kind: deadline
    due: { afterReceipt: P5WD }
`;
}

const basisOf = (html: string): string | undefined => /<dd id="due-basis">([^<]*)<\/dd>/.exec(html)?.[1];

beforeAll(async () => {
  h = await startServerHarness();
  const file = join(h.dir, 'timing-v11.yaml');
  writeFileSync(file, yaml());
  const plan = await h.compile(file);
  await deploy(plan, { client: h.env.client, pool: h.db.pool, by: 'test' });
  await h.until('instances recorded', () => listInstances(h.db.pool, D), (rows) => rows.length >= plannedInstances(plan).length, 60_000);
  await h.until('acknowledge opened', () => listInstances(h.db.pool, D, { unitId: 'so-y-te', obligationId: 'acknowledge' }), (rows) => rows[0]?.status === 'in-progress', 60_000);
  officer = await h.account('can-bo.yte', 'so-y-te', ['officer']);
}, 240_000);

afterAll(async () => {
  await h?.close();
});

describe('how the due date is set, on the task page', () => {
  it('chosen by the drafting office: says so, with the text’s words, in both languages', async () => {
    const vi = await h.request(officer, 'GET', `/nhiem-vu/${D}/urgent/so-y-te`);
    expect(vi.statusCode, vi.body.slice(0, 300)).toBe(200);
    expect(basisOf(vi.body)).toBe('do cơ quan soạn xác định, 15 ngày kể từ ngày ban hành; văn bản: “khẩn trương”');
    expect(vi.body).toContain('<dt>Căn cứ hạn</dt>');
    const en = await h.request(officer, 'GET', `/nhiem-vu/${D}/urgent/so-y-te?lang=en`);
    expect(basisOf(en.body)).toBe('set by the drafting office, 15 days from the issue date; the text says “khẩn trương”');
  });

  it('counted from the receipt: the period, beside the date the unit now has', async () => {
    const page = await h.request(officer, 'GET', `/nhiem-vu/${D}/acknowledge/so-y-te`);
    expect(basisOf(page.body)).toBe('5 ngày làm việc kể từ ngày đơn vị nhận văn bản');
    const row = (await listInstances(h.db.pool, D, { unitId: 'so-y-te', obligationId: 'acknowledge' }))[0]!;
    expect(row.due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('a date the text gave: no such line', async () => {
    const page = await h.request(officer, 'GET', `/nhiem-vu/${D}/contact-point/so-y-te`);
    expect(page.statusCode).toBe(200);
    expect(basisOf(page.body)).toBeUndefined();
  });

  it('the assignment notice says it too', async () => {
    const inbox = await h.until('notices', () => readInbox(h.db.pool, 'so-y-te', { limit: 100 }), (ns) => ns.some((n) => n.obligationId === 'urgent' && n.kind === 'opened'), 60_000);
    const urgent = inbox.find((n) => n.obligationId === 'urgent' && n.kind === 'opened')!;
    expect(urgent.body).toContain('Căn cứ hạn: do cơ quan soạn xác định, 15 ngày kể từ ngày ban hành; văn bản: “khẩn trương”');
    expect(urgent.body).toContain('How the due date is set: set by the drafting office, 15 days from the issue date; the text says “khẩn trương”');
  });
});
