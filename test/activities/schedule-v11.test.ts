/**
 * Lập lịch theo ngôn ngữ 1.1 trên lịch làm việc của Việt Nam: ngày làm việc, nhắc việc dời khỏi ngày
 * nghỉ, quy tắc ngày nghỉ riêng của nhiệm vụ, hạn tính từ lúc nhận hoặc lúc hoàn thành nhiệm vụ khác.
 * The scheduler under language 1.1, on Vietnam's working calendar: working days, reminders moved
 * off days off, an obligation's own day-off rule, due dates counted from a receipt or a completion.
 * A v1 plan (none of the fields) is scheduled exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { createScheduleCycle } from '../../activities/schedule.js';
import type { ScheduleRequest } from '../../workflows/types.js';
import { deadline, directive, event, recurring } from '../support/fixtures.js';

const schedule = createScheduleCycle();
const req = (over: Partial<ScheduleRequest>): ScheduleRequest => ({
  directive: directive(),
  obligation: deadline(),
  cycle: 1,
  now: '2022-11-28T09:00:00.000+07:00',
  ...over,
});
const utc = (iso: string): string => new Date(iso).toISOString();
const days = (s: { reminders: { at: string }[] }) => s.reminders.map((r) => utc(r.at));

describe('working days (P…WD) at run time', () => {
  it('an event due "trong 05 ngày làm việc": the end of the fifth working day after the day it was reported', async () => {
    // Friday 13/01/2023; Tết is 20–26/01: Mon 16, Tue 17, Wed 18, Thu 19, then Friday 27.
    const s = await schedule(req({ obligation: event({ within: 'P5WD', reminders: [] }), event: { id: 'e1', type: 'attack-detected', reportedBy: 'so-y-te', occurredAt: '2023-01-13T10:00:00.000+07:00' } }));
    expect(s.due).toBe('2023-01-27');
    expect(utc(s.dueAt)).toBe(utc('2023-01-27T23:59:59.999+07:00'));
    expect(s.last).toBe(true);
  });

  it('a reminder P2WD: the morning of the second working day before the due day, across Tết', async () => {
    const s = await schedule(req({ obligation: deadline({ due: '2023-01-30', effectiveDue: '2023-01-30', reminders: ['P2WD'] }), now: '2023-01-01T00:00:00.000+07:00' }));
    // Due Monday 30/01: the working days before it are Friday 27 and Thursday 19 (Tết between).
    expect(days(s)).toEqual([utc('2023-01-19T00:00:00.000+07:00')]);
  });

  it('an escalation step P3WD: three working days after the due day, at the due time of day', async () => {
    const ob = deadline({ escalation: [{ after: 'P3WD', to: ['so-tttt'], roles: ['coordinator'] }] });
    const s = await schedule(req({ obligation: ob }));
    // Due Wednesday 30/11/2022: Thu 1, Fri 2, (weekend), Mon 5/12.
    expect(s.escalations.map((e) => utc(e.at))).toEqual([utc('2022-12-05T23:59:59.999+07:00')]);
  });
});

describe('reminders on a day off (remindersOnDayOff, 1.1)', () => {
  // Due Tuesday 06/12/2022: P2D is Sunday 04/12, P9D is Sunday 27/11 (before `now`: dropped).
  const ob = deadline({ due: '2022-12-06', effectiveDue: '2022-12-06', reminders: ['P2D', 'PT30H'] });

  it('moved to the working day before when the workflow asks (a 1.1 directive)', async () => {
    const s = await schedule(req({ obligation: ob, remindersOnDayOff: 'previous-working-day' }));
    // P2D: Sunday 04/12 → Friday 02/12 (Saturday is off too). PT30H is a moment (17:59:59 on Monday 05/12): kept.
    expect(days(s)).toEqual([utc('2022-12-02T00:00:00.000+07:00'), utc('2022-12-05T17:59:59.999+07:00')]);
  });

  it('kept on its day for a v1 directive, as before', async () => {
    const s = await schedule(req({ obligation: ob }));
    expect(days(s)).toEqual([utc('2022-12-04T00:00:00.000+07:00'), utc('2022-12-05T17:59:59.999+07:00')]);
  });
});

describe("an obligation's own dueOnDayOff (1.1)", () => {
  const onHoliday = { due: '2023-04-29', effectiveDue: '2023-04-29' };

  it('previous-working-day brings a due date on the 30/4 holiday forward to Friday 28/04', async () => {
    const s = await schedule(req({ obligation: deadline({ ...onHoliday, dueOnDayOff: 'previous-working-day' }) }));
    expect(s.due).toBe('2023-04-28');
  });

  it('keep overrides the directive’s next-working-day; without it the directive’s rule applies', async () => {
    expect((await schedule(req({ obligation: deadline({ ...onHoliday, dueOnDayOff: 'keep' }) }))).due).toBe('2023-04-29');
    expect((await schedule(req({ obligation: deadline(onHoliday) }))).due).toBe('2023-05-04');
  });

  it('an extension granted to a day off follows the obligation’s rule too', async () => {
    const s = await schedule(req({ obligation: deadline({ dueOnDayOff: 'previous-working-day' }), extendedDue: '2022-12-11' }));
    expect(s.due).toBe('2022-12-09');
  });
});

describe('due dates counted from a moment known at run time (relativeDue, 1.1)', () => {
  it('from the receipt: opened at the receipt, due 5 working days after its day', async () => {
    const ob = deadline({ due: '2022-11-29', effectiveDue: '2022-11-29', relativeDue: { from: 'receipt', plus: 'P5WD' } });
    const s = await schedule(req({ obligation: ob, clockFrom: '2022-11-28T09:00:00.000+07:00' }));
    expect(s.opensAt).toBe('2022-11-28T09:00:00.000+07:00');
    expect(s.due).toBe('2022-12-05');
  });

  it("from a prerequisite's completion, in calendar days: the day-off rule applies", async () => {
    const ob = deadline({ relativeDue: { from: 'completion', obligation: 'contact-point', clause: '1.4', plus: 'P4D' } });
    // Completed Wednesday 30/11/2022: + 4 days is Sunday 04/12 → Monday 05/12.
    const s = await schedule(req({ obligation: ob, clockFrom: '2022-11-30T15:00:00.000+07:00', now: '2022-11-30T15:00:01.000+07:00' }));
    expect(s.opensAt).toBe('2022-11-30T15:00:00.000+07:00');
    expect(s.due).toBe('2022-12-05');
  });

  it('a recurring duty counts each cycle from the completion it is given, and stops at until', async () => {
    const ob = recurring({ relativeDue: { from: 'completion', obligation: 'scan', clause: '1.2', plus: 'P30D' }, until: '2023-06-30' });
    const c2 = await schedule(req({ obligation: ob, cycle: 2, clockFrom: '2023-03-01T10:00:00.000+07:00' }));
    expect([c2.due, c2.last]).toEqual(['2023-03-31', false]);
    const c3 = await schedule(req({ obligation: ob, cycle: 3, clockFrom: '2023-06-15T10:00:00.000+07:00' }));
    expect([c3.due, c3.last]).toEqual(['2023-07-17', true]);
  });

  it('without the moment (a workflow from before relative-due-v1), the date the plan expects', async () => {
    const ob = deadline({ due: '2022-12-05', effectiveDue: '2022-12-05', relativeDue: { from: 'receipt', plus: 'P5WD' } });
    expect((await schedule(req({ obligation: ob }))).due).toBe('2022-12-05');
  });
});

describe('other readers of a 1.1 plan', () => {
  it("a rehearsal's default end reaches past a deadline's last escalation step in working days", async () => {
    const { defaultEnd } = await import('../../service/rehearse.js');
    const ob = deadline({ due: '2023-12-20', effectiveDue: '2023-12-20', escalation: [{ after: 'P10WD', to: ['so-tttt'], roles: ['coordinator'] }] });
    const plan = { directive: { timezone: 'Asia/Ho_Chi_Minh' }, obligations: [ob] } as unknown as Parameters<typeof defaultEnd>[0];
    // Ten working days after 20/12/2023 is 04/01/2024 (1/1 off): the end is at least a week after it.
    expect(defaultEnd(plan, '2023-01-10') >= '2024-01-11').toBe(true);
  });
});
