/**
 * Hand-built plan obligations modelled on Hanoi 3968/UBND-KGVX (deployed 2022-11-28) and
 * Hai Phong 1.d. The time-skipping server starts at the real "now" and only moves forward, so each
 * scenario replays the 2022 calendar in a later year (`year`); the day-off policy is `keep` so the
 * dates stay exactly those of the text whatever weekday they fall on.
 */
import type {
  DeadlineObligation,
  EscalationStep,
  EventObligation,
  OngoingObligation,
  PlanObligation,
  PlanUnit,
  RecurringObligation,
} from '../../../compiler/plan.js';
import type { InstanceDirective, InstanceInput, ReportedEvent } from '../../../workflows/types.js';

export const TZ = 'Asia/Ho_Chi_Minh';

export const units = {
  coordinator: unit('so-tttt', 'Sở Thông tin và Truyền thông', 'department', 'sotttt@hanoi.example'),
  leadership: unit('chu-tich-ubnd', 'Chủ tịch UBND Thành phố', 'leadership', 'chutich@hanoi.example'),
  health: unit('so-y-te', 'Sở Y tế', 'department', 'soyte@hanoi.example'),
  education: unit('so-gddt', 'Sở Giáo dục và Đào tạo', 'department', 'sogddt@hanoi.example'),
  hoanKiem: unit('quan-hoan-kiem', 'UBND quận Hoàn Kiếm', 'district', 'hoankiem@hanoi.example'),
  baDinh: unit('quan-ba-dinh', 'UBND quận Ba Đình', 'district', 'badinh@hanoi.example'),
  police: unit('cong-an', 'Công an Thành phố', 'agency', 'congan@hanoi.example'),
  finance: unit('so-tai-chinh', 'Sở Tài chính', 'department', 'sotaichinh@hanoi.example'),
  transport: unit('so-gtvt', 'Sở Giao thông Vận tải', 'department', 'sogtvt@hanoi.example'),
  culture: unit('so-vhtt', 'Sở Văn hóa và Thể thao', 'department', 'sovhtt@hanoi.example'),
} satisfies Record<string, PlanUnit>;

const contacts: Record<string, PlanUnit> = {
  [units.coordinator.id]: units.coordinator,
  [units.leadership.id]: units.leadership,
};

const ladder = (leadershipAfter: string): EscalationStep[] => [
  { after: 'P0D', to: [units.coordinator.id], roles: ['coordinator'] },
  { after: leadershipAfter, to: [units.leadership.id], roles: ['leadership'] },
];

const base = {
  cooperating: [],
  reviewer: units.coordinator.id,
  dependsOn: [],
  evidence: [{ kind: 'document' as const, name: 'report', title: { vi: 'Báo cáo kết quả', en: 'Report' }, required: true }],
};

export interface Hanoi3968 {
  year: number;
  deployedAt: string;
  directive: InstanceDirective;
  contactPoint: DeadlineObligation;
  responsePlan: DeadlineObligation;
  vulnerabilityScan: RecurringObligation;
  liveDrill: RecurringObligation;
  /** Clause 1.1, as the seed encodes it: no date in the text, attested every six months. */
  raiseAwareness: OngoingObligation;
}

