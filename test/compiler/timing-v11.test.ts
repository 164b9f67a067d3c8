/**
 * Thời hạn của ngôn ngữ 1.1: ngày làm việc, `dueOnDayOff` của từng nhiệm vụ, nhắc việc dời khỏi
 * ngày nghỉ, thời hạn do cơ quan soạn xác định, hạn tính từ lúc nhận văn bản hoặc lúc hoàn thành
 * nhiệm vụ khác: kế hoạch sinh ra, lỗi (mã, dòng, cột), và tệp v1 không đổi.
 * Language 1.1 timing: working days, an obligation's own `dueOnDayOff`, reminders moved off days
 * off, timing the encoder chose, due dates counted from the receipt or another obligation's
 * completion: the plan each gives, the errors (code, line, column), and v1 files unchanged.
 * The fixture calendar (fixtures/calendars/test.yaml) has weekends and 1 May off; issued Monday 2024-04-22.
 */
import { describe, expect, it } from 'vitest';
import { timingText } from '../../client/commands/compile.js';
import { unitPlan } from '../../client/commands/plan.js';
import { loadCalendar } from '../../compiler/calendar/index.js';
import type { DeadlineObligation, PlanObligation } from '../../compiler/plan.js';
import { CALENDARS, codes, compileText, lines, mutate, validText } from './helpers.js';

const v11 = (text: string): string => mutate('apiVersion: chithi/v1', 'apiVersion: chithi/v1.1', text);

/** The valid fixture (as 1.1 unless `v1`) with one more obligation, written from its `kind:` line down. */
function withObligation(body: string, opts: { v1?: boolean; id?: string; assignees?: string } = {}): string {
  const text = `${validText()}
  - id: ${opts.id ?? 'extra'}
    clause: "9"
    title: { vi: Nhiệm vụ thêm }
    assignees: [${opts.assignees ?? 'departments'}]
${body
  .trim()
  .split('\n')
  .map((l) => `    ${l.trim()}`)
  .join('\n')}
`;
  return opts.v1 ? text : v11(text);
}

/** The line of the appended obligation's body line `n` (0: its `kind:` line). */
const FIXTURE_LINES = validText().split('\n').length;
const at = (n: number): number => FIXTURE_LINES + 5 + n;

async function planOf(text: string): Promise<Map<string, PlanObligation>> {
  const r = await compileText(text);
  if (!r.ok) throw new Error(lines(r.diagnostics).join('\n'));
  return new Map(r.plan.obligations.map((o) => [o.id, o]));
}

async function errors(text: string): Promise<string[]> {
  const r = await compileText(text);
  expect(r.ok).toBe(false);
  return lines(r.diagnostics.filter((d) => d.severity === 'error')).map((l) => l.split('\n')[0]!);
}

