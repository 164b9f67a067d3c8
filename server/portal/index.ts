/**
 * Cổng thông tin: các trang HTML do máy chủ dựng (eta) trên cùng máy chủ Fastify với API, thêm htmx
 * cho vài chỗ cập nhật tại chỗ, không có bước build phía trình duyệt. Mọi thao tác gọi đúng các hàm
 * service/ mà API gọi và kiểm quyền theo đúng bảng server/authz.ts: cổng không có luật riêng.
 * The portal: server-rendered HTML pages (eta) on the API's Fastify server, htmx for the few
 * in-place updates, no client build step. Every action calls the same service/ functions as the
 * API and is authorised by the same table (server/authz.ts): the portal has no rules of its own.
 *
 *   GET  /                      → the actor's start page (or the sign-in page)
 *   GET  /dang-nhap  POST /dang-nhap  POST /dang-xuat
 *   GET  /nhiem-vu              the unit's tasks ("Nhiệm vụ của tôi")
 *   GET  /nhiem-vu/:d/:o/:u     a task; POST …/nop submits evidence, POST …/gia-han asks for an extension
 *   GET  /duyet                 the review queue; GET|POST /duyet/:submission a submission and its decision
 *   GET|POST /gia-han           pending extension requests and their decisions (./extensions.ts)
 *   GET  /tong-quan…            the leadership dashboard and its Excel export (./dashboard.ts)
 *   GET  /tong-quan/:d/don-vi/:u/don-doc.pdf|.docx   a reminder letter to a late unit (./letter-routes.ts)
 *   GET  /thong-bao             the inbox; POST /thong-bao/da-doc; GET /thong-bao/so-chua-doc (htmx)
 *   GET  /chi-thi…              the policy author's directives, upload, preview and deploy (./author.ts)
 *   GET  /tai-khoan…            the signed-in account and its API tokens (./account.ts)
 *   GET  /static/…              htmx (from the htmx.org package), portal.css and upload.js
 */
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import { Eta } from 'eta';
import { DateTime } from 'luxon';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getSubmission, listInstances, listLatestDeployments, markInboxRead, readInbox, type InboxNotice } from '../../activities/store/index.js';
import { submissionIdsOf, undecidedSubmissionOf } from '../../activities/store/portal.js';
import { ROOT } from '../../common/config.js';
import { EXTENSIONS_PATH, submissionPath, taskPath } from '../../common/portal-paths.js';
import type { Lang } from '../../common/cli-spec.js';
import { ROLE_TEXT, actorName, type Actor } from '../../common/roles.js';
import type { Plan } from '../../compiler/plan.js';
import { reviewerOf, reviewsAny } from '../../compiler/relations.js';
import { requestExtension } from '../../service/extension.js';
import { review } from '../../service/review.js';
import { resolveTarget, TERMINAL } from '../../service/target.js';
import type { InstanceStatus } from '../../workflows/types.js';
import { closeSession, openSession, requestSession } from '../auth/sessions.js';
import { allowed, authorize, scopesOf } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';
import { describeError, HttpError } from '../errors.js';
import { checkPassword } from '../routes/auth.js';
import { receiveSubmission } from '../submission-form.js';
import { dashboardRoutes, todayIn } from './dashboard.js';
import { tasksWorkbook, XLSX } from './export.js';
import { monthCalendar, parseMonth } from './task-calendar.js';
import { letterRoutes } from './letter-routes.js';
import { extensionRoutes, extensionsOf } from './extensions.js';
import { ACCOUNT_PATH, accountRoutes } from './account.js';
import { AUTHOR_PATH, authorRoutes } from './author.js';
import { helpers, pageLang, STATUS_ORDER } from './present.js';

const VIEWS = join(ROOT, 'server', 'portal', 'views');
const PUBLIC = join(ROOT, 'server', 'portal', 'public');
const HTMX = join(ROOT, 'node_modules', 'htmx.org', 'dist');

