/**
 * Trang của người soạn chỉ thị trên cổng: danh sách chỉ thị với lần sửa đổi và trạng thái triển
 * khai; tải lên một tệp YAML (có thể kèm danh mục đơn vị) → lỗi của trình biên dịch kèm số dòng và
 * gợi ý, hoặc tóm tắt kế hoạch và, với một lần sửa đổi, những phiên sẽ bắt đầu / sửa đổi / thu hồi;
 * rồi nút Xác nhận để triển khai. Biên dịch bằng đúng compileUpload mà API triển khai dùng, triển
 * khai bằng đúng service/deploy.ts, kiểm quyền `directive.deploy` của server/authz.ts.
 * The policy author's pages: the directives with their revision and deployment state; upload a YAML
 * file (and optionally its registry) → the compiler's diagnostics with their lines and hints, or the
 * plan's summary and, for an amendment, the instances it starts / amends / withdraws; then Confirm
 * deploys. Compiled by the deploy API's own compileUpload, deployed by service/deploy.ts,
 * authorised by `directive.deploy` in server/authz.ts.
 *
 *   GET  /chi-thi             the directives (and the upload form)
 *   POST /chi-thi/xem-truoc   multipart upload → diagnostics, or the plan's summary and diff
 *   POST /chi-thi/trien-khai  the confirmation: deploys the plan previewed, or refuses (409)
 *   GET  /chi-thi/:d/thu-hoi  what withdrawing an active directive would do; POST withdraws it
 *                             (service/withdraw.ts, authorised by `directive.withdraw`)
 *
 * The confirmation deploys exactly what was previewed without keeping anything on the server: the
 * preview page carries the uploaded texts back (base64, so no line ending is rewritten on the way),
 * with the `asOf` they were compiled at, the previewed plan's hash and the hash of the deployment it
 * was compared with. On confirming, the texts are compiled again and deployed only if they give the
 * same plan and the deployed one is still the one the diff was computed against. Nothing to expire,
 * nothing lost on a restart, and any server of several can take the confirmation.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getLatestDeployment, listLatestDeployments, type Deployment } from '../../activities/store/index.js';
import type { Diagnostic } from '../../compiler/index.js';
import type { Plan, PlanObligation } from '../../compiler/plan.js';
import { isRelation, RELATION_TEXT } from '../../compiler/relations.js';
import { actorName } from '../../common/roles.js';
import { deploy, diff } from '../../service/deploy.js';
import { FIELD_LABEL, planImpact, valueWords, type FieldChange } from '../../service/impact.js';
import { durationWords, everyWords } from '../../common/durations.js';
import { timingBasis } from '../../common/timing-words.js';
import type { Bilingual } from '../../common/cli-spec.js';
import { plannedInstances } from '../../service/instances.js';
import { withdrawalPreview, withdrawDirective } from '../../service/withdraw.js';
import { allowed, authorize } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';
import { compileUpload, UPLOADED_REGISTRY_NAME, uploadFileName, type DirectiveUpload } from '../directive-upload.js';
import { HttpError } from '../errors.js';
import { pageLang, STATUS_ORDER } from './present.js';

/** The portal's page renderer (server/portal/index.ts): layout data, CSRF token, cache headers. */
type Page = (request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown>, status?: number) => Promise<unknown>;
/** The portal's CSRF check of a multipart form's `_csrf` part (server/portal/index.ts). */
type VerifyCsrf = (request: FastifyRequest, reply: FastifyReply, token: string | undefined) => Promise<void>;

export const AUTHOR_PATH = '/chi-thi';

/** The page that says what withdrawing a directive would do, and the form that does it. */
export const withdrawPath = (directiveId: string) => `${AUTHOR_PATH}/${encodeURIComponent(directiveId)}/thu-hoi`;

/** As the deploy API's body limit: a directive is text, a few hundred kilobytes at the most. */
const MAX_YAML_BYTES = 5 * 1024 * 1024;

