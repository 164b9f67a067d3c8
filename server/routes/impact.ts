/**
 * POST /api/v1/directives/impact: what deploying a directive would change, deploying nothing
 * (`chithi deploy --dry-run`). The server compiles the upload as the deploy route does and compares
 * the plan with the deployed one (service/impact.ts): the same diff the deploy would act on.
 */
import type { FastifyInstance } from 'fastify';
import { getLatestDeployment } from '../../activities/store/index.js';
import { planImpact } from '../../service/impact.js';
import { authorize } from '../authz.js';
import { requireActor, type ServerDeps } from '../context.js';
import { compileUpload, DIRECTIVE_UPLOAD_BODY, invalidDirective } from '../directive-upload.js';
import { langOf } from '../lang.js';

export async function impactRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.post<{ Body: { source: string; fileName?: string; registry?: string; asOf?: string } }>(
    '/api/v1/directives/impact',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: ['directives'],
        summary: 'What deploying a directive would change (a dry run): obligations, units, due dates, instances, notices',
        description: 'The body is the deploy route\'s. Nothing is deployed or recorded. Allowed: policy author (as deploying).',
        body: DIRECTIVE_UPLOAD_BODY,
      },
    },
    async (request) => {
      const actor = requireActor(request);
      authorize(actor, 'directive.deploy');
      const compiled = await compileUpload(request.body);
      if (!compiled.ok) throw invalidDirective(compiled.diagnostics, langOf(request), { vi: 'không so được.', en: 'nothing compared.' });
      const deployed = await getLatestDeployment(deps.pool, compiled.plan.directive.id);
      return { deployedStatus: deployed?.status ?? null, ...planImpact(deployed?.status === 'active' ? deployed.plan : undefined, compiled.plan) };
    },
  );
}
