import { ConfigError, setting } from '../common/config.js';
import type { Command, Io, Lang } from './io.js';
import { UserError } from './io.js';

// Lazy imports: `chithi validate` must not pay for loading the Temporal client.
const commands: Record<string, () => Promise<{ command: Command }>> = {
  validate: () => import('./commands/validate.js'),
  compile: () => import('./commands/compile.js'),
  plan: () => import('./commands/plan.js'),
  deploy: () => import('./commands/deploy.js'),
  status: () => import('./commands/status.js'),
  submit: () => import('./commands/submit.js'),
  review: () => import('./commands/review.js'),
  extend: () => import('./commands/extend.js'),
  'report-event': () => import('./commands/report-event.js'),
  withdraw: () => import('./commands/withdraw.js'),
  inbox: () => import('./commands/inbox.js'),
};

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

async function usage(io: Io): Promise<string> {
  const lines = [io.lang === 'vi' ? 'Cách dùng: chithi <lệnh> [tùy chọn]  (--help cho từng lệnh, --lang en)' : 'Usage: chithi <command> [options]  (--help on each command, --lang vi|en)', ''];
  for (const [name, load] of Object.entries(commands)) {
    try {
      const { command } = await load();
      lines.push(`  ${name.padEnd(14)} ${command.summary[io.lang]}`);
    } catch {
      // A command whose module is not present in this build is simply not listed.
    }
  }
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], ioOverrides: Partial<Io> = {}): Promise<number> {
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
      io.stdout(await usage(io));
      return name === undefined ? 2 : 0;
    }
    const load = commands[name];
    if (!load) {
      io.stderr(io.lang === 'vi' ? `Không có lệnh "${name}".\n` : `Unknown command "${name}".\n`);
      io.stderr(await usage(io));
      return 2;
    }
    const { command } = await load();
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
    io.stderr(`chithi: internal error (please report it): ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return 70;
  }
}
