import { ChithiError } from '../activities/errors.js';
import { COMMANDS, type CommandName } from '../common/commands.js';
import { ConfigError, setting } from '../common/config.js';
import type { Command, Io, Lang } from './io.js';
import { UserError } from './io.js';

export interface CommandModule {
  /** The file, for the message when it fails to load. */
  module: string;
  load: () => Promise<{ command: Command }>;
}
export type CommandModules = Readonly<Record<string, CommandModule>>;

// Lazy imports: `chithi validate` must not pay for loading the Temporal client, and `chithi --help`
// loads none of them: the summaries are in common/commands.ts (from dist/, loading every module for
// its summary took ~420 ms, 7× `node -e 0`, most of it the Temporal client; now 1.3×). A new command
// is declared in both tables, the type checks they agree: its flags and summary in COMMANDS
// (common/commands.ts), its module here.
export const COMMAND_MODULES: Readonly<Record<CommandName, CommandModule>> = {
  validate: { module: 'client/commands/validate.ts', load: () => import('./commands/validate.js') },
  compile: { module: 'client/commands/compile.ts', load: () => import('./commands/compile.js') },
  plan: { module: 'client/commands/plan.ts', load: () => import('./commands/plan.js') },
  registry: { module: 'client/commands/registry.ts', load: () => import('./commands/registry.js') },
  deploy: { module: 'client/commands/deploy.ts', load: () => import('./commands/deploy.js') },
  diff: { module: 'client/commands/diff.ts', load: () => import('./commands/diff.js') },
  rehearse: { module: 'client/commands/rehearse.ts', load: () => import('./commands/rehearse.js') },
  status: { module: 'client/commands/status.ts', load: () => import('./commands/status.js') },
  submit: { module: 'client/commands/submit.ts', load: () => import('./commands/submit.js') },
  review: { module: 'client/commands/review.ts', load: () => import('./commands/review.js') },
  approvals: { module: 'client/commands/approvals.ts', load: () => import('./commands/approvals.js') },
  approve: { module: 'client/commands/approve.ts', load: () => import('./commands/approve.js') },
  extend: { module: 'client/commands/extend.ts', load: () => import('./commands/extend.js') },
  'report-event': { module: 'client/commands/report-event.ts', load: () => import('./commands/report-event.js') },
  withdraw: { module: 'client/commands/withdraw.ts', load: () => import('./commands/withdraw.js') },
  inbox: { module: 'client/commands/inbox.ts', load: () => import('./commands/inbox.js') },
  users: { module: 'client/commands/users.ts', load: () => import('./commands/users.js') },
  token: { module: 'client/commands/token.ts', load: () => import('./commands/token.js') },
  login: { module: 'client/commands/login.ts', load: () => import('./commands/login.js') },
  logout: { module: 'client/commands/logout.ts', load: () => import('./commands/logout.js') },
  migrate: { module: 'client/commands/migrate.ts', load: () => import('./commands/migrate.js') },
  audit: { module: 'client/commands/audit.ts', load: () => import('./commands/audit.js') },
};

/** A command module that does not load: a broken build or install, never the user's mistake. */
class CommandLoadError extends Error {
  override readonly name = 'CommandLoadError';
  constructor(
    readonly command: string,
    readonly module: string,
    cause: unknown,
  ) {
    super(`the module of command "${command}" (${module}) failed to load: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

async function load(modules: CommandModules, name: string): Promise<Command> {
  const m = modules[name]!;
  try {
    return (await m.load()).command;
  } catch (err) {
    throw new CommandLoadError(name, m.module, err);
  }
}

function internalError(io: Io, err: unknown): number {
  // The stack of what actually broke: for a module that did not load, the import's own error.
  const shown = err instanceof CommandLoadError ? `${err.message}\n${err.cause instanceof Error ? (err.cause.stack ?? '') : ''}` : err instanceof Error ? (err.stack ?? err.message) : String(err);
  io.stderr(`chithi: internal error (please report it): ${shown}\n`);
  return 70;
}

function detectLang(args: string[], env: Record<string, string | undefined>): { lang: Lang; rest: string[] } {
  const rest: string[] = [];
  let lang: Lang | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--lang' || a.startsWith('--lang=')) {
      const v = a === '--lang' ? args[++i] : a.slice('--lang='.length);
      if (v !== 'vi' && v !== 'en') {
        throw new UserError({ vi: `--lang chỉ nhận vi hoặc en (nhận được: ${v ?? 'không có'})`, en: `--lang takes vi or en (got: ${v ?? 'nothing'})` }, 2);
      }
      lang = v;
    } else rest.push(a);
  }
  // An invalid CHITHI_LANG is reported only when --lang does not override it.
  return { lang: lang ?? (setting(env, 'CHITHI_LANG') as Lang), rest };
}

/** The command list, from the declarations alone: no command module is loaded. */
function usage(io: Io, modules: CommandModules): string {
  const lines = [io.lang === 'vi' ? 'Cách dùng: chithi <lệnh> [tùy chọn]  (--help cho từng lệnh, --lang en)' : 'Usage: chithi <command> [options]  (--help on each command, --lang vi|en)', ''];
  for (const name of Object.keys(modules)) {
    const summary = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as CommandName].summary[io.lang] : '';
    lines.push(`  ${name.padEnd(14)} ${summary}`.trimEnd());
  }
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], ioOverrides: Partial<Io> = {}, modules: CommandModules = COMMAND_MODULES): Promise<number> {
  const base: Io = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    lang: 'vi',
    ...ioOverrides,
  };
  let io = base;
  try {
    const { lang, rest } = detectLang(argv, base.env);
    io = { ...base, lang: ioOverrides.lang ?? lang };
    const [name, ...args] = rest;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout(usage(io, modules));
      return name === undefined ? 2 : 0;
    }
    if (!Object.hasOwn(modules, name)) {
      io.stderr(io.lang === 'vi' ? `Không có lệnh "${name}".\n` : `Unknown command "${name}".\n`);
      io.stderr(usage(io, modules));
      return 2;
    }
    const command = await load(modules, name);
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(command.help[io.lang]);
      return 0;
    }
    return await command.run(args, io);
  } catch (err) {
    // The store's typed errors (a conflicting retry, an unknown id) are the user's to act on too.
    if (err instanceof UserError || err instanceof ConfigError || err instanceof ChithiError) {
      io.stderr(`chithi: ${err.text[io.lang]}\n`);
      return err instanceof UserError ? err.exitCode : 1;
    }
    return internalError(io, err);
  }
}