/** What the confirmation form carries back (see the module comment). */
interface ConfirmBody {
  source?: string;
  registry?: string;
  fileName?: string;
  asOf?: string;
  plan?: string;
  previous?: string;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A diagnostic as the page shows it: the offending line quoted when the file is one we hold. */
export interface ShownDiagnostic extends Diagnostic {
  quote?: string;
}

function quoted(diagnostics: Diagnostic[], texts: Map<string, string>): ShownDiagnostic[] {
  return diagnostics.map((d) => {
    const line = texts.get(d.file)?.split(/\r?\n/)[d.line - 1];
    return line === undefined ? d : { ...d, quote: line };
  });
}

/**
 * One row of the summary: a clause and when it is due, as the author wrote it: a deadline's date,
 * else its period in words (common/durations.ts, as chithi compile prints it: "mỗi 6 tháng",
 * "trong 4 giờ").
 */
function when(o: PlanObligation, clauseOf: (id: string) => string | undefined): { kind: string; date?: string; words?: Bilingual; basis?: Bilingual } {
  const basis = timingBasis(o, clauseOf);
  // Counted from the receipt or another duty's completion: no date to show before it runs.
  if (o.relativeDue && basis) return { kind: o.kind, words: basis };
  return { ...whenWritten(o), ...(basis && { basis }) };
}

function whenWritten(o: PlanObligation): { kind: string; date?: string; words?: Bilingual } {
  switch (o.kind) {
    case 'deadline':
      return { kind: 'deadline', date: o.effectiveDue };
    case 'recurring':
      return { kind: 'recurring', words: everyWords(o.every) };
    case 'event': {
      const w = durationWords(o.within);
      return { kind: 'event', words: { vi: `trong ${w.vi}`, en: `within ${w.en}` } };
    }
    case 'ongoing':
      return { kind: 'ongoing', words: everyWords(o.attestEvery) };
  }
}

interface DiffRow {
  clause: string;
  title: { vi: string; en?: string };
  unit: string;
  unitName: { vi: string; en?: string };
  reason?: string;
}

/** service/deploy.ts's diff of the plan against the deployed one, in rows a page can show. */
export function planDiff(plan: Plan, previous: Plan | undefined) {
  const { ops, unchanged } = diff(plan, previous);
  const before = new Map(previous ? plannedInstances(previous).map((p) => [p.workflowId, p]) : []);
  const row = (p: Plan, o: PlanObligation, unit: string, reason?: string): DiffRow => ({
    clause: o.clause,
    title: o.title,
    unit,
    unitName: p.units[unit]?.name ?? { vi: unit },
    ...(reason !== undefined && { reason }),
  });
  const start: DiffRow[] = [];
  const amend: DiffRow[] = [];
  const withdraw: DiffRow[] = [];
  for (const op of ops) {
    if (op.kind === 'start') start.push(row(plan, op.instance.obligation, op.instance.unitId));
    else if (op.kind === 'amend') amend.push(row(plan, op.instance.obligation, op.instance.unitId));
    else {
      const old = before.get(op.workflowId);
      // Every withdrawn id comes from the previous plan's instances; the fallback is only for the type.
      withdraw.push(old && previous ? row(previous, old.obligation, old.unitId, op.reason) : { clause: '', title: { vi: op.workflowId }, unit: '', unitName: { vi: '' }, reason: op.reason });
    }
  }
  const order = (a: DiffRow, b: DiffRow) => a.clause.localeCompare(b.clause, 'vi', { numeric: true }) || a.unit.localeCompare(b.unit);
  return { start: start.sort(order), amend: amend.sort(order), withdraw: withdraw.sort(order), unchanged };
}

/**
 * Whether the recorded deployment lets this plan be deployed, as service/deploy.ts will judge it
 * (said before the Confirm button rather than after it): withdrawn or superseded, nothing more;
 * an older revision than the deployed one, refused; the same plan, nothing to do.
 */
function verdict(plan: Plan, recorded: Deployment | undefined): 'new' | 'amend' | 'same' | 'closed' | 'older' {
  if (!recorded) return 'new';
  if (recorded.status !== 'active') return 'closed';
  if (recorded.plan.directive.revision > plan.directive.revision) return 'older';
  if (recorded.planHash === plan.hash) return 'same';
  return 'amend';
}

function decodeUtf8(buf: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new HttpError(400, 'invalid-request', { vi: `Tệp ${what} không phải văn bản UTF-8. Lưu lại tệp YAML với bảng mã UTF-8.`, en: `The ${what} file is not UTF-8 text. Save the YAML file as UTF-8.` });
  }
}