/** A row of the unit's task list (and of its calendar and Excel export). */
export interface UnitTask {
  href: string;
  directive: string;
  number: string;
  clause: string;
  title: string;
  status: InstanceStatus;
  due?: string;
  originalDue?: string;
  eventId?: string;
}

interface TaskRef {
  directive: string;
  obligation: string;
  unit: string;
}

// The pages' addresses live in common/: the notices link to them too.
export { taskPath };

/** A local path to return to after sign-in; anything else (another site, `//host`) becomes /. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

function startPage(actor: Actor): string {
  if (actor.roles.includes('officer') || actor.roles.includes('unit-head')) return '/nhiem-vu';
  if (actor.roles.includes('reviewer')) return '/duyet';
  // Leadership and the policy author come to see who is late where.
  if (actor.roles.includes('leadership') || actor.roles.includes('author')) return '/tong-quan';
  // Only roles that have an inbox land on it; the others (an administrator) on their account page.
  return scopesOf(actor, 'inbox.read').length > 0 ? '/thong-bao' : ACCOUNT_PATH;
}

export async function portalRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { pool, client, config, settings } = deps;
  // Production caches compiled templates; under tests and npm start an edited template shows at once.
  const eta = new Eta({ views: VIEWS, cache: process.env.NODE_ENV === 'production', autoEscape: true });
  await app.register(view, { engine: { eta }, templates: VIEWS });
  // upload.js: the evidence form's upload progress (a file: the CSP allows no inline script).
  await app.register(fastifyStatic, { root: [PUBLIC, HTMX], prefix: '/static/', allowedPath: (path) => path === '/portal.css' || path === '/htmx.min.js' || path === '/upload.js' });
  // The API's sign-in limiter, not one of the portal's own: one counter per client address for the
  // form and the API alike (server/auth/sign-in-limit.ts, registered at the root by app.ts).
  if (!app.hasDecorator('signInLimit')) throw new Error('portalRoutes needs the sign-in limiter (signInLimitPlugin) registered first');
  const signInLimit = app.signInLimit;

  /** The data every page's layout needs: who is signed in, the unread count, a CSRF token. */
  async function page(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown>, status = 200) {
    const lang = pageLang(request, reply);
    const actor = request.actor;
    let unread = 0;
    if (actor && allowed(actor, 'inbox.read', { unit: actor.unit })) unread = (await readInbox(pool, actor.unit, { unreadOnly: true, limit: 100 })).length;
    // Every form carries the token; one bound to the session (or to no session on the sign-in page).
    const csrf = reply.generateCsrf({ userInfo: requestSession(request) ?? '' });
    const url = new URL(request.url, 'http://x');
    url.searchParams.delete('lang');
    const here = url.pathname + (url.search || '');
    const nav = actor
      ? [
          ...(scopesOf(actor, 'submit').length > 0 ? [{ href: '/nhiem-vu', label: helpers(lang).t('Nhiệm vụ của tôi', 'My tasks') }] : []),
          ...(scopesOf(actor, 'review').length > 0 ? [{ href: '/duyet', label: helpers(lang).t('Duyệt minh chứng', 'Review') }] : []),
          ...(scopesOf(actor, 'extension.decide').length > 0 ? [{ href: EXTENSIONS_PATH, label: helpers(lang).t('Gia hạn', 'Extensions') }] : []),
          ...(scopesOf(actor, 'inbox.read').length > 0 ? [{ href: '/thong-bao', label: helpers(lang).t('Thông báo', 'Notifications') }] : []),
          ...(scopesOf(actor, 'directive.deploy').length > 0 ? [{ href: AUTHOR_PATH, label: helpers(lang).t('Chỉ thị', 'Directives') }] : []),
          // The dashboard for whoever reads more than its own unit (an officer's own view is its task list).
          ...(scopesOf(actor, 'status.read').some((s) => s !== 'own-unit') ? [{ href: '/tong-quan', label: helpers(lang).t('Tổng quan', 'Dashboard') }] : []),
        ]
      : [];
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view(template, {
        ...helpers(lang),
        actor,
        actorName: actor ? actorName(actor) : '',
        roleNames: actor ? actor.roles.map((r) => ROLE_TEXT[r].name[lang]).join(', ') : '',
        unread,
        csrf,
        nav,
        path: url.pathname,
        langHref: (l: Lang) => `${here}${here.includes('?') ? '&' : '?'}lang=${l}`,
        oidc: settings.oidc !== undefined,
        ...data,
      });
  }

  // Errors on pages are pages: not signed in → the sign-in page; not allowed → 403 in Vietnamese
  // (or English), saying why and who may; anything else with its message and a way back.
  app.setErrorHandler(async (err, request, reply) => {
    const known = describeError(err);
    if (known?.status === 401 && request.method === 'GET') return reply.redirect(`/dang-nhap?next=${encodeURIComponent(request.url)}`, 303);
    if (!known || known.status >= 500) request.log.error({ err }, 'portal page failed');
    const lang = pageLang(request, reply);
    const status = known?.status ?? 500;
    const message = known
      ? known.text[lang]
      : helpers(lang).t(`Lỗi nội bộ của máy chủ (mã tham chiếu ${request.id}). Hãy báo cho quản trị viên kèm mã này.`, `Internal server error (reference ${request.id}). Tell the administrator, with this reference.`);
    return page(request, reply, 'error', { status, message, back: request.headers.referer ?? '/' }, status);
  });

  app.get('/', { schema: { hide: true } }, async (request, reply) => reply.redirect(request.actor ? startPage(request.actor) : '/dang-nhap', 303));

  // ---- sign-in and out

  app.get<{ Querystring: { next?: string; loi?: string } }>('/dang-nhap', { schema: { hide: true } }, async (request, reply) => {
    if (request.actor) return reply.redirect(safeNext(request.query.next), 303);
    return page(request, reply, 'sign-in', { next: safeNext(request.query.next), failed: request.query.loi !== undefined, login: '' });
  });

  app.post<{ Body: { login?: string; password?: string; next?: string } }>(
    '/dang-nhap',
    // The password is the proof, as on the API's sign-in route: an old session must not demand a token.
    { onRequest: signInLimit, config: { csrf: false }, schema: { hide: true } },
    async (request, reply) => {
      const { login = '', password = '', next } = request.body ?? {};
      try {
        const account = await checkPassword(pool, login, password);
        await openSession(pool, settings, reply, account.login, 'password');
      } catch (err) {
        const known = describeError(err);
        if (known?.status !== 401 && known?.status !== 403) throw err;
        return page(request, reply, 'sign-in', { next: safeNext(next), failed: true, message: known.text[pageLang(request, reply)], login }, known.status);
      }
      return reply.redirect(safeNext(next) === '/' ? '/' : safeNext(next), 303);
    },
  );

  app.post('/dang-xuat', { schema: { hide: true } }, async (request, reply) => {
    await closeSession(pool, settings, request, reply);
    return reply.redirect('/dang-nhap', 303);
  });

  // ---- the unit's tasks

  app.get<{ Querystring: { 'chi-thi'?: string; 'trang-thai'?: string; trong?: string; xem?: string; thang?: string } }>('/nhiem-vu', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    // A unit sees its own tasks only: whoever may read its own unit's status (officer, unit head).
    authorize(actor, 'status.read', { unit: actor.unit });
    const lang = pageLang(request, reply);
    const q = request.query;
    const filterDirective = q['chi-thi'] || undefined;
    const filterStatus = STATUS_ORDER.includes(q['trang-thai'] as InstanceStatus) ? (q['trang-thai'] as InstanceStatus) : undefined;
    // "Due within N days": open tasks due by today + N, the overdue ones included (they are due
    // already, and the most pressing); a number the form did not offer is still taken, up to a year.
    const within = /^\d{1,3}$/.test(q.trong ?? '') ? Math.min(366, Number(q.trong)) : undefined;
    const calendar = q.xem === 'lich';
    const deployments = (await listLatestDeployments(pool)).filter((d) => d.status === 'active');
    const timeZone = deployments[0]?.plan.directive.timezone ?? 'Asia/Ho_Chi_Minh';
    const today = todayIn(timeZone);
    const until = within === undefined ? undefined : DateTime.fromISO(today, { zone: 'utc' }).plus({ days: within }).toISODate()!;
    const directives: { id: string; number: string }[] = [];
    const tasks: UnitTask[] = [];
    for (const d of deployments) {
      const plan = d.plan;
      const mine = plan.obligations.filter((o) => o.assignees.includes(actor.unit) || o.kind === 'event');
      if (mine.length === 0) continue;
      directives.push({ id: d.directiveId, number: plan.directive.number });
      if (filterDirective !== undefined && filterDirective !== d.directiveId) continue;
      const obligations = new Map(plan.obligations.map((o) => [o.id, o]));
      const rows = await listInstances(pool, d.directiveId, { unitId: actor.unit, ...(filterStatus && { status: filterStatus }) });
      for (const r of rows) {
        const o = obligations.get(r.obligationId);
        if (!o || r.status === 'withdrawn') continue;
        if (!allowed(actor, 'status.read', { unit: r.unitId, reviewer: o.reviewer, plan })) continue;
        if (until !== undefined && (TERMINAL.has(r.status) || r.due === undefined || r.due > until)) continue;
        tasks.push({
          href: taskPath(d.directiveId, r.obligationId, r.unitId, r.eventId),
          directive: d.directiveId,
          number: plan.directive.number,
          clause: o.clause,
          title: lang === 'en' ? (o.title.en ?? o.title.vi) : o.title.vi,
          status: r.status,
          ...(r.due !== undefined && { due: r.due }),
          ...(r.originalDue !== undefined && { originalDue: r.originalDue }),
          ...(r.eventId !== undefined && { eventId: r.eventId }),
        });
      }
    }
    // Due soonest first; a task without a due date (waiting for its turn) after the dated ones.
    tasks.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999') || a.number.localeCompare(b.number) || a.clause.localeCompare(b.clause));
    // The same filters, for the links that switch between the list, the calendar and the export.
    const query = (extra: Record<string, string>) => {
      const u = new URLSearchParams({ ...(filterDirective && { 'chi-thi': filterDirective }), ...(filterStatus && { 'trang-thai': filterStatus }), ...(within !== undefined && { trong: String(within) }), ...extra });
      return u.size > 0 ? `?${u}` : '';
    };
    if (q.xem === 'excel') {
      const body = await tasksWorkbook(tasks, lang);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="nhiem-vu-${actor.unit}.xlsx"`)
        .header('cache-control', 'no-store')
        .send(body);
    }
    const month = parseMonth(q.thang) ?? tasks.find((t) => t.due !== undefined && t.due >= today)?.due?.slice(0, 7) ?? today.slice(0, 7);
    const groups = STATUS_ORDER.map((s) => ({ status: s, tasks: tasks.filter((t) => t.status === s) })).filter((g) => g.tasks.length > 0);
    return page(request, reply, 'tasks', {
      groups,
      directives,
      filterDirective,
      filterStatus,
      within,
      statuses: STATUS_ORDER.filter((s) => s !== 'withdrawn'),
      total: tasks.length,
      calendar: calendar ? monthCalendar(month, today, tasks) : undefined,
      listHref: `/nhiem-vu${query({})}`,
      calendarHref: (m?: string) => `/nhiem-vu${query({ xem: 'lich', ...(m && { thang: m }) })}`,
      excelHref: `/nhiem-vu${query({ xem: 'excel' })}`,
    });
  });

  /** The task a page is about, once the actor may read it (403 otherwise: another unit's task). */
  async function taskOf(request: FastifyRequest<{ Params: TaskRef; Querystring: { 'su-kien'?: string } }>) {
    const actor = requireActor(request);
    const ref = { ...request.params, ...(request.query['su-kien'] && { event: request.query['su-kien'] }) };
    const target = await resolveTarget(pool, ref);
    authorize(actor, 'status.read', { unit: target.unitId, reviewer: target.obligation.reviewer, plan: target.plan });
    return { actor, target };
  }

  app.get<{ Params: TaskRef; Querystring: { 'su-kien'?: string; 'da-gui'?: string } }>('/nhiem-vu/:directive/:obligation/:unit', { schema: { hide: true } }, async (request, reply) => {
    const { actor, target } = await taskOf(request);
    const subject = { unit: target.unitId, reviewer: target.obligation.reviewer, plan: target.plan };
    const submissions = await Promise.all((await submissionIdsOf(pool, target.workflowId)).map((id) => getSubmission(pool, id)));
    submissions.reverse(); // newest first: the latest decision is what the officer came to read
    const extensions = await extensionsOf(deps, target.plan.directive.id, target.workflowId);
    const open = !TERMINAL.has(target.instance.status);
    return page(request, reply, 'task', {
      target,
      plan: target.plan,
      o: target.obligation,
      instance: target.instance,
      unitName: target.plan.units[target.unitId]?.name ?? { vi: target.unitId },
      tz: target.plan.directive.timezone,
      submissions,
      extensions,
      canSubmit: open && target.instance.status !== 'awaiting-review' && allowed(actor, 'submit', subject),
      canExtend: open && allowed(actor, 'extension.request', subject),
      action: taskPath(target.plan.directive.id, target.obligation.id, target.unitId),
      eventQuery: target.eventId === undefined ? '' : `?su-kien=${encodeURIComponent(target.eventId)}`,
      sent: request.query['da-gui'],
    });
  });

  app.post<{ Params: TaskRef }>(
    '/nhiem-vu/:directive/:obligation/:unit/nop',
    // multipart: the body is read as a stream by the handler, after the hook that checks CSRF tokens
    // has run; the form's first part is its `_csrf`, checked below before anything else is read.
    { config: { csrf: false }, schema: { hide: true } },
    async (request, reply) => {
      const actor = requireActor(request);
      let checked = actor.via !== 'session';
      const result = await receiveSubmission(request, reply, actor, deps, {
        skipEmptyFiles: true,
        onText: async (name, value, fields) => {
          if (name === '_csrf') {
            await verifyCsrf(request, reply, value);
            checked = true;
            return true;
          }
          if (!checked) await verifyCsrf(request, reply, undefined);
          // One input per evidence requirement (`f.<name>`); an empty optional input is no evidence.
          if (name.startsWith('f.')) {
            if (value.trim() !== '') fields.push([name.slice(2), value]);
            return true;
          }
          return false;
        },
      });
      if (!checked) await verifyCsrf(request, reply, undefined);
      const target = await resolveTarget(pool, { ...request.params });
      const sub = await getSubmission(pool, result.submissionId);
      return page(request, reply, 'receipt', { result, sub, plan: target.plan, o: target.obligation, tz: target.plan.directive.timezone, back: taskPath(request.params.directive, request.params.obligation, request.params.unit) }, result.created ? 201 : 200);
    },
  );

  // The receipt's address, asked for again (a reload after the upload form's htmx request put it in
  // the address bar, or a bookmark): the task, whose history lists the submission and its sha256.
  app.get<{ Params: TaskRef }>('/nhiem-vu/:directive/:obligation/:unit/nop', { schema: { hide: true } }, async (request, reply) =>
    reply.redirect(taskPath(request.params.directive, request.params.obligation, request.params.unit), 303),
  );

  app.post<{ Params: TaskRef; Body: { until?: string; reason?: string; event?: string } }>('/nhiem-vu/:directive/:obligation/:unit/gia-han', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    const { until = '', reason = '', event } = request.body ?? {};
    const ref = { ...request.params, ...(event && { event }) };
    const target = await resolveTarget(pool, ref);
    authorize(actor, 'extension.request', { unit: target.unitId, reviewer: target.obligation.reviewer, plan: target.plan });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || reason.trim() === '') {
      throw new HttpError(400, 'invalid-request', { vi: 'Cần chọn ngày xin gia hạn đến và ghi lý do.', en: 'Choose the date to extend to and give a reason.' });
    }
    await requestExtension({ ...ref, until, reason, by: actorName(actor) }, { client, pool, config });
    const back = taskPath(request.params.directive, request.params.obligation, request.params.unit, event);
    return reply.redirect(`${back}${back.includes('?') ? '&' : '?'}da-gui=gia-han`, 303);
  });

  // ---- review

  app.get('/duyet', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    if (scopesOf(actor, 'review').length === 0) authorize(actor, 'review');
    const lang = pageLang(request, reply);
    const items: { href: string; number: string; clause: string; title: string; unitName: string; at: string; by: string; tz: string }[] = [];
    for (const d of (await listLatestDeployments(pool)).filter((x) => x.status === 'active')) {
      const plan: Plan = d.plan;
      // Per assignee: a reviewer may be each unit's own parent (`reviewer: assignee.parent`, relations.ts).
      for (const o of plan.obligations.filter((x) => reviewsAny(plan, x, actor.unit))) {
        for (const r of await listInstances(pool, d.directiveId, { obligationId: o.id, status: 'awaiting-review' })) {
          if (!allowed(actor, 'review', { unit: r.unitId, reviewer: reviewerOf(plan, o, r.unitId), plan })) continue;
          const id = await undecidedSubmissionOf(pool, r.workflowId, r.generation);
          if (!id) continue;
          const sub = await getSubmission(pool, id);
          const unit = plan.units[r.unitId];
          items.push({
            href: submissionPath(id),
            number: plan.directive.number,
            clause: o.clause,
            title: lang === 'en' ? (o.title.en ?? o.title.vi) : o.title.vi,
            unitName: unit ? (lang === 'en' ? (unit.name.en ?? unit.name.vi) : unit.name.vi) : r.unitId,
            at: sub.at,
            by: sub.submittedBy,
            tz: plan.directive.timezone,
          });
        }
      }
    }
    items.sort((a, b) => a.at.localeCompare(b.at)); // oldest first: who has waited longest
    return page(request, reply, 'queue', { items });
  });

  async function submissionFor(request: FastifyRequest<{ Params: { id: string } }>) {
    const actor = requireActor(request);
    if (!/^[0-9a-f-]{36}$/i.test(request.params.id)) throw new HttpError(404, 'not-found', { vi: 'Không có lần nộp này.', en: 'No such submission.' });
    const sub = await getSubmission(pool, request.params.id);
    const target = await resolveTarget(pool, { directive: sub.directiveId, obligation: sub.obligationId, unit: sub.unitId, ...(sub.eventId !== undefined && { event: sub.eventId }) });
    const subject = { unit: sub.unitId, reviewer: target.obligation.reviewer, plan: target.plan };
    authorize(actor, 'evidence.read', subject);
    const undecided = target.instance.status === 'awaiting-review' && (await undecidedSubmissionOf(pool, target.workflowId, target.instance.generation)) === sub.submissionId;
    return { actor, sub, target, subject, undecided };
  }

  app.get<{ Params: { id: string } }>('/duyet/:id', { schema: { hide: true } }, async (request, reply) => {
    const { actor, sub, target, subject, undecided } = await submissionFor(request);
    return page(request, reply, 'submission', {
      sub,
      plan: target.plan,
      o: target.obligation,
      tz: target.plan.directive.timezone,
      unitName: target.plan.units[sub.unitId]?.name ?? { vi: sub.unitId },
      canDecide: undecided && allowed(actor, 'review', subject),
      taskHref: taskPath(sub.directiveId, sub.obligationId, sub.unitId, sub.eventId),
    });
  });

  app.post<{ Params: { id: string }; Body: { decision?: string; comment?: string } }>('/duyet/:id', { schema: { hide: true } }, async (request, reply) => {
    const { actor, sub, subject, undecided } = await submissionFor(request);
    authorize(actor, 'review', subject);
    const decision = request.body?.decision;
    if (decision !== 'accept' && decision !== 'reject') throw new HttpError(400, 'invalid-request', { vi: 'Chọn chấp nhận hoặc từ chối.', en: 'Choose accept or reject.' });
    const comment = request.body?.comment?.trim() ?? '';
    if (decision === 'reject' && comment === '') {
      throw new HttpError(400, 'invalid-request', { vi: 'Khi từ chối, hãy ghi nhận xét để đơn vị biết cần sửa gì.', en: 'When rejecting, write a comment so the unit knows what to fix.' });
    }
    if (!undecided) {
      throw new HttpError(409, 'conflict', { vi: 'Lần nộp này không còn chờ duyệt (đã có quyết định, hoặc đơn vị đã nộp lần khác). Mở lại hàng chờ duyệt.', en: 'This submission no longer awaits review (decided already, or the unit has submitted again). Open the review queue again.' });
    }
    await review(
      { directive: sub.directiveId, obligation: sub.obligationId, unit: sub.unitId, ...(sub.eventId !== undefined && { event: sub.eventId }), decision, ...(comment !== '' && { comment }), as: actorName(actor) },
      { client, pool, config },
    );
    return reply.redirect(`/duyet?da-duyet=${decision}`, 303);
  });

  // ---- the leadership dashboard (server/portal/dashboard.ts)

  await dashboardRoutes(app, deps, page);
  await letterRoutes(app, deps);

  // ---- extension decisions (server/portal/extensions.ts)

  await extensionRoutes(app, deps, page);

  // ---- the policy author (server/portal/author.ts) and the account's API tokens (./account.ts)

  await authorRoutes(app, deps, page, verifyCsrf);
  await accountRoutes(app, deps, page);

  // ---- inbox

  app.get('/thong-bao', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    authorize(actor, 'inbox.read', { unit: actor.unit });
    const notices = await readInbox(pool, actor.unit, { limit: 100 });
    const zones = new Map((await listLatestDeployments(pool)).map((d) => [d.directiveId, d.plan.directive.timezone]));
    const tz = (n: InboxNotice) => zones.get(n.directiveId) ?? 'Asia/Ho_Chi_Minh';
    const links = (n: InboxNotice) => (n.obligationId ? taskPath(n.directiveId, n.obligationId, actor.unit) : undefined);
    return page(request, reply, 'inbox', { notices, tz, links });
  });

  app.post('/thong-bao/da-doc', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    authorize(actor, 'inbox.read', { unit: actor.unit });
    await markInboxRead(pool, actor.unit);
    return reply.redirect('/thong-bao', 303);
  });

  // The header's unread count, refreshed in place by htmx.
  app.get('/thong-bao/so-chua-doc', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    authorize(actor, 'inbox.read', { unit: actor.unit });
    const n = (await readInbox(pool, actor.unit, { unreadOnly: true, limit: 100 })).length;
    const lang = pageLang(request, reply);
    return reply.header('cache-control', 'no-store').view('unread', { ...helpers(lang), unread: n });
  });
}

/**
 * The CSRF check of server/auth/plugin.ts for a multipart form, whose fields the hook that checks
 * other forms cannot see: the same @fastify/csrf-protection check on the form's `_csrf` part.
 */
function verifyCsrf(request: FastifyRequest, reply: FastifyReply, token: string | undefined): Promise<void> {
  const refused = () =>
    new HttpError(403, 'csrf-token', {
      vi: 'Thiếu mã chống giả mạo (CSRF) hoặc mã không đúng. Tải lại trang rồi gửi lại biểu mẫu.',
      en: 'The CSRF token is missing or wrong. Reload the page and send the form again.',
    });
  if (!token) return Promise.reject(refused());
  (request as { body: unknown }).body = { _csrf: token };
  return new Promise((resolve, reject) => {
    const capture = Object.create(reply, { send: { value: () => (reject(refused()), capture) } }) as FastifyReply;
    request.server.csrfProtection(request, capture, () => resolve());
  });
}
