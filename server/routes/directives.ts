/**
 * Chỉ thị: triển khai (và sửa đổi), thu hồi, danh sách, tình hình thực hiện, nhật ký.
 * Directives: deploy (and amend), withdraw, list, status, audit trail. The server compiles the
 * YAML itself: a plan is never taken from a client, so what runs is what the source says.
 */
import type { FastifyInstance } from 'fastify';
import { actorName, type Actor } from '../../common/roles.js';
import type { Plan } from '../../compiler/plan.js';
import { reviewerOf, reviewsAny } from '../../compiler/relations.js';
import { STATUS_ORDER } from '../../common/status.js';
import { deploy } from '../../service/deploy.js';
import { pageOf, status, STATUS_PAGE, STATUS_PAGE_MAX } from '../../service/status.js';
import { deployedPlan } from '../../service/target.js';
import { withdrawDirective } from '../../service/withdraw.js';
import { getEvidenceContent, getSubmission, listAudit, listLatestDeployments } from '../../activities/store/index.js';
import { checkedMediaType } from '../../activities/media-type.js';
import type { InstanceStatus } from '../../workflows/types.js';
import { allowed, authorize, scopesOf } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';
import { compileUpload, DIRECTIVE_UPLOAD_BODY, invalidDirective } from '../directive-upload.js';
import { HttpError } from '../errors.js';
import { langOf } from '../lang.js';

const ERRORS = { 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 404: { $ref: 'Error#' }, 409: { $ref: 'Error#' } } as const;
const ID = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } } as const;

/** Which rows of a directive's status an actor may read; undefined: none. */
function statusScope(actor: Actor, plan: Plan): { all: true } | { units: Set<string>; reviews: boolean } | undefined {
  // With the plan alone as the subject, only the scopes that reach the whole directive (`any`, or
  // `named-in` for a directive naming the actor's unit) can allow.
  if (allowed(actor, 'status.read', { plan })) return { all: true };
  const scopes = scopesOf(actor, 'status.read');
  const own = scopes.includes('own-unit');
  const reviews = scopes.includes('reviews-it') && plan.obligations.some((o) => reviewsAny(plan, o, actor.unit));
  if (!own && !reviews) return undefined;
  return { units: new Set(own ? [actor.unit] : []), reviews };
}

