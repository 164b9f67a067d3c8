import type pg from 'pg';
import type { Plan, PlanObligation } from '../compiler/plan.js';
import { instanceWorkflowId } from '../workflows/types.js';
import { checkAssignee, findObligation } from './instances.js';
import { forAssignee } from '../compiler/relations.js';
import type { Bilingual } from '../common/cli-spec.js';
import { UserError } from '../common/errors.js';
import { getInstance, getLatestDeployment, listInstances, type Db, type InstanceRow } from '../activities/store/index.js';

export async function deployedPlan(pool: Db, directiveId: string, opts: { allowWithdrawn?: boolean } = {}): Promise<Plan> {
  const d = await getLatestDeployment(pool, directiveId);
  if (!d) {
    throw new UserError({
      vi: `Chỉ thị "${directiveId}" chưa được triển khai. Hãy chạy: chithi deploy <tệp>`,
      en: `Directive "${directiveId}" is not deployed. Run: chithi deploy <file>`,
    });
  }
  if (d.status !== 'active' && !opts.allowWithdrawn) {
    throw new UserError({ vi: `Chỉ thị "${directiveId}" đã bị thu hồi.`, en: `Directive "${directiveId}" has been withdrawn.` });
  }
  return d.plan;
}

export interface Target {
  plan: Plan;
  obligation: PlanObligation;
  unitId: string;
  eventId?: string;
  workflowId: string;
  instance: InstanceRow;
}

/**
 * Finds the one running instance a submit/review/extension is about, from the projection, so a
 * typo is reported before anything is stored or signalled. For an event obligation without
 * --event the single open instance is chosen; several open ones must be told apart.
 */
export async function resolveTarget(
  pool: pg.Pool,
  ref: { directive: string; obligation: string; unit: string; event?: string },
): Promise<Target> {
  const plan = await deployedPlan(pool, ref.directive);
  const obligation = findObligation(plan, ref.obligation);
  checkAssignee(plan, obligation, ref.unit);
  let eventId = ref.event;
  if (obligation.kind === 'event' && eventId === undefined) {
    const open = (await listInstances(pool, plan.directive.id, { unitId: ref.unit, obligationId: obligation.id })).filter(
      (r) => !TERMINAL.has(r.status),
    );
    if (open.length !== 1 || !open[0]) {
      const ids = open.map((r) => r.eventId).join(', ');
      throw new UserError({
        vi: open.length === 0 ? `Đơn vị ${ref.unit} không có sự cố "${obligation.event}" nào đang mở.` : `Có nhiều sự cố đang mở (${ids}); hãy chọn bằng --event <mã>.`,
        en: open.length === 0 ? `Unit ${ref.unit} has no open "${obligation.event}" event.` : `Several events are open (${ids}); choose one with --event <id>.`,
      });
    }
    eventId = open[0].eventId ?? undefined;
  }
  const workflowId = instanceWorkflowId(plan.directive.id, obligation.id, ref.unit, obligation.kind === 'event' ? eventId : undefined);
  const instance = await getInstance(pool, workflowId);
  if (!instance) {
    throw new UserError({
      vi: `Chưa có phiên thực hiện ${workflowId} (máy chủ chưa ghi nhận trạng thái). Hãy thử lại sau giây lát.`,
      en: `No instance ${workflowId} yet (the runtime has not recorded its status). Try again in a moment.`,
    });
  }
  if (instance.status === 'withdrawn') {
    throw new UserError({ vi: `Nghĩa vụ này đã bị thu hồi (${workflowId}).`, en: `This obligation has been withdrawn (${workflowId}).` });
  }
  // The obligation as this unit's instance runs it: its reviewer may be its own parent (1.1, relations.ts).
  const target: Target = { plan, obligation: forAssignee(plan, obligation, ref.unit), unitId: ref.unit, workflowId, instance };
  if (eventId !== undefined && obligation.kind === 'event') target.eventId = eventId;
  return target;
}

export const TERMINAL = new Set(['completed-on-time', 'completed-late', 'withdrawn']);

/**
 * Whether an action stored earlier (a submission, an extension request) was for the run and cycle
 * the instance is in now. `earlier`: the cycle has closed, or the unit was removed and re-added
 * since (another run, InstanceInput.generation); sent now, it would be taken for the running one,
 * or ignored by it. `unknown`: a request stored before cycles were recorded.
 */
export function scopeOf(stored: { generation: number; cycle?: number }, instance: InstanceRow): 'current' | 'earlier' | 'unknown' {
  if (stored.generation !== instance.generation) return 'earlier';
  if (stored.cycle === undefined) return 'unknown';
  return stored.cycle === instance.cycle ? 'current' : 'earlier';
}

/** What an `earlier` action was for, in words: "for cycle 2", "for an earlier run of this duty". */
export function madeFor(stored: { generation: number; cycle?: number }, instance: InstanceRow): Bilingual {
  return stored.generation !== instance.generation
    ? { vi: 'cho một lần giao trước của nhiệm vụ này (đơn vị đã bị bỏ ra rồi được giao lại)', en: 'for an earlier run of this duty (the unit was removed and re-added since)' }
    : { vi: `cho chu kỳ ${stored.cycle}`, en: `for cycle ${stored.cycle}` };
}