export async function authorRoutes(app: FastifyInstance, deps: ServerDeps, page: Page, verifyCsrf: VerifyCsrf): Promise<void> {
  const { pool, client, config } = deps;

  app.get<{ Querystring: { 'da-trien-khai'?: string; 'da-thu-hoi'?: string; phien?: string } }>(AUTHOR_PATH, { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    authorize(actor, 'directive.deploy');
    const directives = (await listLatestDeployments(pool)).sort((a, b) => b.deployedAt.localeCompare(a.deployedAt));
    const deployed = request.query['da-trien-khai'];
    const done = deployed === undefined ? undefined : directives.find((d) => d.directiveId === deployed);
    // After a withdrawal: said only if the list agrees that the directive is withdrawn.
    const withdrawnId = request.query['da-thu-hoi'];
    const withdrawn = directives.find((d) => d.directiveId === withdrawnId && d.status === 'withdrawn');
    const stopped = /^\d{1,7}$/.test(request.query.phien ?? '') ? Number(request.query.phien) : undefined;
    return page(request, reply, 'author', {
      directives,
      done,
      ...(withdrawn && { withdrawn: { number: withdrawn.plan.directive.number, stopped } }),
      canWithdraw: allowed(actor, 'directive.withdraw'),
      withdrawPath,
    });
  });

  // ---- withdrawing a directive: first what it would do, then the form that does it

  /** The directive's deployment, while it is active: 404 never deployed, 409 withdrawn or superseded already. */
  async function activeDeployment(directiveId: string): Promise<Deployment> {
    const recorded = await getLatestDeployment(pool, directiveId);
    if (!recorded) throw new HttpError(404, 'not-found', { vi: `Chưa triển khai chỉ thị "${directiveId}".`, en: `Directive "${directiveId}" is not deployed.` });
    if (recorded.status !== 'active') {
      throw new HttpError(409, 'conflict', {
        vi: `Chỉ thị ${recorded.plan.directive.number} đã ${recorded.status === 'superseded' ? 'được thay thế' : 'bị thu hồi'}; không còn gì để thu hồi.`,
        en: `Directive ${recorded.plan.directive.number} was ${recorded.status} already; there is nothing left to withdraw.`,
      });
    }
    return recorded;
  }

  app.get<{ Params: { directive: string } }>(`${AUTHOR_PATH}/:directive/thu-hoi`, { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    authorize(actor, 'directive.withdraw');
    const recorded = await activeDeployment(request.params.directive);
    const { plan, open, closed } = await withdrawalPreview(pool, recorded.directiveId);
    // Each unit with a task that stops is told so (one notice per task): who, and how many.
    const perUnit = new Map<string, number>();
    for (const i of open) perUnit.set(i.unitId, (perUnit.get(i.unitId) ?? 0) + 1);
    const units = [...perUnit]
      .map(([id, tasks]) => ({ id, name: plan.units[id]?.name ?? { vi: id }, tasks }))
      .sort((a, b) => a.name.vi.localeCompare(b.name.vi, 'vi'));
    const byStatus = STATUS_ORDER.map((status) => ({ status, n: open.filter((i) => i.status === status).length })).filter((x) => x.n > 0);
    return page(request, reply, 'author-withdraw', {
      recorded,
      plan,
      stopping: open.length,
      closed,
      units,
      byStatus,
      unreported: open.filter((i) => i.status === undefined).length,
      action: withdrawPath(recorded.directiveId),
    });
  });

  app.post<{ Params: { directive: string } }>(`${AUTHOR_PATH}/:directive/thu-hoi`, { schema: { hide: true } }, async (request, reply) => {
    const actor = requireActor(request);
    authorize(actor, 'directive.withdraw');
    const recorded = await activeDeployment(request.params.directive);
    const result = await withdrawDirective(recorded.directiveId, { client, pool, by: actorName(actor) });
    return reply.redirect(`${AUTHOR_PATH}?da-thu-hoi=${encodeURIComponent(recorded.directiveId)}&phien=${result.withdrawn}`, 303);
  });

  app.post(
    `${AUTHOR_PATH}/xem-truoc`,
    // multipart: the hook that checks CSRF tokens cannot see its fields; its first part is `_csrf`,
    // checked below before any file is read (as the task page's evidence form).
    { config: { csrf: false }, schema: { hide: true } },
    async (request, reply) => {
      const actor = requireActor(request);
      authorize(actor, 'directive.deploy');
      if (!request.isMultipart()) throw new HttpError(415, 'unsupported-media-type', { vi: 'Gửi tệp bằng biểu mẫu tải lên.', en: 'Send the file with the upload form.' });
      let checked = actor.via !== 'session';
      let upload: DirectiveUpload | undefined;
      let registry: string | undefined;
      for await (const part of request.parts({ limits: { fileSize: MAX_YAML_BYTES, files: 2, fields: 5 } })) {
        if (part.type === 'field') {
          if (part.fieldname !== '_csrf') continue;
          await verifyCsrf(request, reply, String(part.value));
          checked = true;
          continue;
        }
        if (!checked) await verifyCsrf(request, reply, undefined);
        const buf = await part.toBuffer();
        if (part.file.truncated) throw new HttpError(413, 'too-large', { vi: 'Tệp YAML quá lớn (tối đa 5 MB).', en: 'The YAML file is too large (5 MB at most).' });
        // An optional file input left empty still sends a part, with no name and no bytes.
        if (!part.filename && buf.length === 0) continue;
        if (part.fieldname === 'tep') upload = { source: decodeUtf8(buf, part.filename), fileName: part.filename };
        else if (part.fieldname === 'danh-muc') registry = decodeUtf8(buf, part.filename);
      }
      if (!checked) await verifyCsrf(request, reply, undefined);
      if (!upload || upload.source.trim() === '') {
        throw new HttpError(400, 'invalid-request', { vi: 'Chọn tệp YAML của chỉ thị để tải lên.', en: 'Choose the directive\'s YAML file to upload.' });
      }
      return preview(request, reply, { ...upload, ...(registry !== undefined && { registry }) });
    },
  );

  /** The preview page: diagnostics, or the summary, the diff and the Confirm form. */
  async function preview(request: FastifyRequest, reply: FastifyReply, upload: DirectiveUpload, conflict?: { vi: string; en: string }) {
    const lang = pageLang(request, reply);
    const fileName = uploadFileName(upload.fileName);
    const texts = new Map([[fileName, upload.source], ...(upload.registry !== undefined ? [[UPLOADED_REGISTRY_NAME, upload.registry] as [string, string]] : [])]);
    const compiled = await compileUpload(upload);
    const common = { fileName: upload.fileName ?? fileName, sourceSha256: sha256(upload.source), ...(conflict && { conflict: conflict[lang] }) };
    if (!compiled.ok) {
      const diagnostics = quoted(compiled.diagnostics, texts);
      return page(request, reply, 'author-preview', { ...common, ok: false, diagnostics, errors: diagnostics.filter((d) => d.severity === 'error').length }, 400);
    }
    const plan = compiled.plan;
    const recorded = await getLatestDeployment(pool, plan.directive.id);
    const state = verdict(plan, recorded);
    const changes = state === 'new' || state === 'amend' ? planDiff(plan, state === 'amend' ? recorded!.plan : undefined) : undefined;
    // What the amendment changes, obligation by obligation (due dates from → to, reminders, …), and
    // the notices it sends: the same report as chithi deploy --dry-run (service/impact.ts).
    const impact = state === 'amend' ? planImpact(recorded!.plan, plan) : undefined;
    const clauseOf = (id: string) => plan.obligations.find((x) => x.id === id)?.clause;
    const obligations = plan.obligations.map((o) => ({ clause: o.clause, title: o.title, ...when(o, clauseOf), assignees: o.assignees.length, reviewer: isRelation(o.reviewer) ? RELATION_TEXT[o.reviewer] : (plan.units[o.reviewer]?.name ?? { vi: o.reviewer }) }));
    return page(
      request,
      reply,
      'author-preview',
      {
        ...common,
        ok: true,
        plan,
        recorded,
        state,
        changes,
        impact,
        fieldLabel: (f: FieldChange['field']) => FIELD_LABEL[f][lang],
        fieldValue: (f: FieldChange['field'], v: string) => valueWords(f, v, lang),
        obligations,
        units: Object.keys(plan.units).length,
        assignees: new Set(plan.obligations.flatMap((o) => o.assignees)).size,
        instances: plannedInstances(plan).length,
        events: plan.obligations.some((o) => o.kind === 'event'),
        warnings: quoted(compiled.diagnostics, texts),
        sameRevision: state === 'amend' && recorded!.plan.directive.revision === plan.directive.revision,
        confirm: {
          source: b64(upload.source),
          ...(upload.registry !== undefined && { registry: b64(upload.registry) }),
          fileName: upload.fileName ?? '',
          asOf: plan.directive.asOf,
          plan: plan.hash,
          previous: recorded?.planHash ?? '',
        },
      },
      conflict ? 409 : 200,
    );
  }

  app.post<{ Body: ConfirmBody }>(
    `${AUTHOR_PATH}/trien-khai`,
    // The uploaded texts come back in the form: room for the upload limit, in base64.
    { bodyLimit: Math.ceil((MAX_YAML_BYTES * 2 * 4) / 3) + 64 * 1024, schema: { hide: true } },
    async (request, reply) => {
      const actor = requireActor(request);
      authorize(actor, 'directive.deploy');
      const body = request.body ?? {};
      if (!body.source || !body.plan || !body.asOf) throw new HttpError(400, 'invalid-request', { vi: 'Thiếu nội dung xem trước; tải tệp lên lại.', en: 'The preview is missing; upload the file again.' });
      const upload: DirectiveUpload = {
        source: unb64(body.source),
        ...(body.registry && { registry: unb64(body.registry) }),
        ...(body.fileName && { fileName: body.fileName }),
        asOf: body.asOf,
      };
      const compiled = await compileUpload(upload);
      const recorded = compiled.ok ? await getLatestDeployment(pool, compiled.plan.directive.id) : undefined;
      // Deploy only the plan that was previewed, over the deployment its diff was computed from;
      // anything else is shown again as a fresh preview, with what changed said at the top.
      if (!compiled.ok || compiled.plan.hash !== body.plan) {
        return preview(request, reply, upload, {
          vi: 'Nội dung gửi lên khác với bản đã xem trước, nên chưa triển khai gì. Đây là bản xem trước của nội dung vừa gửi.',
          en: 'What was sent differs from what was previewed, so nothing was deployed. This is the preview of what was just sent.',
        });
      }
      if ((recorded?.planHash ?? '') !== (body.previous ?? '')) {
        return preview(request, reply, upload, {
          vi: `Chỉ thị ${compiled.plan.directive.id} vừa được triển khai lại (${recorded?.deployedBy ?? '?'}) sau khi bạn xem trước, nên chưa triển khai gì. Xem lại các thay đổi bên dưới rồi xác nhận lần nữa.`,
          en: `Directive ${compiled.plan.directive.id} was deployed again (${recorded?.deployedBy ?? '?'}) after your preview, so nothing was deployed. Review the changes below and confirm again.`,
        });
      }
      const plan = compiled.plan;
      await deploy(plan, { client, pool, taskQueue: config.temporal.taskQueue, by: actorName(actor) });
      return reply.redirect(`${AUTHOR_PATH}?da-trien-khai=${encodeURIComponent(plan.directive.id)}`, 303);
    },
  );
}
