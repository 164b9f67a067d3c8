/**
 * Who is asking: sets `request.actor` from an API token (`Authorization: Bearer …`) or a sign-in
 * session cookie, or leaves it null. Routes decide what an actor may do (server/authz.ts).
 * (Stub: the identity work replaces this body; the interface stays.)
 */
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { ServerSettings } from '../../common/config.js';
import type { Actor } from '../../common/roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export interface AuthOptions {
  pool: pg.Pool;
  settings: ServerSettings;
}

export const authPlugin = fp<AuthOptions>(
  async (app) => {
    app.decorateRequest('actor', null);
  },
  { name: 'chithi-auth' },
);
