/* eslint-disable */
// GENERATED from compiler/schema/directive.schema.json by scripts/gen-types.ts — do not edit; run `npm run gen:types`.

/**
 * Date signed (ngày ký).
 */
export type IsoDate = string;
/**
 * Default attestation period of `ongoing` duties (kỳ báo cáo).
 */
export type IsoDuration = string;
/**
 * No recurring cycle starts after this date.
 */
export type IsoDate1 = string;
/**
 * The unit holding a role: its id, or { unit, notify } where notify is the holder's cadence unless the registry sets the unit's own.
 */
export type RoleBinding =
  | Id
  | {
      unit: Id;
      notify?: Notify;
    };
/**
 * Lower-case id: letters, digits and dashes (mã định danh).
 */
export type Id = string;
/**
 * When e-mail letters reach this recipient (nhịp gửi thư): each at once, or gathered into one letter a day or a week. Default: daily at 08:00 on working days.
 */
export type Notify = {
  /**
   * immediate: each letter when it is due; daily: one letter on each working day; weekly: one letter a week.
   */
  cadence: 'immediate' | 'daily' | 'weekly';
  at?: LocalTime;
  /**
   * weekly: ISO day of the week, Monday = 1 … Sunday = 7 (default: the first working day of the week).
   */
  weekday?: number;
};
/**
 * daily/weekly: local time the letter is sent, HH:mm (default 08:00).
 */
export type LocalTime = string;
/**
 * Kind of unit (loại đơn vị): people-committee (Ủy ban nhân dân), leadership (lãnh đạo), department (sở, ban, ngành), district (cấp huyện), agency (cơ quan), enterprise (doanh nghiệp), team (tổ, đội), centre (trung tâm), ministry (bộ, cơ quan ngang bộ), province (tỉnh), central-city (thành phố trực thuộc trung ương), commune (xã, phường, đặc khu), state-enterprise (doanh nghiệp nhà nước).
 */
export type UnitKind =
  | 'people-committee'
  | 'leadership'
  | 'department'
  | 'district'
  | 'agency'
  | 'enterprise'
  | 'team'
  | 'centre'
  | 'ministry'
  | 'province'
  | 'central-city'
  | 'commune'
  | 'state-enterprise';
/**
 * Lower-case name: letters, digits and dashes.
 */
export type Name = string;
/**
 * A duration (khoảng thời gian): ISO-8601 (P7D, P6M, PT4H) or, in language 1.1, working days on the directive's calendar (P5WD = 5 ngày làm việc).
 */
export type TimingDuration = string;
/**
 * Offsets before due at which assignees are reminded (nhắc trước hạn); working days (P2WD) in language 1.1.
 */
export type Reminders = TimingDuration[];
/**
 * A duration (khoảng thời gian): ISO-8601 (P7D, P6M, PT4H) or, in language 1.1, working days on the directive's calendar (P5WD = 5 ngày làm việc).
 */
export type TimingDuration1 = string;
/**
 * Steps after due, in order of `after` (báo cáo vượt cấp).
 */
export type Escalation = {
  after: TimingDuration1;
  /**
   * @minItems 1
   *
   * Items: A role name or a unit id; in language 1.1 also a relation of the assignee: assignee.head, assignee.parent.
   */
  to: [string, ...string[]];
}[];
export type EvidenceItem = {
  kind: 'document' | 'link' | 'field' | 'attestation';
  name: Name;
  title: LocalizedText;
  /**
   * Default true.
   */
  required?: boolean;
  /**
   * Only for kind: field.
   */
  format?: 'text' | 'email' | 'phone' | 'date' | 'number' | 'uri';
};
/**
 * What the assignee submits as proof (minh chứng).
 */
export type Evidence = EvidenceItem[];
/**
 * One duty. `kind` decides which timing fields apply.
 */
