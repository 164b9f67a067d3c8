/**
 * Đề nghị gia hạn trên cổng thông tin, phía cơ quan duyệt: danh sách đề nghị đang chờ của các nghĩa
 * vụ đơn vị mình duyệt (/gia-han), chấp thuận, chấp thuận đến một ngày khác, hoặc không chấp thuận
 * kèm ý kiến, cho một hay nhiều đề nghị cùng lúc. Mỗi quyết định đi qua đúng decideExtension của
 * service/extension.ts và đúng quyền `extension.decide` mà API dùng.
 * Extension requests in the portal, for the reviewing agency: the pending requests of the
 * obligations its unit reviews (/gia-han); approve, approve another date, or reject with a comment,
 * one request or several at once. Each decision goes through service/extension.ts's
 * decideExtension and the `extension.decide` permission, exactly as the API's.
 *
 *   GET  /gia-han   the pending requests, oldest first
 *   POST /gia-han   one decision on the ticked requests (`chon`, repeated)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listExtensions, listInstances, listLatestDeployments, type ExtensionRecord } from '../../activities/store/index.js';
import { EXTENSIONS_PATH, taskPath } from '../../common/portal-paths.js';
import { actorName, type Actor } from '../../common/roles.js';
import { reviewerOf, reviewsAny } from '../../compiler/relations.js';
import { decideExtension } from '../../service/extension.js';
import { TERMINAL } from '../../service/target.js';
import { allowed, authorize, scopesOf } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';
import { describeError, HttpError } from '../errors.js';
import { pageLang } from './present.js';

/** The portal's page renderer (server/portal/index.ts): layout data, CSRF token, cache headers. */
type Page = (request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown>, status?: number) => Promise<unknown>;

export interface PendingExtension {
  requestId: string;
  directive: string;
  obligation: string;
  unit: string;
  /** The obligation's reviewing unit: the actor's, by construction; checked again on deciding. */
  reviewer: string;
  event?: string;
  number: string;
  clause: string;
  title: { vi: string; en?: string };
  unitName: { vi: string; en?: string };
  due?: string;
  originalDue?: string;
  until: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  tz: string;
  taskHref: string;
}

/**
 * The requests the actor's unit may decide now: pending, of an open instance's running run and
 * cycle (a request of a closed cycle lapsed with it: decideExtension would refuse it), of an
 * obligation its unit reviews, never its own unit's.
 */
async function pendingFor(deps: ServerDeps, actor: Actor): Promise<PendingExtension[]> {
  const out: PendingExtension[] = [];
  for (const d of (await listLatestDeployments(deps.pool)).filter((x) => x.status === 'active')) {
    const plan = d.plan;
    const reviewed = plan.obligations.filter((o) => reviewsAny(plan, o, actor.unit));
    if (reviewed.length === 0) continue;
    const pending = await listExtensions(deps.pool, d.directiveId, { pending: true });
    if (pending.length === 0) continue;
    for (const o of reviewed) {
      const rows = new Map((await listInstances(deps.pool, d.directiveId, { obligationId: o.id })).map((r) => [r.workflowId, r]));
      for (const r of pending) {
        const row = rows.get(r.workflowId);
        if (!row || TERMINAL.has(row.status) || r.generation !== row.generation || r.cycle !== row.cycle) continue;
        const reviewer = reviewerOf(plan, o, row.unitId);
        if (!allowed(actor, 'extension.decide', { unit: row.unitId, reviewer, plan })) continue;
        out.push({
          requestId: r.requestId,
          directive: d.directiveId,
          obligation: o.id,
          unit: row.unitId,
          reviewer,
          ...(row.eventId !== undefined && { event: row.eventId }),
          number: plan.directive.number,
          clause: o.clause,
          title: o.title,
          unitName: plan.units[row.unitId]?.name ?? { vi: row.unitId },
          ...(row.due !== undefined && { due: row.due }),
          ...(row.originalDue !== undefined && { originalDue: row.originalDue }),
          until: r.until,
          reason: r.reason,
          requestedBy: r.requestedBy,
          requestedAt: r.requestedAt,
          tz: plan.directive.timezone,
          taskHref: taskPath(d.directiveId, o.id, row.unitId, row.eventId),
        });
      }
    }
  }
  // Oldest first: who has waited longest.
  return out.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.requestId.localeCompare(b.requestId));
}

