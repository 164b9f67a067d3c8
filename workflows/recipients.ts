import type { PlanUnit } from '../compiler/plan.js';
import type { Instance } from './instance-context.js';
import { isPatched } from './patches.js';

/**
 * Người nhận thêm của ngôn ngữ 1.1 (bản vá recipients-v1): cơ quan nhận báo cáo (`reportTo`) và đơn
 * vị đã báo sự kiện mở nhiệm vụ này được báo khi minh chứng được chấp nhận.
 * Language 1.1's further recipients (patch recipients-v1). The bodies the result is reported to
 * (`reportTo`) and the unit that raised the event opening this duty (a district whose request for
 * guidance opened the coordinator's duty to answer) are told when the evidence is accepted; the
 * reviewer already knows, and the unit itself is told anyway. Histories from before have neither
 * field, so they never reach isPatched and replay as they ran.
 */
export function completionRecipients(inst: Instance): string[] {
  const { unit, obligation, event } = inst.input;
  const raiser = event?.raisedBy !== undefined && event.raisedBy !== obligation.reviewer ? [event.raisedBy] : [];
  const extra = [...new Set([...(obligation.reportTo ?? []), ...raiser])].filter((u) => u !== unit.id);
  if (extra.length === 0 || !isPatched('recipients-v1')) return [];
  return extra;
}

/** The `opened` notice names the unit that raised the event, when another unit did (recipients-v1). */
export function raisedByDetail(inst: Instance): Record<string, string> {
  const raisedBy = inst.input.event?.raisedBy;
  if (raisedBy === undefined || raisedBy === inst.input.unit.id || !isPatched('recipients-v1')) return {};
  return { raisedBy };
}

/**
 * An amendment's contacts come from the plan, which does not know who raised this instance's event:
 * the raiser's record is kept, so the notice of completion still has its name and address.
 */
export function keepRaiser(inst: Instance, contacts: Record<string, PlanUnit>): Record<string, PlanUnit> {
  const raisedBy = inst.input.event?.raisedBy;
  const raiser = raisedBy !== undefined ? inst.input.contacts[raisedBy] : undefined;
  if (raiser === undefined || raisedBy! in contacts || !isPatched('recipients-v1')) return contacts;
  return { ...contacts, [raisedBy!]: raiser };
}