export type Obligation = {
  /**
   * Lower-case id: letters, digits and dashes (mã định danh).
   */
  id: string;
  clause: Clause;
  title: LocalizedText;
  /**
   * Who must do it (chủ trì).
   *
   * @minItems 1
   */
  assignees: [UnitRef, ...UnitRef[]];
  /**
   * Who co-operates (phối hợp): informed only.
   */
  cooperating?: UnitRef[];
  kind: 'deadline' | 'recurring' | 'event' | 'ongoing';
  /**
   * deadline: a date, or { after: duration } counted from `issued`. Language 1.1 adds { after: { obligation, plus } } (from another obligation's completion; also on a recurring obligation, per cycle), { afterReceipt: duration } (from the unit's receipt) and { interpreted: date or duration, text } (the text gave no date; the encoder chose this one).
   */
  due?:
    | string
    | {
        after?: DueAfter;
        afterReceipt?: TimingDuration3;
        interpreted?: InterpretedTiming;
        text?: InterpretedText;
      };
  /**
   * Language 1.1: this obligation's rule for a due date on a day off, over metadata.calendar.dueOnDayOff.
   */
  dueOnDayOff?: 'keep' | 'next-working-day' | 'previous-working-day';
  /**
   * recurring: at least once per period; in language 1.1 also { interpreted: duration, text } when the text gave no period (“định kỳ”).
   */
  every?:
    | string
    | {
        interpreted: IsoDuration1;
        text: InterpretedText;
      };
  anchor?: IsoDate2;
  /**
   * recurring: next period counts from the last completion, or fixed windows.
   */
  periodFrom?: 'completion' | 'window';
  event?: {
    type: Name;
    title: LocalizedText;
    /**
     * Language 1.1: the units that may raise this event (audiences, unit ids, roles, selectors). One report by one of them opens the duty of every assignee (a broadcast to an audience, or another unit's duty, e.g. a request for guidance opening the coordinator's duty to answer). Without it, an assignee reports its own event and only its own duty opens.
     *
     * @minItems 1
     */
    raisedBy?: [UnitRef, ...UnitRef[]];
  };
  /**
   * event: due within this long after the event is reported (P5WD in language 1.1); in language 1.1 also { interpreted: duration, text } when the text gave no time (“kịp thời”).
   */
  within?:
    | string
    | {
        interpreted: TimingDuration;
        text: InterpretedText;
      };
  attestEvery?: IsoDuration2;
  reminders?: Reminders;
  escalation?: Escalation;
  /**
   * A role name or a unit id; in language 1.1 also a relation of the assignee: assignee.head, assignee.parent.
   */
  reviewer?: string;
  /**
   * Language 1.1: bodies the result is reported to (báo cáo về), outside the assignees (e.g. a ministry): each receives the notice of completion when the evidence is accepted. Unit ids, role names or assignee.parent; one of them may also be the reviewer.
   *
   * @minItems 1
   *
   * Items: A role name or a unit id; in language 1.1 also a relation of the assignee: assignee.head, assignee.parent.
   */
  reportTo?: [string, ...string[]];
  evidence?: Evidence;
  /**
   * Obligation ids to complete first.
   */
  dependsOn?: Id[];
  /**
   * The encoder's interpretation of the source text.
   */
  note?: string;
} & {
  /**
   * Lower-case id: letters, digits and dashes (mã định danh).
   */
  id: string;
  clause: Clause;
  title: LocalizedText;
  /**
   * Who must do it (chủ trì).
   *
   * @minItems 1
   */
  assignees: [UnitRef, ...UnitRef[]];
  /**
   * Who co-operates (phối hợp): informed only.
   */
  cooperating?: UnitRef[];
  kind: 'deadline' | 'recurring' | 'event' | 'ongoing';
  /**
   * deadline: a date, or { after: duration } counted from `issued`. Language 1.1 adds { after: { obligation, plus } } (from another obligation's completion; also on a recurring obligation, per cycle), { afterReceipt: duration } (from the unit's receipt) and { interpreted: date or duration, text } (the text gave no date; the encoder chose this one).
   */
  due?:
    | string
    | {
        after?: DueAfter;
        afterReceipt?: TimingDuration3;
        interpreted?: InterpretedTiming;
        text?: InterpretedText;
      };
  /**
   * Language 1.1: this obligation's rule for a due date on a day off, over metadata.calendar.dueOnDayOff.
   */
  dueOnDayOff?: 'keep' | 'next-working-day' | 'previous-working-day';
  /**
   * recurring: at least once per period; in language 1.1 also { interpreted: duration, text } when the text gave no period (“định kỳ”).
   */
  every?:
    | string
    | {
        interpreted: IsoDuration1;
        text: InterpretedText;
      };
  anchor?: IsoDate2;
  /**
   * recurring: next period counts from the last completion, or fixed windows.
   */
  periodFrom?: 'completion' | 'window';
  event?: {
    type: Name;
    title: LocalizedText;
    /**
     * Language 1.1: the units that may raise this event (audiences, unit ids, roles, selectors). One report by one of them opens the duty of every assignee (a broadcast to an audience, or another unit's duty, e.g. a request for guidance opening the coordinator's duty to answer). Without it, an assignee reports its own event and only its own duty opens.
     *
     * @minItems 1
     */
    raisedBy?: [UnitRef, ...UnitRef[]];
  };
  /**
   * event: due within this long after the event is reported (P5WD in language 1.1); in language 1.1 also { interpreted: duration, text } when the text gave no time (“kịp thời”).
   */
  within?:
    | string
    | {
        interpreted: TimingDuration;
        text: InterpretedText;
      };
  attestEvery?: IsoDuration2;
  reminders?: Reminders;
  escalation?: Escalation;
  /**
   * A role name or a unit id; in language 1.1 also a relation of the assignee: assignee.head, assignee.parent.
   */
  reviewer?: string;
  /**
   * Language 1.1: bodies the result is reported to (báo cáo về), outside the assignees (e.g. a ministry): each receives the notice of completion when the evidence is accepted. Unit ids, role names or assignee.parent; one of them may also be the reviewer.
   *
   * @minItems 1
   *
   * Items: A role name or a unit id; in language 1.1 also a relation of the assignee: assignee.head, assignee.parent.
   */
  reportTo?: [string, ...string[]];
  evidence?: Evidence;
  /**
   * Obligation ids to complete first.
   */
  dependsOn?: Id[];
  /**
   * The encoder's interpretation of the source text.
   */
  note?: string;
};
/**
 * Reference into the source text as it numbers it (điều khoản): 1.b, 1.4, 2.b.1, 3.đ.
 */
