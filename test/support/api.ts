import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { createAccount } from '../../activities/store/accounts.js';
import { getLatestDeployment } from '../../activities/store/deployments.js';
import { loadConfig, serverSettings, type Env } from '../../common/config.js';
import type { Role } from '../../common/roles.js';
import { issueToken } from '../../server/auth/tokens.js';
import { buildServer } from '../../server/app.js';

/**
 * The API server on a loopback port, as npm start runs it next to the worker, with accounts made
 * on demand: what `chithi` (now the API's client) talks to in the client and scenario tests.
 */
export interface TestApi {
  app: FastifyInstance;
  url: string;
  /** An account with these roles (created once) → its API token. */
  account(login: string, unit: string, roles: Role[]): Promise<string>;
  /** The token of an account made before. */
  tokenOf(login: string): string | undefined;
  /**
   * Who runs a `chithi` command line: an officer of `--unit` to submit, ask for an extension,
   * report an event or read an inbox; a unit head of `--unit` (default so-y-te) to approve what
   * the unit sends out; a reviewer of the obligation's reviewing unit (from the
   * deployed plan) to review or decide an extension; a policy author to deploy, withdraw or read
   * status. Commands that need no sign-in: undefined.
   */
  tokenFor(argv: string[]): Promise<string | undefined>;
  close(): Promise<void>;
}

export async function startTestApi(deps: { pool: pg.Pool; client: Client; env: Env }): Promise<TestApi> {
  const app = await buildServer({ pool: deps.pool, client: deps.client, config: loadConfig(deps.env), settings: serverSettings({ CHITHI_LOGIN_RATE: '10000' }) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const tokens = new Map<string, string>();
  const account = async (login: string, unit: string, roles: Role[]): Promise<string> => {
    let token = tokens.get(login);
    if (token === undefined) {
      await createAccount(deps.pool, { login, unitId: unit, roles, createdBy: 'test' });
      token = (await issueToken(deps.pool, login, 'test')).token;
      tokens.set(login, token);
    }
    return token;
  };
  const flag = (argv: string[], name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const reviewer = async (argv: string[]): Promise<string> => {
    const directive = flag(argv, 'directive');
    const plan = directive === undefined ? undefined : (await getLatestDeployment(deps.pool, directive))?.plan;
    const unit = plan?.obligations.find((o) => o.id === flag(argv, 'obligation'))?.reviewer ?? 'so-tttt';
    return account(`reviewer.${unit}`, unit, ['reviewer']);
  };
  const officer = async (argv: string[]): Promise<string> => {
    const unit = flag(argv, 'unit') ?? 'so-y-te';
    return account(`officer.${unit}`, unit, ['officer']);
  };
  return {
    app,
    url,
    account,
    tokenOf: (login) => tokens.get(login),
    async tokenFor(argv) {
      const [command, action] = argv;
      switch (command) {
        case 'submit':
        case 'report-event':
        case 'inbox':
          return officer(argv);
        case 'extend':
          return action === 'request' ? officer(argv) : reviewer(argv);
        case 'review':
          return reviewer(argv);
        case 'approvals':
        case 'approve': {
          const unit = flag(argv, 'unit') ?? 'so-y-te';
          return account(`head.${unit}`, unit, ['unit-head']);
        }
        case 'deploy':
        case 'withdraw':
        case 'status':
          return account('author', 'ubnd', ['author']);
        default:
          return undefined;
      }
    },
    close: () => app.close(),
  };
}
