import { describe, expect, it } from 'vitest';
import { ASSIGNMENT_GATHER_MS, chooseLetter, nextLetterTime } from '../../activities/notify/letters.js';
import { loadCalendar } from '../../compiler/calendar/index.js';
import { heldNotice, renderLetter } from '../../activities/notify/letter-templates.js';
import { deadline, event, notification, units } from '../support/fixtures.js';

const vn = loadCalendar('vn');
const TZ = 'Asia/Ho_Chi_Minh';
const daily = { cadence: 'daily' as const, at: '08:00' };

describe('letter times', () => {
  it('a daily letter is at 08:00 on the next working day: not on Saturday, Sunday or a public holiday', () => {
    // Friday 17:00 → Monday 08:00.
    expect(nextLetterTime('2022-11-25T17:00:00+07:00', daily, vn, TZ)).toBe('2022-11-28T01:00:00.000Z');
    // Before 08:00 on a working day → the same morning.
    expect(nextLetterTime('2022-11-28T00:00:00+07:00', daily, vn, TZ)).toBe('2022-11-28T01:00:00.000Z');
    // National Day 2023 (Friday 01/09 and Saturday 02/09 off, Monday 04/09 off too): Tuesday 05/09.
    expect(vn.isDayOff('2023-09-01')).toBe(true);
    expect(nextLetterTime('2023-08-31T12:00:00+07:00', daily, vn, TZ)).toBe('2023-09-05T01:00:00.000Z');
  });

  it('a weekly letter is on its weekday, or the first working day after it that week', () => {
    const weekly = { cadence: 'weekly' as const, at: '07:30' };
    // Wednesday → next Monday 07:30.
    expect(nextLetterTime('2022-11-23T10:00:00+07:00', weekly, vn, TZ)).toBe('2022-11-28T00:30:00.000Z');
    // The Monday of 04/09/2023 is a holiday: Tuesday.
    expect(nextLetterTime('2023-08-29T10:00:00+07:00', weekly, vn, TZ)).toBe('2023-09-05T00:30:00.000Z');
  });
});

describe('which letter a notice goes into', () => {
  it('answers to a person and hour-scale event duties go at once', () => {
    for (const kind of ['submitted', 'accepted', 'rejected', 'extension-requested', 'extension-decided'] as const) {
      expect(chooseLetter(notification({ kind }), 'so-y-te', vn)).toEqual({ hold: false });
    }
    expect(chooseLetter(notification({ kind: 'reminder', obligation: event() }), 'so-y-te', vn)).toEqual({ hold: false });
  });

  it('a recipient who asked for immediate notices gets each at once', () => {
    const unit = { ...units.soYTe, notify: { cadence: 'immediate' as const, at: '08:00' } };
    expect(chooseLetter(notification({ kind: 'reminder', unit, contacts: { 'so-y-te': unit } }), 'so-y-te', vn)).toEqual({ hold: false });
  });

  it('tasks given by a deployment gather for a few minutes into one letter; reminders wait for the daily letter', () => {
    const opened = chooseLetter(notification({ kind: 'opened', at: '2022-11-28T09:00:10+07:00' }), 'so-y-te', vn);
    expect(opened).toEqual({ hold: true, kind: 'assignment', slot: new Date(Date.parse('2022-11-28T09:01:00+07:00') + ASSIGNMENT_GATHER_MS).toISOString() });
    // A letter still gathering is joined, not doubled.
    const joined = chooseLetter(notification({ kind: 'opened', at: '2022-11-28T09:02:00+07:00' }), 'so-y-te', vn, '2022-11-28T02:06:00.000Z');
    expect(joined).toEqual({ hold: true, kind: 'assignment', slot: '2022-11-28T02:06:00.000Z' });
    const reminder = chooseLetter(notification({ kind: 'reminder', at: '2022-11-23T00:00:00+07:00' }), 'so-y-te', vn);
    expect(reminder).toEqual({ hold: true, kind: 'digest', slot: '2022-11-23T01:00:00.000Z' });
  });
});

describe('repeated reminders of an overdue unit', () => {
  it('wait for its weekly letter, not the daily one', () => {
    // Wednesday 14/12/2022 → Monday 19/12/2022 08:00.
    const nag = chooseLetter(notification({ kind: 'reminder', at: '2022-12-14T00:00:00+07:00', detail: { overdue: 'true' } }), 'so-y-te', vn);
    expect(nag).toEqual({ hold: true, kind: 'digest', slot: '2022-12-19T01:00:00.000Z' });
  });
});

describe('the assignment letter', () => {
  it('lists every duty the directive gives: the opened tasks, then the event duties and the tasks waiting for a prerequisite', () => {
    const opened = notification({ kind: 'opened', at: '2022-11-28T09:00:00+07:00', due: '2022-11-30' });
    const held = heldNotice(opened, `${opened.key}:email:so-y-te`, units.soYTe);
    const attack = event();
    const plan = deadline({ id: 'response-plan', clause: '1.5', title: { vi: 'Xây dựng phương án ứng cứu sự cố' }, dependsOn: [opened.obligation.id], effectiveDue: '2022-12-31' });
    const { subject, text } = renderLetter([held], '2022-11-28T02:06:00.000Z', undefined, {
      duties: [attack, plan],
      clauses: { [opened.obligation.id]: opened.obligation.clause, [attack.id]: attack.clause, [plan.id]: plan.clause },
    });
    expect(subject).toBe('[Chỉ thị 3968/UBND-KGVX] Giao nhiệm vụ: 3 nhiệm vụ');
    expect(text).toContain('I. NHIỆM VỤ ĐƯỢC GIAO');
    expect(text).toContain('II. NHIỆM VỤ KHÁC THEO CHỈ THỊ');
    expect(text).toContain(`Khi xảy ra, báo cáo ngay bằng lệnh: npx chithi report-event --directive hanoi-3968-2022 --event ${attack.event} --unit so-y-te`);
    expect(text).toContain(`Bắt đầu khi hoàn thành nhiệm vụ tại Điều ${opened.obligation.clause}.`);
    expect(text).toContain('Hạn: 31/12/2022.');
    expect(text).toContain('Hạn: 30/11/2022 — còn 2 ngày.');
    expect(text.indexOf('Kính gửi')).toBeLessThan(text.indexOf('— English —'));
    expect(text).toContain('Other duties under the directive'.toUpperCase());
  });

  it("links each of the unit's tasks to its portal page, under its submit command", () => {
    const opened = notification({ kind: 'opened', at: '2022-11-28T09:00:00+07:00', due: '2022-11-30' });
    const held = heldNotice(opened, `${opened.key}:email:so-y-te`, units.soYTe, 'http://127.0.0.1:3000');
    const { text } = renderLetter([held], '2022-11-28T02:06:00.000Z');
    const link = `http://127.0.0.1:3000/nhiem-vu/hanoi-3968-2022/${opened.obligation.id}/so-y-te`;
    expect(text).toContain(`    Nộp minh chứng: npx chithi submit --directive hanoi-3968-2022 --obligation ${opened.obligation.id} --unit so-y-te`);
    expect(text).toContain(`    Trang nhiệm vụ: ${link}\n`);
    expect(text).toContain(`    Task page: ${link}\n`);
    expect(text.indexOf('Trang nhiệm vụ:')).toBeGreaterThan(text.indexOf('Nộp minh chứng:'));
  });
});
