// Khoảng thời gian bằng chữ, và "(văn bản: …)" chỉ khi văn bản cho ngày đó.
// Durations in words, and "(text: …)" only where the text gave the date (issue 11).
import { describe, expect, it } from 'vitest';
import { afterDueWords, beforeWords, durationWords, everyWords } from '../../common/durations.js';
import { timingText } from '../../client/commands/compile.js';
import { compileText, mutate, validText } from './helpers.js';

describe('durations in words, one formatter for the CLI and the notices', () => {
  it('reads ISO durations in both languages', () => {
    expect(durationWords('P6M')).toEqual({ vi: '6 tháng', en: '6 months' });
    expect(durationWords('PT72H')).toEqual({ vi: '72 giờ', en: '72 hours' });
    expect(durationWords('P1Y6M')).toEqual({ vi: '1 năm 6 tháng', en: '1 year 6 months' });
    expect(durationWords('P1D')).toEqual({ vi: '1 ngày', en: '1 day' });
    expect(durationWords('P2W')).toEqual({ vi: '2 tuần', en: '2 weeks' });
    expect(durationWords('PT30M')).toEqual({ vi: '30 phút', en: '30 minutes' });
    expect(durationWords('P0D')).toEqual({ vi: '0 ngày', en: '0 days' });
  });

  it('is ready for working days, in either shape the language may choose', () => {
    expect(durationWords('P5WD')).toEqual({ vi: '5 ngày làm việc', en: '5 working days' });
    expect(durationWords({ workingDays: 5 })).toEqual({ vi: '5 ngày làm việc', en: '5 working days' });
    expect(durationWords({ workingDays: 1 })).toEqual({ vi: '1 ngày làm việc', en: '1 working day' });
    expect(everyWords('P10WD')).toEqual({ vi: 'mỗi 10 ngày làm việc', en: 'every 10 working days' });
  });

  it('periods, reminders and escalation steps as sentences say them', () => {
    expect(everyWords('P6M')).toEqual({ vi: 'mỗi 6 tháng', en: 'every 6 months' });
    expect(everyWords('P1Y')).toEqual({ vi: 'mỗi năm', en: 'every year' });
    expect(everyWords('P1Y6M')).toEqual({ vi: 'mỗi 1 năm 6 tháng', en: 'every 1 year 6 months' });
    expect(beforeWords('P7D')).toEqual({ vi: 'trước 7 ngày', en: '7 days before' });
    expect(afterDueWords('P0D')).toEqual({ vi: 'khi đến hạn', en: 'at the due date' });
    expect(afterDueWords('P14D')).toEqual({ vi: '14 ngày sau hạn', en: '14 days after the due date' });
  });

  it('something it cannot read is shown as written, never dropped', () => {
    expect(durationWords('soon')).toEqual({ vi: 'soon', en: 'soon' });
    expect(durationWords('PT')).toEqual({ vi: 'PT', en: 'PT' });
  });
});

describe('"(text: …)" only where the text gave the date', () => {
  it('a due date written as a date, moved off a Saturday: the text’s date is shown', async () => {
    const r = await compileText(validText());
    expect(r.ok).toBe(true);
    const o = r.ok ? r.plan.obligations.find((x) => x.id === 'contact-point')! : undefined;
    expect(o && 'dueAfter' in o).toBe(false);
    expect(timingText(o!, 'vi')).toBe('hạn 2024-04-29 (văn bản: 2024-04-27)');
    expect(timingText(o!, 'en')).toBe('due 2024-04-29 (text: 2024-04-27)');
  });

  it('a due date counted from the issue date: the period is shown, never as the text’s date', async () => {
    // P5D from Monday 2024-04-22 is Saturday 2024-04-27, moved to Monday: the date moved, but the text never printed it.
    const r = await compileText(mutate('due: { after: P9D }', 'due: { after: P5D }'));
    const o = r.ok ? r.plan.obligations.find((x) => x.id === 'by-offset')! : undefined;
    expect(o).toMatchObject({ kind: 'deadline', due: '2024-04-27', effectiveDue: '2024-04-29', dueAfter: 'P5D' });
    expect(timingText(o!, 'vi')).toBe('hạn 2024-04-29 (5 ngày kể từ ngày ban hành)');
    expect(timingText(o!, 'en')).toBe('due 2024-04-29 (5 days from the issue date)');
  });

  it('durations in the summary are words', async () => {
    const r = await compileText(validText());
    if (!r.ok) throw new Error('expected a plan');
    const byId = Object.fromEntries(r.plan.obligations.map((o) => [o.id, o]));
    expect(timingText(byId.scan!, 'vi')).toBe('mỗi 6 tháng, lần đầu 2024-10-22');
    expect(timingText(byId['report-attack']!, 'en')).toBe('within 4 hours after attack-detected');
    expect(timingText(byId.awareness!, 'en')).toBe('attest every 6 months, first due 2024-10-22');
  });
});

describe('notices say periods with the same formatter', () => {
  it('an assignment letter: "mỗi năm" in Vietnamese, "once every year" (not "every 1 year") in English', async () => {
    const { heldNotice, renderLetter } = await import('../../activities/notify/letter-templates.js');
    const { notification, ongoing, recurring, units } = await import('../support/fixtures.js');
    const opened = notification({ kind: 'opened', at: '2022-11-28T09:00:00+07:00', due: '2022-11-30' });
    const held = heldNotice(opened, `${opened.key}:email:so-y-te`, units.soYTe);
    const drill = recurring({ id: 'live-drill', clause: '1.6', every: 'P1Y', periodFrom: 'window', dependsOn: [opened.obligation.id] });
    const attest = ongoing({ id: 'attest', clause: '1.7', attestEvery: 'P6M', dependsOn: [opened.obligation.id] });
    const { text } = renderLetter([held], '2022-11-28T02:06:00.000Z', undefined, {
      duties: [drill, attest],
      clauses: { [opened.obligation.id]: opened.obligation.clause, [drill.id]: drill.clause, [attest.id]: attest.clause },
    });
    expect(text).toContain('Thực hiện định kỳ 1 năm một lần.');
    expect(text).toContain('Once every year.');
    expect(text).toContain('A standing duty; confirm it once every 6 months.');
    expect(text).not.toMatch(/\bP\d+[YMWD]\b|\bPT\d/);
  });
});