export function hanoi3968(year: number): Hanoi3968 {
  const directive: InstanceDirective = {
    id: `hanoi-3968-${year}`,
    number: '3968/UBND-KGVX',
    title: { vi: 'Triển khai Chỉ thị 18/CT-TTg về ứng cứu sự cố an toàn thông tin mạng' },
    timezone: TZ,
    calendar: { id: 'vn', dueOnDayOff: 'keep' },
    revision: 1,
  };
  return {
    year,
    deployedAt: `${year}-11-28T09:00:00+07:00`,
    directive,
    contactPoint: {
      ...base,
      kind: 'deadline',
      id: 'contact-point',
      clause: '1.4',
      title: { vi: 'Gửi thông tin đầu mối ứng cứu sự cố về Sở TTTT' },
      assignees: [units.health.id],
      reminders: ['P7D', 'P1D'],
      escalation: ladder('P7D'),
      due: `${year}-11-30`,
      effectiveDue: `${year}-11-30`,
    },
    responsePlan: {
      ...base,
      kind: 'deadline',
      id: 'response-plan',
      clause: '1.5',
      title: { vi: 'Xây dựng phương án ứng cứu sự cố' },
      assignees: [units.health.id],
      reminders: ['P7D', 'P1D'],
      escalation: ladder('P7D'),
      dependsOn: ['contact-point'],
      due: `${year}-12-31`,
      effectiveDue: `${year}-12-31`,
    },
    vulnerabilityScan: {
      ...base,
      kind: 'recurring',
      id: 'vulnerability-scan',
      clause: '1.2',
      title: { vi: 'Rà quét lỗ hổng các hệ thống thông tin' },
      assignees: [units.health.id],
      reminders: ['P14D', 'P3D'],
      escalation: ladder('P14D'),
      every: 'P6M',
      anchor: `${year}-11-28`,
      periodFrom: 'completion',
      firstDue: `${year + 1}-05-28`,
    },
    liveDrill: {
      ...base,
      kind: 'recurring',
      id: 'live-drill',
      clause: '1.3',
      title: { vi: 'Diễn tập thực chiến' },
      assignees: [units.health.id],
      reminders: ['P14D'],
      escalation: ladder('P7D'),
      every: 'P1Y',
      anchor: `${year}-11-28`,
      periodFrom: 'window',
      firstDue: `${year + 1}-11-28`,
    },
    raiseAwareness: {
      ...base,
      kind: 'ongoing',
      id: 'raise-awareness',
      clause: '1.1',
      title: { vi: 'Quán triệt nguyên tắc ứng cứu sự cố và chỉ đạo thực hiện Chỉ thị 18/CT-TTg' },
      assignees: [units.health.id],
      evidence: [{ kind: 'attestation', name: 'instilled', title: { vi: 'Cam kết đã quán triệt', en: 'Attest the principle was instilled' }, required: true }],
      reminders: ['P7D', 'P1D'],
      escalation: ladder('P7D'),
      attestEvery: 'P6M',
      anchor: `${year}-11-28`,
      firstDue: `${year + 1}-05-28`,
    },
  };
}

export interface HaiPhong {
  directive: InstanceDirective;
  reportAttack: EventObligation;
}

export function haiPhong(year: number): HaiPhong {
  return {
    directive: {
      id: `hai-phong-ttcs-${year}`,
      number: '1.d',
      title: { vi: 'Ứng cứu sự cố an toàn thông tin mạng thành phố Hải Phòng' },
      timezone: TZ,
      calendar: { id: 'vn', dueOnDayOff: 'keep' },
      revision: 1,
    },
    reportAttack: {
      ...base,
      kind: 'event',
      id: 'report-attack',
      clause: '1.d',
      title: { vi: 'Báo cáo ngay khi phát hiện tấn công mạng' },
      assignees: [units.health.id],
      reminders: ['PT1H'],
      escalation: ladder('PT4H'),
      event: 'attack-detected',
      eventTitle: { vi: 'Phát hiện dấu hiệu tấn công mạng' },
      within: 'PT4H',
    },
  };
}

export function instanceInput(
  directive: InstanceDirective,
  obligation: PlanObligation,
  u: PlanUnit,
  extra: { event?: ReportedEvent; dependents?: string[] } = {},
): InstanceInput {
  return { directive, obligation, unit: u, contacts, cycle: 1, ...extra };
}

/**
 * These tests are about when each notice is issued, counted on real e-mails: the units ask for
 * every notice at once (registry `notify: { cadence: immediate }`) instead of the default daily
 * letter. Letters are tested in test/workflows/letters.test.ts.
 */
function unit(id: string, vi: string, kind: string, email: string): PlanUnit {
  return { id, name: { vi }, kind, email, notify: { cadence: 'immediate', at: '08:00' } };
}