describe('working days: P5WD', () => {
  it('a due date counted in working days from the issue date lands on a working day; the plan keeps the period', async () => {
    const o = (await planOf(withObligation('kind: deadline\ndue: { after: P5WD }'))).get('extra') as DeadlineObligation;
    // Mon 22/04 + 5 working days: 23, 24, 25, 26, then Monday 29/04.
    expect(o).toMatchObject({ due: '2024-04-29', effectiveDue: '2024-04-29', dueAfter: 'P5WD' });
    expect(timingText(o, 'vi')).toBe('hạn 2024-04-29 (5 ngày làm việc kể từ ngày ban hành)');
    expect(timingText(o, 'en')).toBe('due 2024-04-29 (5 working days from the issue date)');
  });

  it('skips the 1 May holiday', async () => {
    const o = (await planOf(withObligation('kind: deadline\ndue: { after: P7WD }'))).get('extra') as DeadlineObligation;
    // 23, 24, 25, 26, 29, 30/04, (1/05 off), 2/05.
    expect(o.due).toBe('2024-05-02');
  });

  it('reminders, escalation steps and event windows in working days, ordered on the calendar', async () => {
    const plan = await planOf(withObligation('kind: event\nevent: { type: request, title: { vi: Có yêu cầu } }\nwithin: P10WD\nreminders: [P1D, P3WD]\nescalation: [{ after: P0D, to: [coordinator] }, { after: P2WD, to: [leadership] }]'));
    const o = plan.get('extra')!;
    expect(o).toMatchObject({ kind: 'event', within: 'P10WD', reminders: ['P3WD', 'P1D'] });
    expect(o.escalation.map((s) => s.after)).toEqual(['P0D', 'P2WD']);
    expect(timingText(o, 'vi')).toBe('trong 10 ngày làm việc sau request');
  });

  it('in a v1 file: needs-v1.1 at each value', async () => {
    expect(await errors(withObligation('kind: deadline\ndue: { after: P5WD }\nreminders: [P2WD]', { v1: true }))).toEqual([
      `directive.yaml:${at(1)}:19: error[needs-v1.1]: A duration in working days (\`P…WD\`) is a language 1.1 construct, but the file says \`apiVersion: chithi/v1\``,
      `directive.yaml:${at(2)}:17: error[needs-v1.1]: A duration in working days (\`P…WD\`) is a language 1.1 construct, but the file says \`apiVersion: chithi/v1\``,
    ]);
  });

  it('not for a period: `every: P5WD` says why', async () => {
    const r = await compileText(withObligation('kind: recurring\nevery: P5WD'));
    expect(lines(r.diagnostics)).toEqual([
      `directive.yaml:${at(1)}:12: error[invalid-format]: \`every\`: a period is not counted in working days (\`P5WD\`)\n  → working days are for due dates, event windows, reminders and escalation steps; a period is P7D, P1M, P6M, P1Y`,
    ]);
  });

  it('zero working days is refused like any zero period; a typo is not a duration', async () => {
    expect(await errors(withObligation('kind: deadline\ndue: { after: P0WD }'))).toEqual([`directive.yaml:${at(1)}:19: error[non-positive-duration]: \`after\` is zero (P0WD)`]);
    expect(await errors(withObligation('kind: event\nevent: { type: x, title: { vi: X } }\nwithin: P5DW'))).toEqual([
      `directive.yaml:${at(2)}:13: error[invalid-format]: \`within\`: \`P5DW\` is not an ISO-8601 duration or a number of working days`,
    ]);
  });
});

describe("an obligation's own dueOnDayOff", () => {
  it('previous-working-day brings a Saturday due date to Friday, over the directive’s next-working-day', async () => {
    const o = (await planOf(withObligation('kind: deadline\ndue: 2024-04-27\ndueOnDayOff: previous-working-day'))).get('extra') as DeadlineObligation;
    expect(o).toMatchObject({ due: '2024-04-27', effectiveDue: '2024-04-26', dueOnDayOff: 'previous-working-day' });
    expect(timingText(o, 'en')).toBe('due 2024-04-26 (text: 2024-04-27)');
  });

  it('keep leaves it on the Saturday; a recurring duty’s first due date follows its own rule too', async () => {
    const kept = (await planOf(withObligation('kind: deadline\ndue: 2024-04-27\ndueOnDayOff: keep'))).get('extra') as DeadlineObligation;
    expect(kept.effectiveDue).toBe('2024-04-27');
    // 22/04 + P5D = Saturday 27/04.
    const rec = (await planOf(withObligation('kind: recurring\nevery: P5D\nreminders: [P1D]\ndueOnDayOff: previous-working-day'))).get('extra');
    expect(rec).toMatchObject({ firstDue: '2024-04-26' });
  });

  it('not on an event obligation; a 1.1 construct in a v1 file, at the directive level too', async () => {
    expect(await errors(withObligation('kind: event\nevent: { type: x, title: { vi: X } }\nwithin: PT4H\nreminders: []\ndueOnDayOff: keep'))).toEqual([
      `directive.yaml:${at(4)}:18: error[property-not-allowed]: \`dueOnDayOff\` does not apply to an event obligation`,
    ]);
    const v1 = mutate('calendar: { id: test, dueOnDayOff: next-working-day }', 'calendar: { id: test, dueOnDayOff: previous-working-day }', withObligation('kind: deadline\ndue: 2024-04-27\ndueOnDayOff: keep', { v1: true }));
    expect(await errors(v1)).toEqual([
      'directive.yaml:13:38: error[needs-v1.1]: `dueOnDayOff: previous-working-day` is a language 1.1 construct, but the file says `apiVersion: chithi/v1`',
      `directive.yaml:${at(2)}:18: error[needs-v1.1]: An obligation's own \`dueOnDayOff\` is a language 1.1 construct, but the file says \`apiVersion: chithi/v1\``,
    ]);
  });
});

