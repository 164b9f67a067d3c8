/**
 * A minimal server for the identity tests: authPlugin and authRoutes on a bare Fastify instance,
 * with the server's own error handler and error schema (server/errors.ts), without Temporal.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import { serverSettings, type Env, type ServerSettings } from '../../common/config.js';
import { authPlugin } from '../../server/auth/plugin.js';
import { ERROR_SCHEMA, errorHandler } from '../../server/errors.js';
import { authRoutes } from '../../server/routes/auth.js';

export async function identityApp(pool: pg.Pool, env: Env = {}): Promise<{ app: FastifyInstance; settings: ServerSettings }> {
  const settings = serverSettings(env);
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  app.addSchema(ERROR_SCHEMA);
  await app.register(authPlugin, { pool, settings });
  await app.register(authRoutes, { pool, settings });
  return { app, settings };
}
