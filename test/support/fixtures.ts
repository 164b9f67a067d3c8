/**
 * Small, valid runtime inputs for tests: a directive modelled on Hà Nội's 3968/UBND-KGVX, units,
 * and one obligation of each kind. Override any field with the spread argument.
 */
import type {
  DeadlineObligation,
  EventObligation,
  OngoingObligation,
  PlanUnit,
  RecurringObligation,
} from '../../compiler/plan.js';
import type { InstanceDirective, NotificationRequest } from '../../workflows/types.js';

export const TZ = 'Asia/Ho_Chi_Minh';

export function directive(over: Partial<InstanceDirective> = {}): InstanceDirective {
  return {
    id: 'hanoi-3968-2022',
    number: '3968/UBND-KGVX',
    title: {
      vi: 'Triển khai Chỉ thị 18/CT-TTg về ứng cứu sự cố an toàn thông tin mạng',
      en: 'Implementing Directive 18/CT-TTg on cyber incident response',
    },
    timezone: TZ,
    calendar: { id: 'vn', dueOnDayOff: 'next-working-day' },
    revision: 1,
    ...over,
  };
}

export const units = {
  soYTe: { id: 'so-y-te', name: { vi: 'Sở Y tế', en: 'Department of Health' }, kind: 'department', email: 'soyte@hanoi.example' },
  soTttt: {
    id: 'so-tttt',
    name: { vi: 'Sở Thông tin và Truyền thông', en: 'Department of Information and Communications' },
    kind: 'department',
    email: 'sotttt@hanoi.example',
  },
  chuTich: { id: 'chu-tich-ubnd', name: { vi: 'Chủ tịch UBND Thành phố', en: 'Chairman of the City People’s Committee' }, kind: 'leadership', email: 'chutich@hanoi.example' },
} satisfies Record<string, PlanUnit>;

const base = {
  clause: '1.4',
  assignees: ['so-y-te'],
  cooperating: [],
  reviewer: 'so-tttt',
  evidence: [
    { kind: 'field' as const, name: 'officer', title: { vi: 'Họ tên cán bộ đầu mối', en: 'Contact officer' }, required: true, format: 'text' as const },
    { kind: 'document' as const, name: 'report', title: { vi: 'Báo cáo kết quả', en: 'Report' }, required: true },
  ],
  reminders: ['P7D', 'P1D'],
  escalation: [
    { after: 'P0D', to: ['so-tttt'], roles: ['coordinator'] },
    { after: 'P7D', to: ['chu-tich-ubnd'], roles: ['leadership'] },
  ],
  dependsOn: [],
};

export function deadline(over: Partial<DeadlineObligation> = {}): DeadlineObligation {
  return {
    ...base,
    id: 'contact-point',
    title: { vi: 'Gửi thông tin đầu mối ứng cứu sự cố về Sở TTTT', en: 'Send the incident-response contact point to the DIC' },
    kind: 'deadline',
    due: '2022-11-30',
    effectiveDue: '2022-11-30',
    ...over,
  };
}

export function recurring(over: Partial<RecurringObligation> = {}): RecurringObligation {
  return {
    ...base,
    id: 'vulnerability-scan',
    clause: '1.2',
    title: { vi: 'Rà quét lỗ hổng các hệ thống thông tin', en: 'Scan information systems for vulnerabilities' },
    kind: 'recurring',
    every: 'P6M',
    anchor: '2022-11-28',
    periodFrom: 'completion',
    firstDue: '2023-05-29',
    ...over,
  };
}

export function event(over: Partial<EventObligation> = {}): EventObligation {
  return {
    ...base,
    id: 'report-attack',
    clause: '1.d.2',
    title: { vi: 'Báo cáo ngay khi phát hiện tấn công mạng', en: 'Report a detected cyber attack immediately' },
    kind: 'event',
    event: 'attack-detected',
    eventTitle: { vi: 'Phát hiện dấu hiệu tấn công mạng', en: 'Signs of a cyber attack detected' },
    within: 'PT4H',
    reminders: ['PT1H'],
    escalation: [{ after: 'PT0S', to: ['so-tttt'], roles: ['coordinator'] }],
    ...over,
  };
}

export function ongoing(over: Partial<OngoingObligation> = {}): OngoingObligation {
  return {
    ...base,
    id: 'raise-awareness',
    clause: '1.1',
    title: { vi: 'Quán triệt nguyên tắc ứng cứu sự cố', en: 'Instil the incident-response principle' },
    kind: 'ongoing',
    attestEvery: 'P1Y',
    anchor: '2022-11-28',
    firstDue: '2023-11-28',
    ...over,
  };
}

export function notification(over: Partial<NotificationRequest> = {}): NotificationRequest {
  return {
    key: 'chithi/hanoi-3968-2022/contact-point/so-y-te:1:reminder:P7D',
    kind: 'reminder',
    to: ['so-y-te'],
    directive: directive(),
    obligation: deadline(),
    unit: units.soYTe,
    contacts: { 'so-y-te': units.soYTe, 'so-tttt': units.soTttt, 'chu-tich-ubnd': units.chuTich },
    cycle: 1,
    due: '2022-11-30',
    at: '2022-11-23T00:00:00.000+07:00',
    ...over,
  };
}
