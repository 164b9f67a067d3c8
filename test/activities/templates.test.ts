import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../activities/notify/templates.js';
import type { NotificationKind } from '../../workflows/types.js';
import { event, notification } from '../support/fixtures.js';

const KINDS: NotificationKind[] = [
  'opened', 'reminder', 'overdue', 'escalation', 'submitted', 'accepted', 'rejected',
  'extension-requested', 'extension-decided', 'amended', 'withdrawn',
];

describe('notice templates', () => {
  it.each(KINDS)('%s: Vietnamese first, English below, directive, clause, unit and due date named', (kind) => {
    const { subject, text } = renderNotice(notification({ kind, detail: { comment: 'Ý kiến thử', until: '2022-12-15', approved: 'true' } }), 'so-y-te');
    expect(subject).toMatch(/^\[Chỉ thị 3968\/UBND-KGVX\] .+: Gửi thông tin đầu mối ứng cứu sự cố về Sở TTTT — hạn 30\/11\/2022$/);
    expect(text).toContain('Chỉ thị: 3968/UBND-KGVX — Triển khai Chỉ thị 18/CT-TTg');
    expect(text).toContain('Điều khoản: 1.4');
    expect(text).toContain('Đơn vị thực hiện: Sở Y tế');
    expect(text).toContain('Hạn: 30/11/2022');
    expect(text).toContain('Due: 30/11/2022');
    expect(text).toContain('Gia hạn đến: 15/12/2022');
    expect(text.indexOf('Kính gửi')).toBeLessThan(text.indexOf('To: '));
    expect(text).not.toMatch(/undefined|\[object/);
  });

  it('asks for evidence and shows the submit command only when the unit has something to do', () => {
    const reminder = renderNotice(notification({ kind: 'reminder' }), 'so-y-te').text;
    expect(reminder).toContain('Minh chứng cần nộp:');
    // Chỗ điền nằm trong nháy đơn: không nháy thì sh đọc < và | thành chuyển hướng và ống.
    // Blanks are single-quoted: unquoted, sh would read < and | as a redirection and a pipe.
    expect(reminder).toContain("--file 'report=<tệp|file>' --field 'officer=<giá-trị|value>'");
    const accepted = renderNotice(notification({ kind: 'accepted' }), 'so-y-te').text;
    expect(accepted).not.toContain('npx chithi submit');
  });

  it('escalation at the deadline and a week later says how late', () => {
    const atDue = renderNotice(notification({ kind: 'escalation', to: ['so-tttt'], at: '2022-11-30T23:59:59.999+07:00' }), 'so-tttt');
    expect(atDue.text).toContain('Kính gửi: Sở Thông tin và Truyền thông');
    expect(atDue.text).toContain('Sở Y tế chưa hoàn thành nhiệm vụ sau, đã đến hạn.');
    const week = renderNotice(notification({ kind: 'escalation', to: ['chu-tich-ubnd'], at: '2022-12-07T23:59:59.999+07:00' }), 'chu-tich-ubnd');
    expect(week.text).toContain('đã quá hạn 7 ngày');
    expect(week.text).toContain('7 days late');
  });

  it('submitted notices give the reviewer the review command', () => {
    const { text } = renderNotice(notification({ kind: 'submitted', to: ['so-tttt'], detail: { submissionId: 'abc' } }), 'so-tttt');
    expect(text).toContain('npx chithi review accept --directive hanoi-3968-2022 --obligation contact-point --unit so-y-te');
  });

  it("links each notice to its page on the portal: the unit's task page next to the submit command, the reviewer's submission page", () => {
    const url = 'https://chithi.hanoi.example';
    const task = `${url}/nhiem-vu/hanoi-3968-2022/contact-point/so-y-te`;
    const reminder = renderNotice(notification({ kind: 'reminder' }), 'so-y-te', url).text;
    expect(reminder).toContain(`Trang nhiệm vụ: ${task}`);
    expect(reminder).toContain(`Task page: ${task}`);
    // Ngay sau dòng lệnh nộp: người nhận thấy hai cách làm cùng một việc cạnh nhau.
    // Right after the submit command: the reader sees the two ways of doing it side by side.
    expect(reminder.indexOf(`Trang nhiệm vụ: ${task}`)).toBeGreaterThan(reminder.indexOf('npx chithi submit'));
    expect(reminder.indexOf(`Trang nhiệm vụ: ${task}`)).toBeLessThan(reminder.indexOf('— English —'));
    const submitted = renderNotice(notification({ kind: 'submitted', to: ['so-tttt'], detail: { submissionId: '5f0c2a4e-1d2b-4c3d-9e8f-0a1b2c3d4e5f' } }), 'so-tttt', url).text;
    expect(submitted).toContain(`Xem và duyệt trên cổng thông tin: ${url}/duyet/5f0c2a4e-1d2b-4c3d-9e8f-0a1b2c3d4e5f`);
    const asked = renderNotice(notification({ kind: 'extension-requested', to: ['so-tttt'], detail: { requestId: 'r-1', until: '2022-12-15', reason: 'Thiếu nhân sự' } }), 'so-tttt', url).text;
    expect(asked).toContain(`Quyết định trên cổng thông tin: ${url}/gia-han`);
    const event_ = renderNotice(notification({ kind: 'opened', obligation: event(), detail: { eventId: 'ev-1' } }), 'so-y-te', url).text;
    expect(event_).toMatch(/Trang nhiệm vụ: https:\/\/chithi\.hanoi\.example\/nhiem-vu\/hanoi-3968-2022\/[^/]+\/so-y-te\?su-kien=ev-1\n/);
    // A withdrawn task has no page left; without a portal address, no link at all.
    expect(renderNotice(notification({ kind: 'withdrawn' }), 'so-y-te', url).text).not.toContain(url);
    expect(renderNotice(notification({ kind: 'reminder' }), 'so-y-te').text).not.toContain('/nhiem-vu/');
  });

  it('event notices carry the event id into the submit command', () => {
    const { text } = renderNotice(notification({ kind: 'opened', obligation: event(), detail: { eventId: 'ev-1', description: 'Mã độc' } }), 'so-y-te');
    expect(text).toContain('--event ev-1');
    expect(text).toContain('Mô tả sự kiện: Mã độc');
  });
});

describe('notices hold only sentences written for their reader', () => {
  it.each(KINDS)('%s: no internal keys, raw durations or instants in the body', (kind) => {
    const detail = { overdue: 'true', after: 'P0D', roles: 'coordinator', first: 'true', dueAt: '2022-11-30T16:59:59.999Z', approved: 'true', revision: '2' };
    const { text } = renderNotice(notification({ kind, detail }), 'so-y-te');
    expect(text).not.toMatch(/overdue: true|roles:|first:|dueAt|approved:|revision:|\bP\d+[DWMY]\b|T\d\d:\d\d:\d\d/);
  });

  it('an escalation says its step in words', () => {
    const { text } = renderNotice(notification({ kind: 'escalation', to: ['chu-tich-ubnd'], at: '2022-12-07T23:59:59.999+07:00', detail: { after: 'P7D', roles: 'leadership' } }), 'chu-tich-ubnd');
    expect(text).toContain('Mốc báo cáo: sau hạn 7 ngày');
    expect(text).toContain('Escalation step: 7 days after the due date');
  });

  it('a reminder sent long after the due date says how late, never "due today"', () => {
    const { text } = renderNotice(notification({ kind: 'reminder', at: '2026-10-23T00:00:00.000+07:00', detail: { overdue: 'true' } }), 'so-y-te');
    expect(text).toContain('đã quá hạn 1423 ngày nhưng chưa hoàn thành');
    expect(text).not.toContain('đến hạn hôm nay');
    expect(text).not.toContain('due today');
  });
});
