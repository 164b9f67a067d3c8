import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { compileFile, formatDiagnostic } from '../../compiler/index.js';
import { CALENDARS, FIXTURES } from './helpers.js';

describe('broken fixture: every error in one run, at exact positions', () => {
  it('reports schema and semantic errors together (en)', async () => {
    const r = await compileFile(join(FIXTURES, 'broken.yaml'), { asOf: '2024-06-01', calendarDir: CALENDARS, cwd: FIXTURES });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => formatDiagnostic(d, 'en'))).toEqual(GOLDEN_EN);
  });

  it('speaks Vietnamese by default', async () => {
    const r = await compileFile(join(FIXTURES, 'broken.yaml'), { asOf: '2024-06-01', calendarDir: CALENDARS, cwd: FIXTURES });
    const vi = r.diagnostics.map((d) => formatDiagnostic(d, 'vi'));
    expect(vi).toContain(
      'broken.yaml:34:10: lỗi[impossible-date]: ngày `2024-02-30` không tồn tại: tháng 2/2024 có 29 ngày\n  → nếu văn bản gốc ghi ngày không có thật, hãy ghi ngày sẽ áp dụng (vd. ngày cuối tháng) và nêu lý do trong `note`',
    );
    expect(vi.every((l) => /^broken\.yaml:\d+:\d+: lỗi\[[a-z-]+\]: /.test(l))).toBe(true);
  });
});

const GOLDEN_EN = [
  "broken.yaml:14:16: error[unknown-unit]: unit `so-aa` is not in the registry registries/test-province.yaml — did you mean `so-a`?\n  → fix the unit id or add the unit to the registry",
  "broken.yaml:18:5: error[missing-property]: a deadline obligation needs `due`\n  → add `due: …`",
  "broken.yaml:21:17: error[unknown-audience]: `departmets` is neither an audience nor a unit id — did you mean `departments`?\n  → declare it under `audiences:` or use a unit id from the registry",
  "broken.yaml:23:5: error[unknown-property]: unknown property `dua` — did you mean `due`?\n  → allowed here: id, clause, title, assignees, cooperating, kind, due, dueOnDayOff, every, anchor, periodFrom, event, within, attestEvery, reminders, escalation, reviewer, reportTo, evidence, dependsOn, note",
  "broken.yaml:25:13: error[wrong-type]: `clause` must be a string\n  → YAML reads 1.5 as a number: quote it, e.g. \"1.5\"",
  "broken.yaml:28:11: error[invalid-value]: `kind` must be one of deadline, recurring, event, ongoing — did you mean `deadline`?\n  → got: \"dealine\"",
  "broken.yaml:34:10: error[impossible-date]: date `2024-02-30` does not exist: February 2024 has 29 days\n  → if the source text prints an impossible date, write the date you will enforce (e.g. the last day of the month) and explain it in a `note`",
  "broken.yaml:35:15: error[unknown-role]: `coordinater` is neither a role nor a unit id — did you mean `coordinator`?\n  → declared roles: coordinator",
  "broken.yaml:41:12: error[non-positive-duration]: `every` is zero (P0D)\n  → a period or duration must be greater than zero",
  "broken.yaml:42:16: error[dependency-cycle]: dependency cycle: fourth → fifth → fourth\n  → remove one `dependsOn` entry to break the cycle",
  "broken.yaml:48:10: error[due-before-issued]: due date 2024-01-10 is before the issue date 2024-04-22\n  → check the year and month of the due date",
  "broken.yaml:49:17: error[reminder-after-due]: reminder -P1D falls after the due date\n  → reminders count back from the due date: use a positive offset like P7D; after due is `escalation`",
];
