// Cảnh báo khi --as-of cách ngày ban hành hơn một năm (issue 11).
// A warning when --as-of is more than a year from the issue date (issue 11).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFile } from '../../compiler/index.js';
import { CALENDARS, compileText, lines, scratch, validText } from './helpers.js';

describe('a warning when --as-of is far from the issue date', () => {
  /** The valid fixture (issued 2024-04-22) compiled as `chithi … --as-of <date>` does. */
  async function given(asOf: string) {
    const dir = scratch();
    const file = join(dir, 'directive.yaml');
    writeFileSync(file, validText());
    return compileFile(file, { asOf, asOfGiven: true, calendarDir: CALENDARS, cwd: dir });
  }

  it('more than a year before: the directive did not exist, check the year', async () => {
    const r = await given('2014-04-22');
    expect(r.ok).toBe(true);
    expect(lines(r.diagnostics.filter((d) => d.code === 'as-of-far'), 'vi')).toEqual([
      'directive.yaml:9:11: cảnh báo[as-of-far]: --as-of 2014-04-22 sớm hơn ngày ban hành 2024-04-22 tới 10 năm\n' +
        '  → chỉ thị chưa ra đời vào ngày đó: đơn vị được tính theo danh mục trước khi văn bản được ký; kiểm tra lại năm của --as-of',
    ]);
  });

  it('more than a year after: says what the plan then means', async () => {
    const r = await given('2025-10-30');
    expect(lines(r.diagnostics.filter((d) => d.code === 'as-of-far'), 'en')).toEqual([
      'directive.yaml:9:11: warning[as-of-far]: --as-of 2025-10-30 is 1 year 6 months after the issue date 2024-04-22\n' +
        '  → units are taken as of that date (mergers and dissolutions since the issue applied); if that is not meant, check the year of --as-of',
    ]);
  });

  it('within a year either side, or today by default, or a date not typed by a person: no warning', async () => {
    for (const asOf of ['2023-04-22', '2024-04-22', '2025-04-22']) expect((await given(asOf)).diagnostics.filter((d) => d.code === 'as-of-far')).toEqual([]);
    // compileText passes asOf as tests and `npm start` do (today's date), without asOfGiven.
    expect((await compileText(validText(), '2034-01-01')).diagnostics.filter((d) => d.code === 'as-of-far')).toEqual([]);
  });
});
