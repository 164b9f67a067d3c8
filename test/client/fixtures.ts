/** A small directive and registry, written to a temp dir so each test can amend its own copy. */
export const REGISTRY_YAML = `apiVersion: chithi/v1
kind: UnitRegistry
metadata:
  id: test-registry
  province: { vi: "Tỉnh Thử", en: "Test Province" }
  asOf: 2026-01-01
units:
  - id: ubnd
    name: { vi: "UBND tỉnh", en: "Provincial People's Committee" }
    kind: people-committee
    email: ubnd@province.example
  - id: chu-tich
    name: { vi: "Chủ tịch UBND tỉnh", en: "Chair" }
    kind: leadership
    email: chutich@province.example
  - id: so-tttt
    name: { vi: "Sở Thông tin và Truyền thông", en: "Department of Information and Communications" }
    kind: department
    email: sotttt@province.example
  - id: so-y-te
    name: { vi: "Sở Y tế", en: "Department of Health" }
    kind: department
    email: soyte@province.example
  - id: so-gd
    name: { vi: "Sở Giáo dục và Đào tạo", en: "Department of Education" }
    kind: department
    email: sogd@province.example
`;

export interface DirectiveOptions {
  /** Directive id (default `test-directive`): tests that need a directive of their own. */
  id?: string;
  revision?: number;
  /** Appended to the directive's title: a change every instance sees (each one is amended). */
  titleSuffix?: string;
  /** Due date of the `plan-2027` obligation (in the future of the test clock). */
  futureDue?: string;
  /** Due date of the `drill` obligation (default 2027-10-30). */
  drillDue?: string;
  /** Leave out the `drill` obligation (to test withdrawal of a removed obligation). */
  withoutDrill?: boolean;
  /** Assignees of `plan-2027`. */
  planAssignees?: string[];
  /** `within` of the event obligation `report-attack`. */
  eventWithin?: string;
  /** Assignees of a monthly duty `monthly-report` (recurring, next period from completion); none: no such duty. */
  monthlyAssignees?: string[];
}

export function directiveYaml(o: DirectiveOptions = {}): string {
  const planAssignees = o.planAssignees ?? ['so-y-te', 'so-gd'];
  return `apiVersion: chithi/v1
kind: Directive
metadata:
  id: ${o.id ?? 'test-directive'}
  number: 1/CT-TEST
  type: chi-thi
  issuer: ubnd
  issued: 2026-01-02
  revision: ${o.revision ?? 1}
  title: { vi: "Chỉ thị thử nghiệm${o.titleSuffix ?? ''}", en: "Test directive${o.titleSuffix ?? ''}" }
  timezone: Asia/Ho_Chi_Minh
  calendar: { id: vn, dueOnDayOff: keep }
  registry: registry.yaml
  reportingPeriod: P6M
roles:
  coordinator: so-tttt
  leadership: chu-tich
audiences:
  departments: { units: [so-y-te, so-gd] }
defaults:
  reminders: [P7D, P1D]
  escalation:
    - { after: P0D, to: [coordinator] }
    - { after: P7D, to: [leadership] }
  reviewer: coordinator
  evidence:
    - { kind: document, name: report, title: { vi: "Báo cáo", en: "Report" } }
obligations:
  - id: contact-point
    clause: "1.a"
    title: { vi: "Gửi thông tin đầu mối", en: "Send the contact point" }
    assignees: [departments]
    kind: deadline
    due: 2026-02-27
    evidence:
      - { kind: field, name: officer, title: { vi: "Họ tên cán bộ" }, format: text }
      - { kind: field, name: phone, title: { vi: "Số điện thoại" }, format: phone }
      - { kind: field, name: email, title: { vi: "Thư điện tử" }, format: email }
  - id: plan-2027
    clause: "1.b"
    title: { vi: "Xây dựng kế hoạch 2027", en: "Draw up the 2027 plan" }
    assignees: [{ units: [${planAssignees.join(', ')}] }]
    kind: deadline
    due: ${o.futureDue ?? '2027-12-31'}
${
  o.withoutDrill
    ? ''
    : `  - id: drill
    clause: "1.c"
    title: { vi: "Diễn tập ứng cứu sự cố", en: "Incident-response drill" }
    assignees: [departments]
    kind: deadline
    due: ${o.drillDue ?? '2027-10-30'}
`
}${
  o.monthlyAssignees
    ? `  - id: monthly-report
    clause: "1.d"
    title: { vi: "Báo cáo tháng", en: "Monthly report" }
    assignees: [{ units: [${o.monthlyAssignees.join(', ')}] }]
    kind: recurring
    every: P1M
    periodFrom: completion
`
    : ''
}  - id: report-attack
    clause: "2.a"
    title: { vi: "Báo cáo khi phát hiện tấn công", en: "Report a detected attack" }
    assignees: [departments]
    kind: event
    event: { type: attack-detected, title: { vi: "Phát hiện tấn công mạng", en: "Attack detected" } }
    within: ${o.eventWithin ?? 'PT4H'}
    reminders: [PT1H]
`;
}
