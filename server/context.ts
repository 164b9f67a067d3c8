import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { ChithiConfig, ServerSettings } from '../common/config.js';
import type { Actor } from '../common/roles.js';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

/** What the routes act on: the store, Temporal, and the settings they were started with. */
export interface ServerDeps {
  pool: pg.Pool;
  client: Client;
  config: ChithiConfig;
  settings: ServerSettings;
}

/** The signed-in actor, or 401: nothing is done for somebody the server does not know. */
export function requireActor(request: FastifyRequest): Actor {
  if (request.actor) return request.actor;
  throw new HttpError(401, 'not-signed-in', {
    vi: 'Chưa đăng nhập. Đăng nhập trên cổng thông tin, hoặc với CLI: chithi login (hoặc đặt CHITHI_TOKEN).',
    en: 'Not signed in. Sign in on the portal, or for the CLI: chithi login (or set CHITHI_TOKEN).',
  });
}
