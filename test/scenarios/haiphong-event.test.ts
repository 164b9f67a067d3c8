/**
 * Hai Phong 24/CT-UBND clause 1.d: signs of an attack on a key target must be reported "ngay"
 * (immediately), encoded as 4 hours. The real seed, compiled as of 31/10/2014, on its own dates.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInstances } from '../../activities/store/index.js';
import { deploy } from '../../service/deploy.js';
import { reportEvent } from '../../service/report-event.js';
import type { Plan } from '../../compiler/plan.js';
import { instanceWorkflowId } from '../../workflows/types.js';
import { noticeDate, startScenario, type Scenario } from './harness.js';

const D = 'haiphong-24-2014';
const SILENT = 'dai-ptth'; // reports the event, then never files the report
const PROMPT = 'so-gtvt'; // files its report within the 4 hours

describe('Hai Phong 1.d: an attack reported by `report-event` must be answered within 4 hours', () => {
  let sc: Scenario;
  const wf = (unit: string, event: string) => instanceWorkflowId(D, 'report-attack', unit, event);

  beforeAll(async () => {
    sc = await startScenario('directives/haiphong-24-2014.yaml', { asOf: '2014-10-31', at: '2014-11-03T08:00' });
    writeFileSync(join(sc.dir, 'bao-cao-tan-cong.pdf'), '%PDF-1.4 báo cáo dấu hiệu tấn công (thử nghiệm)\n');
    // The two units' duties only: the event path is what is under test here.
    const keep = new Set([SILENT, PROMPT]);
    const plan: Plan = {
      ...sc.plan,
      obligations: sc.plan.obligations.map((o) => ({ ...o, assignees: o.assignees.filter((u) => keep.has(u)) })).filter((o) => o.assignees.length > 0),
      hash: `${sc.plan.hash}:event`,
    };
    expect(plan.obligations.find((o) => o.id === 'report-attack')).toMatchObject({ kind: 'event', clause: '1.d', within: 'PT4H' });
    await deploy(plan, { client: sc.env.client, pool: sc.db.pool, clockOffsetMs: sc.offset });
  });

  afterAll(async () => {
    await sc?.close();
  });

  it('starts one instance per reported event, once however often it is reported', async () => {
    await sc.until('2014-11-10T09:00');
    const report = { directiveId: D, eventType: 'attack-detected', unitId: SILENT, eventId: 'sc-2014-11-10', occurredAt: '2014-11-10T08:30:00+07:00', description: 'Truy cập bất thường vào máy chủ cổng thông tin', clockOffsetMs: sc.offset };
    const deps = { client: sc.env.client, pool: sc.db.pool };
    const first = await reportEvent(report, deps);
    expect(first.started).toEqual([wf(SILENT, 'sc-2014-11-10')]);
    const again = await reportEvent(report, deps);
    expect(again).toMatchObject({ started: [], existing: [wf(SILENT, 'sc-2014-11-10')] });
    await reportEvent({ ...report, unitId: PROMPT, eventId: 'sc-gt-1', description: 'Mã độc trên máy trạm' }, deps);

    const s = await sc.state(wf(SILENT, 'sc-2014-11-10'));
    expect(s.status).toBe('in-progress');
    // Due 4 hours after it happened, not at the end of a day.
    expect(s.dueAt && new Date(s.dueAt).toISOString()).toBe('2014-11-10T05:30:00.000Z');
    const events = await listInstances(sc.db.pool, D, { obligationId: 'report-attack' });
    expect(events).toHaveLength(2);
  });

  it('a unit that reports in time completes on time and nobody is escalated', async () => {
    await sc.until('2014-11-10T10:00');
    await sc.cli('submit', '--directive', D, '--obligation', 'report-attack', '--unit', PROMPT, '--event', 'sc-gt-1', '--file', 'bao-cao-tan-cong.pdf', '--field', 'detected-at=08:30 10/11/2014', '--field', 'target=Máy trạm phòng kế toán');
    await sc.until('2014-11-10T10:30');
    await sc.cli('review', 'accept', '--directive', D, '--obligation', 'report-attack', '--unit', PROMPT, '--event', 'sc-gt-1');
    expect((await sc.state(wf(PROMPT, 'sc-gt-1'))).status).toBe('completed-on-time');
  });

  it('one hour before the limit the unit is reminded; at 12:30 police and the DIC are alerted; at 16:30 the Chairman', async () => {
    const id = wf(SILENT, 'sc-2014-11-10');
    await sc.until('2014-11-10T12:00');
    const [reminder] = await sc.waitMails(id, 'reminder', SILENT);
    expect(reminder!.headers['x-chithi-notice-at']).toBeDefined();
    expect(reminder!.to).toEqual([sc.plan.units[SILENT]!.email]);
    expect(await sc.recipients(id, 'reminder')).toEqual([[SILENT]]);
    // Timers fire a few milliseconds after their instant: within the minute is exact enough.
    const remindedAt = Date.parse(reminder!.headers['x-chithi-notice-at']!);
    expect(remindedAt).toBeGreaterThanOrEqual(Date.parse('2014-11-10T11:30:00+07:00'));
    expect(remindedAt).toBeLessThan(Date.parse('2014-11-10T11:31:00+07:00'));
    expect(sc.mails(id, 'escalation')).toHaveLength(0);

    await sc.until('2014-11-10T12:45');
    const [police] = await sc.waitMails(id, 'escalation', 'cong-an');
    const [dic] = await sc.waitMails(id, 'escalation', 'so-tttt');
    for (const m of [police!, dic!]) {
      expect(noticeDate(m)).toBe('2014-11-10');
      expect(Date.parse(m.headers['x-chithi-notice-at']!)).toBeGreaterThan(Date.parse('2014-11-10T12:30:00+07:00') - 1);
      expect(m.subject).toContain('24/CT-UBND');
    }
    expect((await sc.state(id)).status).toBe('overdue');
    expect(sc.mails(id, 'escalation', 'chu-tich-ubnd')).toHaveLength(0);
    // One e-mail each to the police and the DIC, nobody else.
    expect(await sc.recipients(id, 'escalation')).toEqual([['cong-an'], ['so-tttt']]);

    await sc.until('2014-11-10T16:45');
    const [chairman] = await sc.waitMails(id, 'escalation', 'chu-tich-ubnd');
    expect(chairman!.to).toEqual([sc.plan.units['chu-tich-ubnd']!.email]);
    expect(await sc.recipients(id, 'escalation')).toEqual([['chu-tich-ubnd'], ['cong-an'], ['so-tttt']]);
    expect(sc.mails(wf(PROMPT, 'sc-gt-1'), 'escalation')).toHaveLength(0);
  });
});
