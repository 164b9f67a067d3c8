import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/**
 * Thuộc tính tìm kiếm của chithi trong Temporal: người vận hành lọc phiên theo chỉ thị, nghĩa vụ,
 * đơn vị và nhóm trạng thái ngay trong giao diện Temporal (`ChithiStatus = 'overdue'`).
 * chithi's custom search attributes, so operators filter instances in the Temporal UI or CLI by
 * directive, obligation, unit and status bucket (`temporal workflow list --query "ChithiStatus =
 * 'overdue'"`). A server that has not registered all four (the time-skipping test server, a
 * cluster nobody set up for them) gets none: deploy asks the server first (service/search-
 * attributes.ts), and a workflow upserts its status only when it was started with them.
 */
export const SEARCH_ATTRIBUTES = {
  directive: defineSearchAttributeKey('ChithiDirective', SearchAttributeType.KEYWORD),
  obligation: defineSearchAttributeKey('ChithiObligation', SearchAttributeType.KEYWORD),
  unit: defineSearchAttributeKey('ChithiUnit', SearchAttributeType.KEYWORD),
  /** The instance's status (common/status.ts STATUS_LABEL: the Government Office's buckets). */
  status: defineSearchAttributeKey('ChithiStatus', SearchAttributeType.KEYWORD),
} as const;

/** What a deploy starts an instance with; its status follows from the workflow's first step. */
export function startAttributes(directiveId: string, obligationId: string, unitId: string): SearchAttributePair[] {
  return [
    { key: SEARCH_ATTRIBUTES.directive, value: directiveId },
    { key: SEARCH_ATTRIBUTES.obligation, value: obligationId },
    { key: SEARCH_ATTRIBUTES.unit, value: unitId },
  ];
}
