import { describe, expect, it } from 'vitest';
import { createScheduleCycle } from '../../activities/schedule.js';
import type { ScheduleRequest } from '../../workflows/types.js';
import { deadline, directive, event, ongoing, recurring } from '../support/fixtures.js';

const schedule = createScheduleCycle();
const req = (over: Partial<ScheduleRequest>): ScheduleRequest => ({
  directive: directive(),
  obligation: deadline(),
  cycle: 1,
  now: '2022-11-28T09:00:00.000+07:00',
  ...over,
});
const local = (iso: string): string => new Date(iso).toISOString();

describe('scheduleCycle', () => {
  it('deadline: due at the end of the effective due day, opened now', async () => {
    const s = await schedule(req({}));
    expect(s.due).toBe('2022-11-30');
    expect(local(s.dueAt)).toBe(local('2022-11-30T23:59:59.999+07:00'));
    expect(s.opensAt).toBe('2022-11-28T09:00:00.000+07:00');
    expect(s.last).toBe(false);
  });

  it('deadline on a day off moves to the next working day (30/4–3/5/2023 holiday → 4/5)', async () => {
    const s = await schedule(req({ obligation: deadline({ due: '2023-04-29', effectiveDue: '2023-04-29' }) }));
    expect(s.due).toBe('2023-05-04');
  });

  it('keeps a day-off due when the directive says keep', async () => {
    const d = directive({ calendar: { id: 'vn', dueOnDayOff: 'keep' } });
    const s = await schedule(req({ directive: d, obligation: deadline({ due: '2023-04-29', effectiveDue: '2023-04-29' }) }));
    expect(s.due).toBe('2023-04-29');
  });

  it('an extension replaces the due date, and is itself moved off a Sunday', async () => {
    const s = await schedule(req({ extendedDue: '2022-12-11' }));
    expect(s.due).toBe('2022-12-12');
  });

  it('reminders at the start of the day, those in the past dropped', async () => {
    const s = await schedule(req({ now: '2022-11-24T10:00:00.000+07:00' }));
    // P7D (23/11) is past; P1D is the morning of 29/11.
    expect(s.reminders).toEqual([{ at: expect.any(String), offset: 'P1D' }]);
    expect(local(s.reminders[0]!.at)).toBe(local('2022-11-29T00:00:00.000+07:00'));
    const early = await schedule(req({ now: '2022-11-01T00:00:00.000+07:00' }));
    expect(early.reminders.map((r) => r.offset)).toEqual(['P7D', 'P1D']);
  });

  it('escalations at due and due + P7D', async () => {
    const s = await schedule(req({}));
    expect(s.escalations.map((e) => [local(e.at), e.to, e.roles])).toEqual([
      [local('2022-11-30T23:59:59.999+07:00'), ['so-tttt'], ['coordinator']],
      [local('2022-12-07T23:59:59.999+07:00'), ['chu-tich-ubnd'], ['leadership']],
    ]);
  });

  it('recurring from completion: cycle 1 at firstDue, cycle n from the completion day + every', async () => {
    const ob = recurring();
    const first = await schedule(req({ obligation: ob }));
    expect(first.due).toBe('2023-05-29');
    expect(local(first.opensAt)).toBe(local('2022-11-28T00:00:00.000+07:00'));
    // Completed 2023-03-10 (local) → due 2023-09-10, a Sunday → Monday 11/09.
    const second = await schedule(
      req({ obligation: ob, cycle: 2, previousCompletedAt: '2023-03-09T20:00:00.000Z', now: '2023-03-09T20:00:00.000Z' }),
    );
    expect(second.due).toBe('2023-09-11');
    expect(second.opensAt).toBe('2023-03-09T20:00:00.000Z');
  });

  it('recurring in fixed windows: anchor + n × every, not drifting after a moved due', async () => {
    const ob = recurring({ periodFrom: 'window', every: 'P3M', anchor: '2022-12-31', firstDue: '2023-03-31' });
    const c2 = await schedule(req({ obligation: ob, cycle: 2, previousDue: '2023-03-31' }));
    // 2022-12-31 + P6M = 2023-06-30 (Friday).
    expect(c2.due).toBe('2023-06-30');
    expect(local(c2.opensAt)).toBe(local('2023-03-31T00:00:00.000+07:00'));
    // 2022-12-31 + P9M = 2023-09-30, a Saturday → Monday 2023-10-02 (not 30/09 + P3M next time).
    const c3 = await schedule(req({ obligation: ob, cycle: 3, previousDue: '2023-06-30' }));
    expect(c3.due).toBe('2023-10-02');
    const c4 = await schedule(req({ obligation: ob, cycle: 4, previousDue: '2023-10-02' }));
    expect(c4.due).toBe('2024-01-02'); // 31/12/2023 Sunday, 1/1 New Year
  });

  it('recurring until: the last window is flagged', async () => {
    const ob = recurring({ periodFrom: 'window', every: 'P6M', anchor: '2022-11-28', firstDue: '2023-05-29', until: '2023-12-31' });
    expect((await schedule(req({ obligation: ob, cycle: 1 }))).last).toBe(false);
    // Cycle 2 runs 28/05/2023–28/11/2023; the next would start 28/11/2023 ≤ until, so not last.
    expect((await schedule(req({ obligation: ob, cycle: 2 }))).last).toBe(false);
    // Cycle 3 ends 28/05/2024: the next would start after until.
    expect((await schedule(req({ obligation: ob, cycle: 3 }))).last).toBe(true);
  });

  it('ongoing: windows of attestEvery from the anchor', async () => {
    const ob = ongoing();
    expect((await schedule(req({ obligation: ob }))).due).toBe('2023-11-28');
    const c2 = await schedule(req({ obligation: ob, cycle: 2 }));
    expect(c2.due).toBe('2024-11-28');
    expect(local(c2.opensAt)).toBe(local('2023-11-28T00:00:00.000+07:00'));
  });

  it('event within PT4H: an instant, not the end of a day; reminders before it', async () => {
    const ev = { id: 'ev-1', type: 'attack-detected', reportedBy: 'so-y-te', occurredAt: '2022-12-03T22:30:00.000+07:00' };
    const s = await schedule(req({ obligation: event(), event: ev, now: '2022-12-03T22:35:00.000+07:00' }));
    expect(local(s.dueAt)).toBe(local('2022-12-04T02:30:00.000+07:00'));
    expect(s.due).toBe('2022-12-04'); // a Sunday: the instant is not moved
    expect(s.reminders.map((r) => [local(r.at), r.offset])).toEqual([[local('2022-12-04T01:30:00.000+07:00'), 'PT1H']]);
    expect(s.escalations.map((e) => local(e.at))).toEqual([local('2022-12-04T02:30:00.000+07:00')]);
    const late = await schedule(req({ obligation: event(), event: ev, now: '2022-12-04T02:00:00.000+07:00' }));
    expect(late.reminders).toEqual([]);
  });

  it('never reads the process clock: the same request gives the same answer', async () => {
    const r = req({ obligation: recurring(), cycle: 2, previousCompletedAt: '2031-01-15T03:00:00.000Z', now: '2031-01-15T03:00:00.000Z' });
    expect(await schedule(r)).toEqual(await schedule(r));
    expect((await schedule(r)).due).toBe('2031-07-15');
  });
});