export type Clause = string;
/**
 * An audience name or unit id, or an inline selector; in language 1.1 also a role name, or a relation of the assignee (assignee.head, assignee.parent) where a recipient is meant.
 */
export type UnitRef = Recipient | Selector;
/**
 * A name (role, audience or unit id: lower-case letters, digits, dashes) or, in language 1.1, a relation of each assignee: assignee.head (its head: the registry's `head`, else the unit itself addressed to its head) or assignee.parent (the registry's `parent`).
 */
export type Recipient = string;
/**
 * A period counted from `issued` (P30D; P5WD in language 1.1), or, in language 1.1, { obligation, plus }: counted from the completion of another obligation by the same unit.
 */
export type DueAfter =
  | string
  | {
      /**
       * Lower-case id: letters, digits and dashes (mã định danh).
       */
      obligation: string;
      plus: TimingDuration2;
    };
/**
 * A duration (khoảng thời gian): ISO-8601 (P7D, P6M, PT4H) or, in language 1.1, working days on the directive's calendar (P5WD = 5 ngày làm việc).
 */
export type TimingDuration2 = string;
/**
 * A duration (khoảng thời gian): ISO-8601 (P7D, P6M, PT4H) or, in language 1.1, working days on the directive's calendar (P5WD = 5 ngày làm việc).
 */
export type TimingDuration3 = string;
/**
 * Language 1.1: the date (YYYY-MM-DD) or period (P15D, P5WD) the encoder chose where the text set none.
 */
export type InterpretedTiming = string;
/**
 * Language 1.1: the text's own words where it set no time, quoted (“khẩn trương”, “định kỳ”).
 */
export type InterpretedText = string;
/**
 * ISO-8601 duration (khoảng thời gian), e.g. P7D, P6M, P1Y, PT4H.
 */
export type IsoDuration1 = string;
/**
 * recurring/ongoing: start of the first period (default: issued).
 */
export type IsoDate2 = string;
/**
 * ISO-8601 duration (khoảng thời gian), e.g. P7D, P6M, P1Y, PT4H.
 */
export type IsoDuration2 = string;

/**
 * A directive (chỉ thị / công văn) encoded as obligations. See docs/directive-format.md.
 */
