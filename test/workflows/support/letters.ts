import { DateTime } from 'luxon';
import type { PlanUnit } from '../../../compiler/plan.js';
import { postboxWorkflowId, type InstanceInput } from '../../../workflows/types.js';
import type { ReceivedMail } from '../../support/smtp.js';
import { units, type Hanoi3968 } from './fixtures.js';
import type { Harness } from './harness.js';
import { DAY_MS } from './timeline.js';

const TZ = 'Asia/Ho_Chi_Minh';

/** The fixture unit with the registry's default cadence (no `notify:`: a daily letter at 08:00). */
export function byDefault(u: PlanUnit & { notify?: unknown }): PlanUnit {
  const { notify: _immediate, ...plain } = u;
  return plain;
}

export const coordinator = byDefault(units.coordinator);
export const leadership = byDefault(units.leadership);
const contacts = { [coordinator.id]: coordinator, [leadership.id]: leadership };

export function letterInput(d: Hanoi3968, obligation: InstanceInput['obligation'], unit: PlanUnit): InstanceInput {
  return { directive: d.directive, obligation, unit, contacts, cycle: 1 };
}

export const to = (u: PlanUnit) => (m: ReceivedMail) => m.to.includes(u.email!);

/** The letter's own time (X-Chithi-Notice-At) in Hanoi. */
export const local = (m: ReceivedMail): DateTime => DateTime.fromISO(m.headers['x-chithi-notice-at']!).setZone(TZ);

/** The first `month-day 09:00` Hanoi time at least a day ahead of the server clock, and its year. */
export async function nextDate(h: Harness, monthDay: string): Promise<{ year: number; at: string }> {
  const now = await h.nowMs();
  for (let year = new Date(now).getUTCFullYear(); ; year++) {
    const at = `${year}-${monthDay}T09:00:00+07:00`;
    if (Date.parse(at) > now + DAY_MS) return { year, at };
  }
}

/** Lets the directive's postbox and the dispatcher finish what the clock made due. */
export async function lettersQuiet(h: Harness, directiveId: string): Promise<void> {
  const id = postboxWorkflowId(directiveId);
  const d = await h.env.client.workflow.getHandle(id).describe().catch(() => undefined);
  if (d) await h.settle(id);
  await h.backend.mail?.idle();
}
