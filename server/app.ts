/**
 * The API server: one place that owns every action, whoever asks (the portal, the CLI, a script).
 * JSON under /api/v1, its OpenAPI document generated from the route schemas at
 * /api/v1/openapi.json. Who asks comes from the credential (server/auth/), what they may do from
 * one table (server/authz.ts), and every failure is one JSON shape in their language
 * (server/errors.ts).
 */
import helmet from '@fastify/helmet';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { MAX_EVIDENCE_BYTES } from '../activities/store/submissions.js';
import { authPlugin } from './auth/plugin.js';
import { signInLimitPlugin } from './auth/sign-in-limit.js';
import type { ServerDeps } from './context.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { accountRoutes } from './routes/accounts.js';
import { actionRoutes } from './routes/actions.js';
import { approvalRoutes } from './routes/approvals.js';
import { directiveRoutes } from './routes/directives.js';
import { impactRoutes } from './routes/impact.js';
import { authRoutes } from './routes/auth.js';
import { inboxRoutes } from './routes/inbox.js';
import { portalRoutes } from './portal/index.js';
import { SCHEMAS } from './schemas.js';

export type { ServerDeps } from './context.js';

export interface BuildOptions {
  /** Fastify's logger: off in tests, on (warn) under npm start. */
  logger?: boolean | { level: string };
}

export async function buildServer(deps: ServerDeps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    // Behind the province's reverse proxy the client address is in X-Forwarded-For; the sign-in
    // rate limit counts per real client, not per proxy. Only loopback proxies are trusted.
    trustProxy: ['127.0.0.1', '::1'],
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false } },
    // A uuid or date-time that does not parse is a 400 with the field named, not a 500.
    bodyLimit: 1024 * 1024,
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  for (const s of SCHEMAS) app.addSchema(s);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'chithi API',
        version: '1',
        description:
          'Directive-as-code for public administration. Every action is taken by a signed-in account (a session cookie from /api/v1/auth/login or single sign-on, or `Authorization: Bearer <token>`), allowed by its role (see docs/authorization.md). Messages follow Accept-Language (vi by default, en).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'chithi_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(helmet, { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'] } } });
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: MAX_EVIDENCE_BYTES, files: 20, fields: 100, fieldSize: 64 * 1024 }, throwFileSizeLimit: true });
  await app.register(authPlugin, { pool: deps.pool, settings: deps.settings });
  // One sign-in limiter at the root, so the API's sign-in routes and the portal's form share one
  // counter per client address (server/auth/sign-in-limit.ts).
  await app.register(signInLimitPlugin, { settings: deps.settings });
  // A plugin of its own (its form parser); the sign-in limiter it uses is the root's, above.
  await app.register(authRoutes, { pool: deps.pool, settings: deps.settings });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await actionRoutes(app, deps);
  await approvalRoutes(app, deps);
  await directiveRoutes(app, deps);
  await impactRoutes(app, deps);
  await inboxRoutes(app, deps);
  await accountRoutes(app, deps);
  // The portal's pages, in a scope of their own (templates, static files, HTML error pages).
  await app.register(async (scope) => portalRoutes(scope, deps));
  return app;
}
