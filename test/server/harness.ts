import type { LightMyRequestResponse } from 'fastify';
import { deploy } from '../../service/deploy.js';
import { plannedInstances } from '../../service/instances.js';
import { listInstances } from '../../activities/store/instances.js';
import { startClientHarness, type ClientHarness, type ClientHarnessOptions } from '../client/harness.js';
import type { DirectiveOptions } from '../client/fixtures.js';

/**
 * The client harness (time-skipping Temporal, fresh PostgreSQL, a worker) with the API server built
 * on the same pool and Temporal client, as `npm start` runs it; requests go through `inject`.
 */
export interface ServerHarness extends ClientHarness {
  /** Deploys the fixture directive through the service (as the seed deploy of npm start does) and waits for its instances. */
  deployFixture(opts?: DirectiveOptions, name?: string): Promise<void>;
  request(token: string | undefined, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function startServerHarness(opts: ClientHarnessOptions = {}): Promise<ServerHarness> {
  const h = await startClientHarness(opts);
  const app = h.app;
  return Object.assign(h, {
    async deployFixture(opts: DirectiveOptions = {}, name?: string) {
      const plan = await h.compile(h.writeDirective(opts, name));
      await deploy(plan, { client: h.env.client, pool: h.db.pool, by: 'test' });
      const expected = plannedInstances(plan).length;
      await h.until('instances recorded', () => listInstances(h.db.pool, plan.directive.id), (rows) => rows.length >= expected, 60_000);
    },
    request(token: string | undefined, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) {
      return app.inject({
        method,
        url,
        headers: { ...(token !== undefined && { authorization: `Bearer ${token}` }), ...headers },
        ...(body !== undefined && { payload: body as never }),
      });
    },
  });
}