describe('reminders on days off', () => {
  it('a 1.1 plan says reminders move to the working day before; `keep` keeps them; a v1 plan says nothing', async () => {
    const r11 = await compileText(v11(validText()));
    const kept = await compileText(v11(mutate('calendar: { id: test, dueOnDayOff: next-working-day }', 'calendar: { id: test, dueOnDayOff: next-working-day, remindersOnDayOff: keep }')));
    const v1 = await compileText(validText());
    if (!r11.ok || !kept.ok || !v1.ok) throw new Error('expected plans');
    expect(r11.plan.directive.calendar).toEqual({ id: 'test', dueOnDayOff: 'next-working-day', remindersOnDayOff: 'previous-working-day' });
    expect(kept.plan.directive.calendar).toEqual({ id: 'test', dueOnDayOff: 'next-working-day', remindersOnDayOff: 'keep' });
    expect(v1.plan.directive.calendar).toEqual({ id: 'test', dueOnDayOff: 'next-working-day' });
  });

  it('`remindersOnDayOff` in a v1 file needs v1.1', async () => {
    const text = mutate('calendar: { id: test, dueOnDayOff: next-working-day }', 'calendar: { id: test, dueOnDayOff: next-working-day, remindersOnDayOff: keep }');
    expect(codes((await compileText(text)).diagnostics)).toEqual(['needs-v1.1']);
  });
});

