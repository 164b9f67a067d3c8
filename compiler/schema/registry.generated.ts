/* eslint-disable */
// GENERATED from compiler/schema/registry.schema.json by scripts/gen-types.ts — do not edit; run `npm run gen:types`.

/**
 * Lower-case id: letters, digits and dashes (mã định danh).
 */
export type Id = string;
/**
 * Date the list was last checked.
 */
export type IsoDate = string;
/**
 * Lower-case name: letters, digits and dashes.
 */
export type Name = string;
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
 * Calendar date YYYY-MM-DD (ngày).
 */
export type IsoDate1 = string;

/**
 * The units (đơn vị) a directive can address, with their succession over time.
 */
export interface ChithiUnitRegistry {
  /**
   * Format version. Phiên bản định dạng: a registry reads the same under both; chithi/v1.1 for a registry kept beside 1.1 directives.
   */
  apiVersion: 'chithi/v1' | 'chithi/v1.1';
  kind: 'UnitRegistry';
  metadata: {
    id: Id;
    province?: LocalizedText;
    asOf?: IsoDate;
    note?: string;
  };
  /**
   * Other registry files whose units join this one's (gộp danh mục), each a path relative to this file, in this file's folder or below it; included files may include others. A unit id defined twice, a missing file or a cycle is an error.
   *
   * @minItems 1
   */
  include?: [string, ...string[]];
  /**
   * Required unless the file has `include`.
   *
   * @minItems 1
   */
  units?: [Unit, ...Unit[]];
}
/**
 * Province or city (tỉnh/thành phố).
 */
export interface LocalizedText {
  vi: string;
  en?: string;
}
export interface Unit {
  id: Id;
  name?: LocalizedText1;
  /**
   * Kind of unit (loại đơn vị): people-committee (Ủy ban nhân dân), leadership (lãnh đạo), department (sở, ban, ngành), district (cấp huyện), agency (cơ quan), enterprise (doanh nghiệp), team (tổ, đội), centre (trung tâm), ministry (bộ, cơ quan ngang bộ), province (tỉnh), central-city (thành phố trực thuộc trung ương), commune (xã, phường, đặc khu), state-enterprise (doanh nghiệp nhà nước).
   */
  kind:
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
  tags?: Name[];
  /**
   * The one address notices go to (a distribution list when several people must receive them).
   */
  email?: string;
  notify?: Notify;
  /**
   * Who approves what the unit sends out (phê duyệt trước khi gửi): unit-head — an officer's submission waits for a unit head of the unit to approve it before it reaches the reviewer; none (default) — it goes straight on.
   */
  submissionApproval?: 'none' | 'unit-head';
  /**
   * Information systems it operates, with their security level (cấp độ).
   */
  systems?: {
    id: Id;
    name?: string;
    level: number;
  }[];
  /**
   * Free key → string | number | boolean, for `attribute` selectors.
   */
  attributes?: {
    [k: string]: string | number | boolean;
  };
  /**
   * From `on`, this unit's duties pass to `unit` (sáp nhập, kế thừa).
   */
  succeededBy?: {
    unit: Id;
    on: IsoDate1;
    note?: string;
  };
  /**
   * The unit ceases to exist on this date (giải thể).
   */
  dissolved?: {
    on: IsoDate1;
    note?: string;
  };
  /**
   * Lower-case id: letters, digits and dashes (mã định danh).
   */
  parent?: string;
  /**
   * Lower-case id: letters, digits and dashes (mã định danh).
   */
  head?: string;
  /**
   * An example, not an exhaustive list.
   */
  example?: boolean;
  note?: string;
}
export interface LocalizedText1 {
  vi: string;
  en?: string;
}
