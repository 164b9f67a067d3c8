/**
 * Tải văn bản đôn đốc một đơn vị chậm trễ, dạng PDF hoặc DOCX, từ bảng tổng quan của lãnh đạo. Ai
 * được tạo: theo bảng server/authz.ts (`reminder.draft`: lãnh đạo có tên trong chỉ thị, người soạn).
 * The reminder letter to a late unit, as PDF or DOCX, from the leadership dashboard. Who may: the
 * table of server/authz.ts (`reminder.draft`: leadership named in the directive signs it, the policy
 * author drafts it). Generating it writes nothing: the office registers and sends the signed letter.
 *
 *   GET /tong-quan/:directive/don-vi/:unit/don-doc.pdf    the letter as PDF (Tinos embedded)
 *   GET /tong-quan/:directive/don-vi/:unit/don-doc.docx   the same letter as DOCX, to edit before signing
 *
 * A unit with nothing overdue gets 409 and the portal's error page saying so: there is nothing to
 * remind it of, and an empty letter would be worse than none.
 */
import type { FastifyInstance } from 'fastify';
import { getLatestDeployment, listInstances, type Db } from '../../activities/store/index.js';
import type { Plan } from '../../compiler/plan.js';
import { authorize } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';
import { HttpError } from '../errors.js';
import { daysBetween, todayIn } from './dashboard.js';
import { buildLetter, type LetterTask } from './letter.js';
import { formatDate } from './present.js';
import { letterDocx } from './letter-docx.js';
import { letterPdf } from './letter-pdf.js';

const FORMATS = {
  pdf: { type: 'application/pdf', render: letterPdf },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', render: letterDocx },
} as const;

/**
 * The unit's overdue tasks as the dashboard counts them (marked overdue, or open and past due on
 * `today`), in the directive's clause order.
 */
export async function overdueTasks(pool: Db, plan: Plan, unitId: string, today: string): Promise<LetterTask[]> {
  const order = new Map(plan.obligations.map((o, i) => [o.id, i]));
  const rows = await listInstances(pool, plan.directive.id, { unitId, overdue: true, asOf: today });
  rows.sort((a, b) => (order.get(a.obligationId) ?? 0) - (order.get(b.obligationId) ?? 0) || (a.eventId ?? '').localeCompare(b.eventId ?? '') || a.cycle - b.cycle);
  return rows.flatMap((r) => {
    const o = plan.obligations.find((x) => x.id === r.obligationId);
    if (!o || !r.due) return [];
    return [
      {
        clause: o.clause,
        title: o.title.vi,
        due: r.due,
        days: Math.max(0, daysBetween(r.due, today)),
        ...(r.status === 'awaiting-review' && { awaitingReview: true }),
        ...(r.eventId !== undefined && { eventId: r.eventId }),
        cycle: r.cycle,
      },
    ];
  });
}

export async function letterRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  for (const [format, { type, render }] of Object.entries(FORMATS)) {
    app.get<{ Params: { directive: string; unit: string } }>(`/tong-quan/:directive/don-vi/:unit/don-doc.${format}`, { schema: { hide: true } }, async (request, reply) => {
      const actor = requireActor(request);
      const { directive, unit: unitId } = request.params;
      const deployment = await getLatestDeployment(deps.pool, directive);
      if (!deployment) throw new HttpError(404, 'not-found', { vi: `Không có chỉ thị ${directive}.`, en: `No directive ${directive}.` });
      const plan = deployment.plan;
      if (!plan.units[unitId]) throw new HttpError(404, 'not-found', { vi: `Chỉ thị ${plan.directive.number} không có đơn vị ${unitId}.`, en: `Directive ${plan.directive.number} names no unit ${unitId}.` });
      authorize(actor, 'reminder.draft', { unit: unitId, plan });
      const today = todayIn(plan.directive.timezone);
      const tasks = await overdueTasks(deps.pool, plan, unitId, today);
      if (tasks.length === 0) {
        const name = plan.units[unitId]!.name;
        throw new HttpError(409, 'conflict', {
          vi: `Đơn vị không có nhiệm vụ quá hạn: ${name.vi} không còn nhiệm vụ nào quá hạn theo chỉ thị ${plan.directive.number} (đến ngày ${formatDate(today)}), nên không cần văn bản đôn đốc.`,
          en: `The unit has no overdue task: ${name.en ?? name.vi} has nothing overdue under directive ${plan.directive.number} (as of ${formatDate(today)}), so there is no reminder letter to draft.`,
        });
      }
      const letter = buildLetter({ plan, unitId, tasks, today });
      const body = await render(letter);
      return reply
        .header('content-type', type)
        .header('content-disposition', `attachment; filename="${letter.meta.fileName}.${format}"`)
        .header('cache-control', 'no-store')
        .send(body);
    });
  }
}