export async function extensionRoutes(app: FastifyInstance, deps: ServerDeps, page: Page): Promise<void> {
  app.get<{ Querystring: { 'da-quyet'?: string } }>(EXTENSIONS_PATH, { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    if (scopesOf(actor, 'extension.decide').length === 0) authorize(actor, 'extension.decide');
    const decided = Number.parseInt(request.query['da-quyet'] ?? '', 10);
    return page(request, reply, 'extensions', { items: await pendingFor(deps, actor), decided: Number.isFinite(decided) ? decided : undefined, failures: [] });
  });

  app.post<{ Body: { chon?: string | string[]; decision?: string; until?: string; comment?: string } }>(EXTENSIONS_PATH, { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    if (scopesOf(actor, 'extension.decide').length === 0) authorize(actor, 'extension.decide');
    const lang = pageLang(request, reply);
    const body = request.body ?? {};
    const chosen = [...new Set(Array.isArray(body.chon) ? body.chon : body.chon ? [body.chon] : [])];
    const decision = body.decision;
    const until = body.until?.trim() ?? '';
    const comment = body.comment?.trim() ?? '';
    if (chosen.length === 0) throw new HttpError(400, 'invalid-request', { vi: 'Chọn ít nhất một đề nghị gia hạn.', en: 'Tick at least one extension request.' });
    if (decision !== 'approve' && decision !== 'approve-date' && decision !== 'reject') {
      throw new HttpError(400, 'invalid-request', { vi: 'Chọn chấp thuận, chấp thuận đến ngày khác, hoặc không chấp thuận.', en: 'Choose approve, approve another date, or reject.' });
    }
    if (decision === 'approve-date' && !/^\d{4}-\d{2}-\d{2}$/.test(until)) {
      throw new HttpError(400, 'invalid-request', { vi: 'Chọn ngày gia hạn đến để chấp thuận đến ngày khác.', en: 'Choose the date to extend to, to approve another date.' });
    }
    if (decision === 'reject' && comment === '') {
      throw new HttpError(400, 'invalid-request', { vi: 'Khi không chấp thuận, hãy ghi ý kiến để đơn vị biết lý do.', en: 'When rejecting, write a comment so the unit knows why.' });
    }
    // Only requests still listed for this actor are decided: one decided meanwhile, lapsed with its
    // cycle or outside the actor's reach is reported, not decided.
    const listed = new Map((await pendingFor(deps, actor)).map((p) => [p.requestId, p]));
    const failures: { requestId: string; what: string; message: string }[] = [];
    let done = 0;
    for (const id of chosen) {
      const p = listed.get(id);
      if (!p) {
        failures.push({ requestId: id, what: id, message: lang === 'en' ? 'No longer pending (decided already, or its cycle has closed).' : 'Không còn chờ quyết định (đã được quyết định, hoặc chu kỳ đã kết thúc).' });
        continue;
      }
      authorize(actor, 'extension.decide', { unit: p.unit, reviewer: p.reviewer });
      try {
        await decideExtension(
          {
            directive: p.directive,
            obligation: p.obligation,
            unit: p.unit,
            ...(p.event !== undefined && { event: p.event }),
            requestId: p.requestId,
            approve: decision !== 'reject',
            ...(decision === 'approve-date' && { until }),
            ...(comment !== '' && { comment }),
            by: actorName(actor),
          },
          { client: deps.client, pool: deps.pool, config: deps.config },
        );
        done += 1;
      } catch (err) {
        const known = describeError(err);
        if (!known || known.status >= 500) throw err;
        failures.push({ requestId: id, what: `${p.number}, ${p.clause} — ${lang === 'en' ? (p.unitName.en ?? p.unitName.vi) : p.unitName.vi}`, message: known.text[lang] });
      }
    }
    if (failures.length === 0) return reply.redirect(`${EXTENSIONS_PATH}?da-quyet=${done}`, 303);
    return page(request, reply, 'extensions', { items: await pendingFor(deps, actor), decided: done, failures }, done > 0 ? 200 : 409);
  });
}

/** An instance's extension requests, newest first, for its task page. */
export async function extensionsOf(deps: Pick<ServerDeps, 'pool'>, directive: string, workflowId: string): Promise<ExtensionRecord[]> {
  return (await listExtensions(deps.pool, directive, { workflowId })).reverse();
}