describe('timing the encoder chose: interpreted', () => {
  it('a deadline "khẩn trương": the plan records the period and the text’s words; the summary says who chose it', async () => {
    const o = (await planOf(withObligation('kind: deadline\ndue: { interpreted: P15D, text: "khẩn trương" }'))).get('extra') as DeadlineObligation;
    expect(o).toMatchObject({ due: '2024-05-07', effectiveDue: '2024-05-07', dueAfter: 'P15D', interpreted: { text: 'khẩn trương' } });
    expect(timingText(o, 'vi')).toBe('hạn 2024-05-07 (do cơ quan soạn xác định, 15 ngày kể từ ngày ban hành; văn bản: “khẩn trương”)');
    expect(timingText(o, 'en')).toBe('due 2024-05-07 (set by the drafting office, 15 days from the issue date; the text says “khẩn trương”)');
  });

  it('a chosen date is never shown as the text’s, even when the calendar moves it', async () => {
    const o = (await planOf(withObligation('kind: deadline\ndue: { interpreted: 2024-04-27, text: "trong tháng 4" }'))).get('extra') as DeadlineObligation;
    expect(o).toMatchObject({ due: '2024-04-27', effectiveDue: '2024-04-29', interpreted: { text: 'trong tháng 4' } });
    expect('dueAfter' in o).toBe(false);
    expect(timingText(o, 'vi')).toBe('hạn 2024-04-29 (do cơ quan soạn xác định; văn bản: “trong tháng 4”)');
  });

  it('an event window and a period the text left open', async () => {
    const ev = (await planOf(withObligation('kind: event\nevent: { type: x, title: { vi: X } }\nwithin: { interpreted: P3D, text: "kịp thời" }\nreminders: [P1D]'))).get('extra')!;
    expect(ev).toMatchObject({ within: 'P3D', interpreted: { text: 'kịp thời' } });
    expect(timingText(ev, 'en')).toBe('within 3 days after x (set by the drafting office; the text says “kịp thời”)');
    const rec = (await planOf(withObligation('kind: recurring\nevery: { interpreted: P3M, text: "định kỳ" }'))).get('extra')!;
    expect(rec).toMatchObject({ every: 'P3M', firstDue: '2024-07-22', interpreted: { text: 'định kỳ' } });
    expect(timingText(rec, 'vi')).toBe('mỗi 3 tháng (do cơ quan soạn xác định; văn bản: “định kỳ”), lần đầu 2024-07-22');
  });

  it('needs the text’s words, and words only with it; needs v1.1', async () => {
    expect(await errors(withObligation('kind: deadline\ndue: { interpreted: P15D }'))).toEqual([
      `directive.yaml:${at(1)}:25: error[timing-shape]: \`interpreted\` needs \`text\`: the text's own words where it sets no date`,
    ]);
    expect(await errors(withObligation('kind: deadline\ndue: { after: P15D, text: "khẩn trương" }'))).toEqual([`directive.yaml:${at(1)}:31: error[timing-shape]: \`text\` goes only with \`interpreted\``]);
    expect(await errors(withObligation('kind: event\nevent: { type: x, title: { vi: X } }\nwithin: { interpreted: P3D }'))).toEqual([`directive.yaml:${at(2)}:13: error[missing-property]: missing required property \`text\``]);
    expect(codes((await compileText(withObligation('kind: deadline\ndue: { interpreted: P15D, text: "khẩn trương" }', { v1: true }))).diagnostics)).toEqual(['needs-v1.1']);
  });

  it('a chosen date before the issue date, or impossible, is refused as a written one is', async () => {
    expect(await errors(withObligation('kind: deadline\ndue: { interpreted: 2024-02-30, text: "sớm" }'))).toEqual([`directive.yaml:${at(1)}:25: error[impossible-date]: date \`2024-02-30\` does not exist: February 2024 has 29 days`]);
    expect(await errors(withObligation('kind: deadline\ndue: { interpreted: 2024-01-02, text: "sớm" }'))).toEqual([`directive.yaml:${at(1)}:25: error[due-before-issued]: due date 2024-01-02 is before the issue date 2024-04-22`]);
  });
});

