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

/**
 * Who an instance is: set once, with its first status, by its instance's first step (journal.ts);
 * a start carries none. Why: deploying 100,000 instances onto the cluster on PostgreSQL, started
 * with these three, took 10.3 ms of CPU per start (the four services, their PostgreSQL, the
 * client) against 9.0 ms for a bare start, all of it on the server's side; 5,000 starts each
 * showed the three attributes adding 0.8–1.3 ms and the 1,245-byte input nothing measurable. On
 * 2 cores, CPU-bound, deploys ran at 0.83–0.97× the rate of bare starts (four runs). The first
 * step writes the visibility row anyway (its status), so naming the instance there costs next to
 * nothing. Until that step the row is unnamed, as the instance is absent from chithi's own
 * projection.
 */
export function instanceAttributes(directiveId: string, obligationId: string, unitId: string): SearchAttributePair[] {
  return [
    { key: SEARCH_ATTRIBUTES.directive, value: directiveId },
    { key: SEARCH_ATTRIBUTES.obligation, value: obligationId },
    { key: SEARCH_ATTRIBUTES.unit, value: unitId },
  ];
}
