import { QueryNotRegisteredError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, main, type CommandModules } from '../../client/cli.js';
import { ConflictError } from '../../activities/errors.js';
import { UserError } from '../../client/io.js';
import { explainQueryFailure } from '../../service/signal.js';

/** A gRPC error as @grpc/grpc-js raises it (what the SDK wraps in ServiceError). */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe('a failed query names its cause', () => {
  const ctx = { workflowId: 'd/o/u', taskQueue: 'chithi-hanoi', namespace: 'hanoi' };
  const text = (err: unknown) => {
    const e = explainQueryFailure(err, ctx);
    expect(e).toBeInstanceOf(UserError);
    expect(e.cause).toBe(err);
    return e.text.en;
  };

  it('no worker polls the task queue (the server timed out, or saw no poller): names the queue and npm start', () => {
    for (const err of [
      new ServiceError('Failed to query Workflow', { cause: grpcError(4, 'context deadline exceeded') }),
      new ServiceError('Failed to query Workflow', { cause: grpcError(9, 'no poller seen for task queue recently, worker may be down') }),
    ]) {
      const t = text(err);
      expect(t).toMatch(/no worker/i);
      expect(t).toContain('chithi-hanoi');
      expect(t).toContain('npm start');
    }
  });

  it('the workflow is not on the server: not found, in which namespace; no word about the worker', () => {
    const t = text(new WorkflowNotFoundError('workflow not found for ID: d/o/u', 'd/o/u', undefined));
    expect(t).toMatch(/not found|no workflow/i);
    expect(t).toContain('hanoi');
    expect(t).not.toMatch(/worker/i);
  });

  it('a worker that does not know the query (another version)', () => {
    expect(text(new QueryNotRegisteredError('Workflow did not register a handler for state', 3))).toMatch(/does not answer the query|another version/i);
  });

  it('a refused API key is an authentication failure, not a missing worker', () => {
    const t = text(new ServiceError('Failed to query Workflow', { cause: grpcError(16, 'Request unauthorized') }));
    expect(t).toContain('TEMPORAL_API_KEY');
    expect(t).not.toMatch(/worker/i);
  });

  it('anything else: the query failed, with the reason', () => {
    const t = text(new Error('socket hang up'));
    expect(t).toContain('socket hang up');
    expect(t).not.toMatch(/worker running/i);
  });
});

describe('a command module that fails to import', () => {
  const broken: CommandModules = {
    ...COMMAND_MODULES,
    inbox: { module: 'client/commands/inbox.ts', load: () => Promise.reject(new SyntaxError("Unexpected token '}'")) },
  };
  async function run(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: process.cwd(), lang: 'en' }, broken);
    return { code, stdout, stderr };
  }

  it('running it is an internal error naming the module and the import error', async () => {
    const r = await run(['inbox', '--unit', 'so-y-te']);
    expect(r.code).toBe(70);
    expect(r.stderr).toContain('internal error');
    expect(r.stderr).toContain('client/commands/inbox.ts');
    expect(r.stderr).toContain("Unexpected token '}'");
  });

  it('--help loads no module: every command is listed from common/commands.ts, the broken one too', async () => {
    const r = await run(['--help']);
    expect(r.stdout).toContain('validate');
    expect(r.stdout).toMatch(/inbox +Show a unit's notices/);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe("the store's typed errors reach the user as messages", () => {
  it('a ChithiError (a conflicting retry) is printed in the chosen language: exit 1, no stack', async () => {
    const conflict = new ConflictError({ vi: 'Mã đã được dùng cho minh chứng khác', en: 'The id was already used for other evidence' });
    const modules: CommandModules = {
      ...COMMAND_MODULES,
      inbox: { module: 'client/commands/inbox.ts', load: () => Promise.resolve({ command: { help: { vi: '', en: '' }, run: () => Promise.reject(conflict) } }) },
    };
    for (const lang of ['vi', 'en'] as const) {
      let stdout = '';
      let stderr = '';
      const code = await main(['inbox'], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: process.cwd(), lang }, modules);
      expect(code).toBe(1);
      expect(stderr).toBe(`chithi: ${conflict.text[lang]}\n`);
      expect(stdout).toBe('');
    }
  });
});