export interface ChithiDirective {
  /**
   * Format version. Phiên bản định dạng: chithi/v1, or chithi/v1.1 for the constructs language 1.1 adds (working days, interpreted and relative due dates, relational recipients, shared and broadcast events).
   */
  apiVersion: 'chithi/v1' | 'chithi/v1.1';
  /**
   * Document kind: `Directive`.
   */
  kind: 'Directive';
  metadata: Metadata;
  /**
   * Role name → unit id in the registry (vai trò → đơn vị), e.g. coordinator, leadership; or → { unit, notify } to give the role's holder a notification cadence.
   */
  roles?: {
    [k: string]: RoleBinding;
  };
  /**
   * Named selectors of units (nhóm đối tượng); obligations refer to them by name.
   */
  audiences?: {
    [k: string]: Selector;
  };
  defaults?: Defaults;
  /**
   * The duties the directive imposes (nhiệm vụ).
   *
   * @minItems 1
   */
  obligations: [Obligation, ...Obligation[]];
}
/**
 * Identity and context of the document.
 */
export interface Metadata {
  /**
   * Stable id; workflow ids derive from it: never change it.
   */
  id: string;
  /**
   * The document's number as printed (số hiệu), e.g. 3968/UBND-KGVX.
   */
  number: string;
  /**
   * Document type (loại văn bản).
   */
  type: 'chi-thi' | 'cong-van' | 'quyet-dinh' | 'ke-hoach';
  /**
   * Issuing unit id in the registry (cơ quan ban hành).
   */
  issuer: string;
  issued: IsoDate;
  /**
   * Amendment counter; bump when the file changes after deployment.
   */
  revision?: number;
  title: LocalizedText;
  /**
   * Numbers of the documents this one implements.
   */
  implements?: string[];
  /**
   * IANA time zone, e.g. Asia/Ho_Chi_Minh.
   */
  timezone: string;
  calendar: {
    /**
     * Working calendar: directives/calendars/<id>.yaml.
     */
    id: string;
    /**
     * Due date on a day off: keep it or move to the next working day; previous-working-day in language 1.1.
     */
    dueOnDayOff?: 'keep' | 'next-working-day' | 'previous-working-day';
    /**
     * Language 1.1: a reminder falling on a day off is sent on the working day before (the default of a 1.1 file), or kept on its day.
     */
    remindersOnDayOff?: 'keep' | 'previous-working-day';
  };
  /**
   * Unit registry file, relative to this file.
   */
  registry: string;
  reportingPeriod?: IsoDuration;
  until?: IsoDate1;
  note?: string;
}
/**
 * Text in Vietnamese (required) and English.
 */
export interface LocalizedText {
  /**
   * Tiếng Việt.
   */
  vi: string;
  /**
   * English.
   */
  en?: string;
}
/**
 * Selects units. Exactly one of kind/tags/systems/attribute (these may be combined), units, audience, anyOf, allOf, not; plus mayBeEmpty.
 */
export interface Selector {
  kind?: UnitKind;
  /**
   * Unit has all these tags.
   *
   * @minItems 1
   */
  tags?: [Name, ...Name[]];
  /**
   * Explicit unit ids.
   *
   * @minItems 1
   */
  units?: [Id, ...Id[]];
  /**
   * Lower-case name: letters, digits and dashes.
   */
  audience?: string;
  systems?: {
    /**
     * Operates a system at this level or above (cấp độ hệ thống).
     */
    minLevel: number;
  };
  attribute?: {
    name: string;
    equals?: string | number | boolean;
    /**
     * @minItems 1
     */
    in?: [string | number | boolean, ...(string | number | boolean)[]];
    gte?: number;
    lte?: number;
  };
  /**
   * @minItems 1
   */
  anyOf?: [Selector, ...Selector[]];
  /**
   * @minItems 1
   */
  allOf?: [Selector, ...Selector[]];
  not?: Selector;
  /**
   * The text allows this selection to match no unit (e.g. 'doanh nghiệp viễn thông, nếu có'). Without it, an obligation whose assignees or cooperating entry selects no unit in the registry is an error. Counts on a named audience or on the selector an obligation writes, not inside anyOf/allOf/not. Default false.
   */
  mayBeEmpty?: boolean;
}
/**
 * Applied to every obligation that does not set its own; `notify` applies to the recipients of letters.
 */
export interface Defaults {
  reminders?: Reminders;
  escalation?: Escalation;
  /**
   * A role name or a unit id; in language 1.1 also a relation of the assignee: assignee.head, assignee.parent.
   */
  reviewer?: string;
  evidence?: Evidence;
  /**
   * Default notification cadences, below a unit's own (registry) and its role's. `units`: assignees and co-operating units; `escalations`: units holding a role, reviewing or named in an escalation step (coordinator, leadership).
   */
  notify?: {
    units?: Notify;
    escalations?: Notify;
  };
}
