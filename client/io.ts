import type { Bilingual, Lang } from '../common/cli-spec.js';
import { UserError } from '../common/errors.js';

// Một định nghĩa cho mọi tầng (common/), nhắc lại ở đây cho những chỗ đã nhập từ client/io.
// One definition for every layer (common/), re-exported for the modules that import it from here.
export type { Bilingual, Lang };
export { UserError };

/** What a command may touch of the outside world; tests pass their own. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Working directory that relative paths resolve against. */
  cwd: string;
  env: Record<string, string | undefined>;
  lang: Lang;
  /** Where passwords are read (client/prompt.ts); process.stdin when absent. */
  stdin?: PromptInput;
}

/** A readable stream that may be a terminal (then read without echo, in raw mode). */
export type PromptInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

export function pick(text: Bilingual, lang: Lang): string {
  return text[lang];
}

/** A command module in client/commands/ (its one-line summary is in common/commands.ts). */
export interface Command {
  /** Full `--help` text. */
  help: Bilingual;
  run(args: string[], io: Io): Promise<number>;
}
