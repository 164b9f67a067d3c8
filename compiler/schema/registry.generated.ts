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
 * Calendar date YYYY-MM-DD (ngày).
 */
export type IsoDate1 = string;

/**
 * The units (đơn vị) a directive can address, with their succession over time.
 */
export interface ChithiUnitRegistry {
  apiVersion: 'chithi/v1';
  kind: 'UnitRegistry';
  metadata: {
    id: Id;
    province?: LocalizedText;
    asOf?: IsoDate;
    note?: string;
  };
  /**
   * @minItems 1
   */
  units: [Unit, ...Unit[]];
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
   * Kind of unit (loại đơn vị).
   */
  kind: 'people-committee' | 'leadership' | 'department' | 'district' | 'agency' | 'enterprise' | 'team' | 'centre';
  tags?: Name[];
  /**
   * Contact address for notices.
   */
  email?: string;
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
   * An example, not an exhaustive list.
   */
  example?: boolean;
  note?: string;
}
export interface LocalizedText1 {
  vi: string;
  en?: string;
}
