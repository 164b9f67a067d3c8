/**
 * Reading answers (a login, a password) from stdin: at a terminal, one prompt at a time on stderr
 * and a password without echo; from a pipe, one line per answer, so scripts and tests can feed them
 * (`printf '%s\n' "$PASSWORD" | chithi users add …`).
 */
import { createInterface } from 'node:readline';
import type { Bilingual } from '../common/cli-spec.js';
import { UserError, type Io, type PromptInput } from './io.js';

export interface Question {
  /** What is asked, e.g. { vi: 'mật khẩu', en: 'password' }: the prompt is `Mật khẩu: `. */
  name: Bilingual;
  secret?: boolean;
}

const promptOf = (q: Question, lang: 'vi' | 'en'): string => `${q.name[lang].charAt(0).toUpperCase()}${q.name[lang].slice(1)}: `;

const CANCELLED: Bilingual = { vi: 'Đã huỷ.', en: 'Cancelled.' };

export async function ask(io: Io, questions: readonly Question[]): Promise<string[]> {
  const input: PromptInput = io.stdin ?? process.stdin;
  if (input.isTTY && typeof input.setRawMode === 'function') {
    const answers: string[] = [];
    for (const q of questions) answers.push(q.secret ? await readHidden(io, input, promptOf(q, io.lang)) : await readVisible(input, promptOf(q, io.lang)));
    return answers;
  }
  const lines = (await readAll(input)).split(/\r?\n/);
  // A password is taken as typed (spaces included); only the line break is not part of it.
  const answers = questions.map((q, i) => (q.secret ? (lines[i] ?? '') : (lines[i] ?? '').trim()));
  // An empty answer is a missing one: say which, rather than try an empty password.
  const missing = questions.findIndex((_, i) => answers[i] === '');
  if (missing >= 0) {
    const lines = (lang: 'vi' | 'en') => questions.map((q) => q.name[lang]).join(', ');
    throw new UserError({
      vi: `Thiếu ${questions[missing]!.name.vi} trên stdin (mỗi dòng một giá trị: ${lines('vi')}).`,
      en: `Missing the ${questions[missing]!.name.en} on stdin (one line each: ${lines('en')}).`,
    });
  }
  return answers;
}

async function readAll(input: PromptInput): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function readVisible(input: PromptInput, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input, output: process.stderr, terminal: true });
    rl.on('SIGINT', () => {
      rl.close();
      reject(new UserError(CANCELLED));
    });
    rl.question(prompt, (answer) => {
      rl.close();
      resolve(answer.trim());
    });
  });
}

/** Raw mode: every key arrives as typed and nothing is echoed; Enter ends, Backspace erases, Ctrl-C cancels. */
function readHidden(io: Io, input: PromptInput, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    io.stderr(prompt);
    let value = '';
    const finish = (err?: UserError) => {
      input.setRawMode!(false);
      input.removeListener('data', onData);
      input.pause();
      io.stderr('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) return finish(new UserError(CANCELLED));
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    input.setRawMode!(true);
    input.on('data', onData);
    input.resume();
  });
}