describe('due dates counted from the receipt or from another obligation’s completion', () => {
  it('from the receipt: the plan says so, the summary shows the period and no date', async () => {
    const o = (await planOf(withObligation('kind: deadline\ndue: { afterReceipt: P10WD }'))).get('extra') as DeadlineObligation;
    // The expectation: as if received on the issue date (10 working days, 1 May off).
    expect(o).toMatchObject({ due: '2024-05-07', effectiveDue: '2024-05-07', relativeDue: { from: 'receipt', plus: 'P10WD' } });
    expect(timingText(o, 'vi')).toBe('hạn 10 ngày làm việc kể từ ngày đơn vị nhận văn bản');
    expect(timingText(o, 'en')).toBe("due 10 working days from the unit's receipt of the document");
  });

  it("from a completion: the prerequisite joins dependsOn, the expectation counts from its due date", async () => {
    const plan = await planOf(withObligation('kind: deadline\ndue: { after: { obligation: contact-point, plus: P30D } }'));
    const o = plan.get('extra') as DeadlineObligation;
    // contact-point is due Saturday 27/04, moved to Monday 29/04; + 30 days = Wednesday 29/05.
    expect(o).toMatchObject({ dependsOn: ['contact-point'], due: '2024-05-29', effectiveDue: '2024-05-29', relativeDue: { from: 'completion', obligation: 'contact-point', clause: '1.4', plus: 'P30D' } });
    const clauseOf = (id: string) => plan.get(id)?.clause;
    expect(timingText(o, 'vi', clauseOf)).toBe('hạn 30 ngày sau khi hoàn thành nhiệm vụ tại Điều 1.4');
    expect(timingText(o, 'en', clauseOf)).toBe('due 30 days after the task of clause 1.4 is completed');
  });

  it('per cycle for a recurring duty: each cycle counts from a completion of a recurring one', async () => {
    const plan = await planOf(withObligation('kind: recurring\nevery: P6M\ndue: { after: { obligation: scan, plus: P5WD } }', { assignees: 'level3' }));
    const o = plan.get('extra')!;
    // scan (every P6M from its completion) is first due 22/10/2024; + 5 working days = 29/10.
    expect(o).toMatchObject({ kind: 'recurring', periodFrom: 'completion', firstDue: '2024-10-29', dependsOn: ['scan'], relativeDue: { from: 'completion', obligation: 'scan', plus: 'P5WD' } });
    expect(timingText(o, 'en')).toBe('each period, 5 working days after each completion of the task of clause 1.b');
  });

  it('the obligation named must exist, be another, not close a cycle, not be an event', async () => {
    expect(await errors(withObligation('kind: deadline\ndue: { after: { obligation: contact-pont, plus: P30D } }'))).toEqual([
      `directive.yaml:${at(1)}:33: error[unknown-obligation]: no obligation with id \`contact-pont\` — did you mean \`contact-point\`?`,
    ]);
    expect(await errors(withObligation('kind: deadline\ndue: { after: { obligation: extra, plus: P30D } }'))).toEqual([`directive.yaml:${at(1)}:33: error[dependency-cycle]: \`extra\`'s due date counts from its own completion`]);
    expect(await errors(withObligation('kind: deadline\ndue: { after: { obligation: report-attack, plus: P30D } }', { assignees: '{ units: [so-b] }' }))).toEqual([
      `directive.yaml:${at(1)}:33: error[relative-due-prerequisite]: \`report-attack\` is an event obligation: each event is its own instance, with no one completion to count from`,
    ]);
    // contact-point waits for extra (dependsOn), whose due date waits for contact-point.
    const cyclic = mutate('    note: A Saturday, moved to Monday.', '    note: A Saturday, moved to Monday.\n    dependsOn: [extra]', withObligation('kind: deadline\ndue: { after: { obligation: contact-point, plus: P30D } }'));
    expect(await errors(cyclic)).toEqual([
      `directive.yaml:${at(2)}:33: error[dependency-cycle]: dependency cycle through a due date counted from a completion: \`contact-point\` → \`extra\` → \`contact-point\``,
    ]);
  });

  it('a recurring duty cannot count its cycles from a one-off deadline, nor take the other forms, windows or an anchor', async () => {
    expect(await errors(withObligation('kind: recurring\nevery: P6M\ndue: { after: { obligation: contact-point, plus: P5D } }'))).toEqual([
      `directive.yaml:${at(2)}:33: error[relative-due-prerequisite]: \`contact-point\` is completed once: the later cycles of \`extra\` would never start`,
    ]);
    expect(await errors(withObligation('kind: recurring\nevery: P6M\ndue: { afterReceipt: P5D }'))).toEqual([
      `directive.yaml:${at(2)}:26: error[timing-shape]: a recurring obligation's cycles can only count from another obligation's completion: \`due: { after: { obligation, plus } }\``,
    ]);
    expect(await errors(withObligation('kind: recurring\nevery: P6M\nperiodFrom: window\nanchor: 2024-05-01\ndue: { after: { obligation: scan, plus: P5D } }', { assignees: 'level3' }))).toEqual([
      `directive.yaml:${at(2)}:17: error[timing-shape]: cycles counted from another obligation's completions are not fixed windows`,
      `directive.yaml:${at(3)}:13: error[timing-shape]: cycles counted from another obligation's completions have no \`anchor\``,
    ]);
  });

  it("every assignee must do the prerequisite too, or its clock would never start", async () => {
    // scan goes to level3 and telecoms: of the departments, only so-a.
    const r = await compileText(withObligation('kind: deadline\ndue: { after: { obligation: scan, plus: P30D } }', { assignees: 'departments' }));
    expect(lines(r.diagnostics).map((l) => l.split('\n')[0])).toEqual([
      `directive.yaml:${at(1)}:33: error[relative-due-unrelated]: \`extra\` is due after each unit completes \`scan\`, but \`so-b\`, \`so-c\` are not assigned \`scan\`: their clock would never start`,
    ]);
  });

  it('one form of `due` at a time; none is not a due date; v1 files need v1.1', async () => {
    expect(await errors(withObligation('kind: deadline\ndue: { after: P5D, afterReceipt: P5D }'))).toEqual([`directive.yaml:${at(1)}:38: error[timing-shape]: \`due\` has both \`after\` and \`afterReceipt\``]);
    expect(await errors(withObligation('kind: deadline\ndue: { text: "khẩn trương" }'))).toEqual([`directive.yaml:${at(1)}:10: error[timing-shape]: \`due\` needs one of after, afterReceipt, interpreted`]);
    expect(codes((await compileText(withObligation('kind: deadline\ndue: { afterReceipt: P5D }', { v1: true }))).diagnostics)).toEqual(['needs-v1.1']);
    expect(codes((await compileText(withObligation('kind: deadline\ndue: { after: { obligation: contact-point, plus: P5D } }', { v1: true }))).diagnostics)).toEqual(['needs-v1.1']);
  });
});

