/**
 * Ví dụ ngôn ngữ 1.1 (directives/examples/vi-du-1-1.yaml) dùng mọi cấu trúc mới: biên dịch không lỗi,
 * không cảnh báo, và kế hoạch mang đủ từng cấu trúc; cùng tệp ghi `chithi/v1` thì mỗi cấu trúc là một
 * lỗi `needs-v1.1` ở đúng dòng của nó.
 * The language 1.1 example uses every new construct: it compiles with no diagnostic, its plan carries
 * each construct, and the same file marked `chithi/v1` gets `needs-v1.1` at each construct's line.
 */
import { readFileSync, writeFileSync, mkdtempSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/index.js';
import { ROOT } from '../../common/config.js';

const FILE = join(ROOT, 'directives', 'examples', 'vi-du-1-1.yaml');
const AS_OF = '2026-03-02';

describe('directives/examples/vi-du-1-1.yaml', () => {
  it('compiles with no error and no warning, and its plan carries every 1.1 construct', async () => {
    const r = await compileFile(FILE, { asOf: AS_OF });
    expect(r.diagnostics).toEqual([]);
    if (!r.ok) throw new Error('does not compile');
    const plan = r.plan;
    const o = (id: string) => plan.obligations.find((x) => x.id === id)! as unknown as Record<string, unknown>;
    const json = (id: string) => JSON.stringify(o(id));
    // Timing: working days, receipt, another duty's completion (once and per cycle), interpreted,
    // a due date on a day off moved back, reminders on working days.
    expect(json('contact-point')).toMatch(/P5WD/);
    expect(json('contact-point')).toMatch(/receipt/i);
    expect(json('fix-findings')).toMatch(/contact-point/);
    expect(json('remediate')).toMatch(/P10WD/);
    expect(json('review-systems')).toMatch(/khẩn trương/);
    expect(json('report-incident')).toMatch(/kịp thời/);
    expect(json('scan')).toMatch(/định kỳ/);
    expect(o('year-end-report')).toMatchObject({ dueOnDayOff: 'previous-working-day', effectiveDue: '2027-02-04' });
    expect(JSON.stringify(plan.directive.calendar)).toMatch(/previous-working-day/);
    // Recipients: a role among the assignees, the assignee's parent and head, a body reported to.
    expect(o('year-end-report').assignees).toEqual(['so-noi-vu']);
    expect(o('fix-findings')).toMatchObject({ reviewer: 'assignee.parent', cooperating: ['assignee.parent'], reportTo: ['bo-kh-cn'] });
    expect(json('fix-findings')).toMatch(/assignee\.head/);
    expect(plan.units['xa-an-binh']).toMatchObject({ parent: 'so-noi-vu' });
    // Events: one type for two duties, a broadcast raised by the coordinator, a commune's request.
    expect((o('report-incident') as { event: string }).event).toBe((o('contain-incident') as { event: string }).event);
    expect(json('respond-alert')).toMatch(/"raisedBy":\["so-khcn"\]/);
    expect(json('answer-request')).toMatch(/"raisedBy":\[("(xa-an-binh|xa-hoa-lac|phuong-dong-hai)",?){3}\]/);
    // An audience that may be empty, and is.
    expect(o('pilot').assignees).toEqual([]);
    // The registry in two files, with the new kinds.
    expect(plan.units['bo-kh-cn']).toMatchObject({ kind: 'ministry' });
    expect(plan.units['phuong-dong-hai']).toMatchObject({ kind: 'commune' });
  });

  it('marked chithi/v1, each construct is needs-v1.1 at its own line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chithi-v1-'));
    cpSync(join(ROOT, 'directives', 'examples', 'registries'), join(dir, 'registries'), { recursive: true });
    writeFileSync(join(dir, 'v1.yaml'), readFileSync(FILE, 'utf8').replace('apiVersion: chithi/v1.1', 'apiVersion: chithi/v1'));
    const r = await compileFile(join(dir, 'v1.yaml'), { asOf: AS_OF });
    expect(r.ok).toBe(false);
    const needs = r.diagnostics.filter((d) => d.code === 'needs-v1.1');
    expect(r.diagnostics.filter((d) => d.code !== 'needs-v1.1')).toEqual([]);
    const lines = new Set(needs.map((d) => d.line));
    const text = readFileSync(FILE, 'utf8').split('\n');
    const at = (fragment: string) => text.findIndex((l) => l.includes(fragment)) + 1;
    for (const construct of ['afterReceipt: P5WD', 'interpreted: P15D', 'obligation: contact-point', 'reviewer: assignee.parent', 'reportTo: [bo-kh-cn]', 'dueOnDayOff: previous-working-day', 'raisedBy: [coordinator]', 'raisedBy: [communes]', 'remindersOnDayOff']) {
      expect(lines.has(at(construct)), `${construct} (line ${at(construct)}): ${needs.map((d) => d.line).join(', ')}`).toBe(true);
    }
  });
});
