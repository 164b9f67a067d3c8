import { ConfigError, setting } from '../common/config.js';
import type { Command, Io, Lang } from './io.js';
import { UserError } from './io.js';

export interface CommandModule {
  /** The file, for the message when it fails to load. */
  module: string;
  load: () => Promise<{ command: Command }>;
}
export type CommandModules = Readonly<Record<string, CommandModule>>;

// Lazy imports: `chithi validate` must not pay for loading the Temporal client.
export const COMMAND_MODULES: CommandModules = {
  validate: { module: 'client/commands/validate.ts', load: () => import('./commands/validate.js') },
  compile: { module: 'client/commands/compile.ts', load: () => import('./commands/compile.js') },
  plan: { module: 'client/commands/plan.ts', load: () => import('./commands/plan.js') },
  deploy: { module: 'client/commands/deploy.ts', load: () => import('./commands/deploy.js') },
  status: { module: 'client/commands/status.ts', load: () => import('./commands/status.js') },
  submit: { module: 'client/commands/submit.ts', load: () => import('./commands/submit.js') },
  review: { module: 'client/commands/review.ts', load: () => import('./commands/review.js') },
  extend: { module: 'client/commands/extend.ts', load: () => import('./commands/extend.js') },
  'report-event': { module: 'client/commands/report-event.ts', load: () => import('./commands/report-event.js') },
  withdraw: { module: 'client/commands/withdraw.ts', load: () => import('./commands/withdraw.js') },
  inbox: { module: 'client/commands/inbox.ts', load: () => import('./commands/inbox.js') },
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

/** The command list; a module that fails to load is reported (after the list), not left out. */
async function usage(io: Io, modules: CommandModules): Promise<{ text: string; broken: CommandLoadError[] }> {
  const lines = [io.lang === 'vi' ? 'Cách dùng: chithi <lệnh> [tùy chọn]  (--help cho từng lệnh, --lang en)' : 'Usage: chithi <command> [options]  (--help on each command, --lang vi|en)', ''];
  const broken: CommandLoadError[] = [];
  for (const name of Object.keys(modules)) {
    try {
      const command = await load(modules, name);
      lines.push(`  ${name.padEnd(14)} ${command.summary[io.lang]}`);
    } catch (err) {
      if (!(err instanceof CommandLoadError)) throw err;
      broken.push(err);
    }
  }
  return { text: lines.join('\n') + '\n', broken };
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
      const { text, broken } = await usage(io, modules);
      io.stdout(text);
      for (const err of broken) internalError(io, err);
      if (broken.length > 0) return 70;
      return name === undefined ? 2 : 0;
    }
    if (!Object.hasOwn(modules, name)) {
      io.stderr(io.lang === 'vi' ? `Không có lệnh "${name}".\n` : `Unknown command "${name}".\n`);
      const { text, broken } = await usage(io, modules);
      io.stderr(text);
      for (const err of broken) internalError(io, err);
      return 2;
    }
    const command = await load(modules, name);
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(command.help[io.lang]);
      return 0;
    }
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UserError || err instanceof ConfigError) {
      io.stderr(`chithi: ${err.text[io.lang]}\n`);
      return err instanceof UserError ? err.exitCode : 1;
    }
    return internalError(io, err);
  }
}