describe('v1 files are unchanged', () => {
  it('the valid fixture’s plan has none of the 1.1 fields, and `due: { after: P9D }` still counts calendar days', async () => {
    const r = await compileText(validText());
    if (!r.ok) throw new Error('expected a plan');
    const json = JSON.stringify(r.plan);
    for (const key of ['interpreted', 'relativeDue', 'remindersOnDayOff', 'dueOnDayOff"']) expect(json.includes(key), key).toBe(key === 'dueOnDayOff"');
    expect(r.plan.obligations.every((o) => !('dueOnDayOff' in o))).toBe(true);
    expect(r.plan.obligations.find((o) => o.id === 'by-offset')).toMatchObject({ due: '2024-05-01', effectiveDue: '2024-05-02', dueAfter: 'P9D' });
  });
});

describe('chithi plan: a unit’s dates as the scheduler will send them', () => {
  it('working-day reminders and steps on the calendar; a reminder on a Sunday shown on the Friday (1.1); none for a relative due date', async () => {
    const text = withObligation('kind: deadline\ndue: 2024-05-07\nreminders: [P2D, P2WD]\nescalation: [{ after: P3WD, to: [coordinator] }]', { assignees: '{ units: [so-b] }' }).replace(
      '  - id: extra',
      `  - id: receipt
    clause: "8"
    title: { vi: Từ ngày nhận }
    assignees: [{ units: [so-b] }]
    kind: deadline
    due: { afterReceipt: P5WD }
  - id: extra`,
    );
    const r = await compileText(text);
    if (!r.ok) throw new Error(lines(r.diagnostics).join('\n'));
    const up = unitPlan(r.plan, 'so-b', 'so-b', loadCalendar('test', CALENDARS));
    const extra = up.duties.find((d) => d.id === 'extra')!;
    // Due Tuesday 07/05: P2D is Sunday 05/05 → Friday 03/05; two working days before is Friday 03/05 too
    // (Monday 06/05, then Friday: 1 May is off but not in between). Three working days after: Friday 10/05.
    expect(extra.reminders).toEqual([
      { offset: 'P2D', date: '2024-05-03' },
      { offset: 'P2WD', date: '2024-05-03' },
    ]);
    expect(extra.escalation).toEqual([{ after: 'P3WD', date: '2024-05-10', to: ['so-a'] }]);
    const receipt = up.duties.find((d) => d.id === 'receipt')!;
    expect(receipt).toMatchObject({ reminders: [], escalation: [] });
    expect(receipt.firstDue).toBeUndefined();
  });
});
