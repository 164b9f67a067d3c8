/**
 * Tên các loại đơn vị (`kind` trong danh mục, bộ chọn `kind:` trong chỉ thị), tiếng Việt và tiếng Anh.
 * Danh sách loại nằm trong hai lược đồ JSON; bảng này đặt tên cho từng loại, và một phép thử giữ ba
 * nơi khớp nhau.
 * The names of the unit kinds (a registry's `kind`, a directive's `kind:` selector) in Vietnamese and
 * English. The kinds themselves are the two JSON Schemas' enums; this table names each, and a test
 * keeps the three in agreement.
 */
import type { Bilingual } from '../common/cli-spec.js';
import type { Unit } from './schema/registry.generated.js';

export type UnitKind = Unit['kind'];

export const UNIT_KINDS: Readonly<Record<UnitKind, Bilingual>> = {
  'people-committee': { vi: 'Ủy ban nhân dân', en: "People's Committee" },
  leadership: { vi: 'lãnh đạo (Chủ tịch, Phó Chủ tịch)', en: 'leadership (Chairman, Vice-Chairmen)' },
  department: { vi: 'sở, ban, ngành', en: 'department' },
  district: { vi: 'cấp huyện (quận, huyện, thị xã, thành phố thuộc tỉnh)', en: 'district level' },
  agency: { vi: 'cơ quan', en: 'agency' },
  enterprise: { vi: 'doanh nghiệp', en: 'enterprise' },
  team: { vi: 'tổ, đội', en: 'team' },
  centre: { vi: 'trung tâm, đơn vị sự nghiệp', en: 'centre' },
  // Cấp trung ương và cấp tỉnh, xã sau sắp xếp năm 2025 (không còn cấp huyện): văn bản cấp quốc gia gửi đến những đơn vị này.
  // National and, after the 2025 reorganisation (no district level), provincial and commune units: national directives address these.
  ministry: { vi: 'bộ, cơ quan ngang bộ', en: 'ministry' },
  province: { vi: 'tỉnh', en: 'province' },
  'central-city': { vi: 'thành phố trực thuộc trung ương', en: 'centrally-run city' },
  commune: { vi: 'xã, phường, đặc khu', en: 'commune (commune, ward, special zone)' },
  'state-enterprise': { vi: 'doanh nghiệp nhà nước', en: 'state-owned enterprise' },
};

export function isUnitKind(value: string): value is UnitKind {
  return Object.hasOwn(UNIT_KINDS, value);
}