export async function directiveRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { pool, client, config } = deps;

  app.post<{ Body: { source: string; fileName?: string; registry?: string; asOf?: string } }>(
    '/api/v1/directives',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: ['directives'],
        summary: 'Deploy a directive, or amend a deployed one (same id, new revision)',
        description:
          'The server compiles `source` (the YAML text). Its `metadata.registry` resolves against the uploaded `registry` (YAML text) if given, else against the server\'s directives/ folder. Errors: 400 with the diagnostics (line, column, code, hint). Allowed: policy author.',
        body: DIRECTIVE_UPLOAD_BODY,
        response: { 200: { $ref: 'DeployResult#' }, 201: { $ref: 'DeployResult#' }, ...ERRORS },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      authorize(actor, 'directive.deploy');
      const compiled = await compileUpload(request.body);
      if (!compiled.ok) throw invalidDirective(compiled.diagnostics, langOf(request), { vi: 'không triển khai gì.', en: 'nothing deployed.' });
      const plan = compiled.plan;
      const result = await deploy(plan, { client, pool, taskQueue: config.temporal.taskQueue, by: actorName(actor) });
      const d = plan.directive;
      return reply.status(result.alreadyDeployed ? 200 : 201).send({ directive: d.id, number: d.number, revision: d.revision, ...result });
    },
  );

  app.get(
    '/api/v1/directives',
    {
      schema: {
        tags: ['directives'],
        summary: 'Directives deployed, as far as the actor may read them',
        response: { 200: { type: 'array', items: { $ref: 'DirectiveSummary#' } }, 401: { $ref: 'Error#' } },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const lang = langOf(request);
      const all = await listLatestDeployments(pool);
      return all
        .filter((d) => statusScope(actor, d.plan) !== undefined || allowed(actor, 'directive.deploy'))
        .map((d) => ({
          id: d.directiveId,
          number: d.plan.directive.number,
          title: lang === 'en' ? (d.plan.directive.title.en ?? d.plan.directive.title.vi) : d.plan.directive.title.vi,
          revision: d.revision,
          status: d.status,
          ...(d.supersededBy !== undefined && { supersededBy: d.supersededBy }),
        }));
    },
  );

  app.post<{ Params: { id: string }; Body: { supersededBy?: string } }>(
    '/api/v1/directives/:id/withdraw',
    {
      schema: {
        tags: ['directives'],
        summary: 'Withdraw a directive (optionally superseded by another): every open instance ends',
        description: 'Allowed: policy author.',
        params: ID,
        body: { type: ['object', 'null'], additionalProperties: false, properties: { supersededBy: { type: 'string', minLength: 1 } } },
        response: { 200: { $ref: 'WithdrawResult#' }, ...ERRORS },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      authorize(actor, 'directive.withdraw');
      const supersededBy = request.body?.supersededBy;
      const result = await withdrawDirective(request.params.id, { client, pool, by: actorName(actor), ...(supersededBy !== undefined && { supersededBy }) });
      return { directive: request.params.id, ...result };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { unit?: string; overdue?: boolean; status?: InstanceStatus; asOf?: string; limit?: number; offset?: number } }>(
    '/api/v1/directives/:id/status',
    {
      schema: {
        tags: ['directives'],
        summary: "A directive's status: one row per unit and obligation (what the actor may read)",
        description: `The counts (\`counts\`, and per obligation \`byObligation\`) are of every matching row; \`rows\` holds one page of them: \`total\` rows match, this page starts at \`offset\`. A directive of up to \`limit\` (${STATUS_PAGE}) rows comes whole, as before; a national one (100,000 instances) is read by its summary, or page by page.`,
        params: ID,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            unit: { type: 'string' },
            overdue: { type: 'boolean' },
            status: { type: 'string', enum: [...STATUS_ORDER] },
            asOf: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
            limit: { type: 'integer', minimum: 1, maximum: STATUS_PAGE_MAX, default: STATUS_PAGE, description: 'rows per page' },
            offset: { type: 'integer', minimum: 0, default: 0, description: 'rows to skip' },
          },
        },
        response: { 200: { $ref: 'StatusReport#' }, ...ERRORS },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const q = request.query;
      const plan = await deployedPlan(pool, request.params.id, { allowWithdrawn: true });
      const scope = statusScope(actor, plan);
      if (!scope) authorize(actor, 'status.read', { plan }); // throws, with the reason
      // A unit asked for by name must be one the actor may read: its own, or another whose
      // obligations its unit reviews.
      if (scope && !('all' in scope) && q.unit !== undefined && !scope.units.has(q.unit)) {
        authorize(actor, 'status.read', { unit: q.unit, ...(scope.reviews && { reviewer: actor.unit }), plan });
      }
      const page = { limit: q.limit ?? STATUS_PAGE, offset: q.offset ?? 0 };
      const everything = !scope || 'all' in scope;
      // Đọc được mọi dòng: đếm và chia trang trong SQL; người đọc hẹp hơn: lọc ở đây rồi chia trang.
      // Every row readable: counted and paged in SQL. A narrower reader's rows are filtered here, then paged.
      const report = await status(
        pool,
        request.params.id,
        { ...(q.unit !== undefined && { unit: q.unit }), ...(q.overdue && { overdue: true }), ...(q.status !== undefined && { status: q.status }), ...(q.asOf !== undefined && { asOf: q.asOf }) },
        langOf(request),
        everything ? page : undefined,
      );
      if (scope && !('all' in scope)) {
        const reviewed = new Map(plan.obligations.filter((o) => reviewsAny(plan, o, actor.unit)).map((o) => [o.id, o]));
        const reviews = (obligationId: string, unitId: string): boolean => {
          const o = reviewed.get(obligationId);
          return o !== undefined && reviewerOf(plan, o, unitId) === actor.unit;
        };
        report.rows = report.rows.filter((r) => scope.units.has(r.unitId) || (scope.reviews && reviews(r.obligationId, r.unitId) && r.unitId !== actor.unit));
        report.counts = {};
        for (const s of STATUS_ORDER) {
          const n = report.rows.filter((r) => r.status === s).length;
          if (n > 0) report.counts[s] = n;
        }
      }
      return everything ? report : pageOf(report, report.rows, plan, page, langOf(request));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { workflow?: string; limit?: number } }>(
    '/api/v1/directives/:id/audit',
    {
      schema: {
        tags: ['directives'],
        summary: "A directive's audit trail (a unit head: its unit's rows)",
        params: ID,
        querystring: { type: 'object', additionalProperties: false, properties: { workflow: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 10000 } } },
        response: { 200: { type: 'array', items: { $ref: 'AuditRow#' } }, ...ERRORS },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const plan = await deployedPlan(pool, request.params.id, { allowWithdrawn: true });
      // The whole trail: allowed with the plan alone as the subject (`any`, or `named-in`).
      const whole = allowed(actor, 'audit.read', { plan });
      if (!whole) authorize(actor, 'audit.read', { unit: actor.unit, plan });
      const rows = await listAudit(pool, request.params.id, { ...(request.query.workflow !== undefined && { workflowId: request.query.workflow }), limit: request.query.limit ?? 1000 });
      return whole ? rows : rows.filter((r) => r.unitId === actor.unit);
    },
  );

  const EVIDENCE_PARAMS = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } } } as const;

  app.get<{ Params: { id: string; name: string } }>(
    '/api/v1/submissions/:id/evidence/:name',
    {
      schema: {
        tags: ['actions'],
        summary: 'Download a submitted document',
        description:
          "Content-Type: the type the uploader declared, when the file's bytes agree and it is one of a few document and image types; else what the bytes are, or application/octet-stream. Always Content-Disposition: attachment. Allowed: the unit's officer and head, its reviewer, leadership named in the directive.",
        params: EVIDENCE_PARAMS,
        response: { ...ERRORS },
      },
    },
    async (request, reply) => {
      const { doc, declared } = await readEvidence(pool, requireActor(request), request.params.id, request.params.name);
      // Sent as the type stored with it (declared by the uploader, checked against its bytes:
      // activities/media-type.ts); a document stored before types were kept (NULL) is checked now,
      // by its bytes alone. Always a download, never sniffed into something else.
      const type = declared ?? (await checkedMediaType(undefined, doc.content)) ?? 'application/octet-stream';
      return reply
        .header('content-type', type)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.value)}`)
        .header('x-content-type-options', 'nosniff')
        .header('x-content-sha256', doc.sha256)
        .send(doc.content);
    },
  );

  app.get<{ Params: { id: string; name: string } }>(
    '/api/v1/submissions/:id/evidence/:name/inline',
    {
      schema: {
        tags: ['actions'],
        summary: 'A submitted PDF or image, to show in a page',
        description:
          'Shown in the page (Content-Disposition: inline) only when its first bytes are a PDF, PNG or JPEG (and any declared type agrees); anything else is sent as a download. Allowed: as the download.',
        params: EVIDENCE_PARAMS,
        response: { ...ERRORS },
      },
    },
    async (request, reply) => {
      const { doc, declared } = await readEvidence(pool, requireActor(request), request.params.id, request.params.name);
      const type = showableType(declared, doc.content);
      return (
        reply
          .header('content-type', type ?? 'application/octet-stream')
          .header('content-disposition', `${type !== undefined ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(doc.value)}`)
          .header('x-content-sha256', doc.sha256)
          // A unit's upload shown on the reviewer's page must never run as a page of ours: no
          // sniffing into HTML, nothing it could load or submit, framed only by the portal itself.
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
          .header('x-frame-options', 'SAMEORIGIN')
          .header('cache-control', 'private, no-store')
          .send(doc.content)
      );
    },
  );
}

/** A submitted document, once the actor may read its submission's evidence (403 otherwise). */
async function readEvidence(pool: ServerDeps['pool'], actor: Actor, id: string, name: string) {
  const sub = await getSubmission(pool, id);
  const plan = await deployedPlan(pool, sub.directiveId, { allowWithdrawn: true });
  const obligation = plan.obligations.find((o) => o.id === sub.obligationId);
  authorize(actor, 'evidence.read', { unit: sub.unitId, ...(obligation && { reviewer: reviewerOf(plan, obligation, sub.unitId) }), plan });
  const doc = await getEvidenceContent(pool, id, name);
  if (!doc) {
    throw new HttpError(404, 'not-found', { vi: `Minh chứng ${id} không có tài liệu "${name}".`, en: `Submission ${id} has no document "${name}".` });
  }
  return { doc, declared: sub.evidence.find((e) => e.name === name)?.mediaType };
}

/**
 * Những loại tệp được mở ngay trong trang: PDF, PNG, JPEG, nhận ra từ những byte đầu của tệp (loại
 * do trình duyệt người nộp khai, nếu có lưu, phải khớp): loại khai báo một mình không đáng tin.
 * The types shown in the page: PDF, PNG, JPEG, recognised by the file's first bytes (a declared
 * type, when one was stored, must agree): a declared type alone is whatever the submitter's
 * browser said. Undefined: not one of them, sent as a download.
 */
const SHOWABLE: Record<string, number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
};

export function showableType(declared: string | undefined, content: Buffer): string | undefined {
  const found = Object.entries(SHOWABLE).find(([, magic]) => content.length >= magic.length && magic.every((b, i) => content[i] === b))?.[0];
  if (found === undefined) return undefined;
  const said = declared?.split(';')[0]!.trim().toLowerCase();
  return said === undefined || said === 'application/octet-stream' || said === found ? found : undefined;
}
