/**
 * Dòng lệnh in trong thông báo phải chạy được: tách từ như sh, rồi đưa qua đúng bộ phân tích của
 * lệnh (parseOnly: dừng sau khi phân tích, không chạm tới máy chủ).
 * Command lines printed in notices must run: split as sh would, then fed to the command's own
 * parser (parseOnly: stops after parsing, touches no server).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extendCommand, reviewCommand, reviewCommands, submitCommand } from '../../activities/notify/format.js';
import { main } from '../../client/cli.js';
import { parseOnly as parseExtend } from '../../client/commands/extend.js';
import { parseOnly as parseReview } from '../../client/commands/review.js';
import { parseOnly as parseSubmit } from '../../client/commands/submit.js';
import { prepareEvidence } from '../../service/evidence.js';
import { UserError } from '../../client/io.js';
import { renderCommandLine, shQuote, type CommandSpec } from '../../common/cli-spec.js';
import { COMMANDS, commandLine, type CommandName } from '../../common/commands.js';
import type { EvidenceRequirement } from '../../compiler/plan.js';
import { deadline, event, notification } from '../support/fixtures.js';

/**
 * Tách một dòng thành các từ như POSIX sh (nháy đơn, nháy kép, gạch chéo ngược). Ký tự đặc biệt
 * không nằm trong nháy (| < > ; & $ …) là lỗi: sh sẽ làm việc khác với chạy lệnh.
 * Splits a line into words as POSIX sh does (single and double quotes, backslash). An unquoted
 * special character (| < > ; & $ …) is an error: sh would do something other than run the command.
 */
function shWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const add = (s: string) => (word = (word ?? '') + s);
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      add(line.slice(i + 1, end));
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '$' || line[j] === '`') throw new Error(`expansion inside "…" in: ${line}`);
        if (line[j] === '\\' && '$`"\\'.includes(line[j + 1] ?? '')) j++;
        s += line[j];
      }
      if (j >= line.length) throw new Error(`unterminated " in: ${line}`);
      add(s);
      i = j;
    } else if (c === '\\') {
      add(line[++i] ?? '');
    } else if ('|&;<>()$`*?[]{}~#!'.includes(c)) {
      throw new Error(`unquoted ${c} at column ${i} of: ${line}`);
    } else {
      add(c);
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** `npx chithi <command> …` → the command's arguments. */
function argsOf(line: string, command: CommandName): string[] {
  const [npx, chithi, name, ...rest] = shWords(line);
  expect([npx, chithi, name]).toEqual(['npx', 'chithi', command]);
  return rest;
}

const REF = { directive: 'hanoi-3968-2022', obligation: 'contact-point', unit: 'so-y-te' };

// Một nghĩa vụ hạn chót cho mỗi loại minh chứng, và một nghĩa vụ đủ cả bốn loại.
// One deadline obligation per evidence kind, and one with all four.
const EVIDENCE: Record<EvidenceRequirement['kind'], EvidenceRequirement> = {
  document: { kind: 'document', name: 'report', title: { vi: 'Báo cáo', en: 'Report' }, required: true },
  link: { kind: 'link', name: 'portal', title: { vi: 'Đường dẫn cổng thông tin', en: 'Portal link' }, required: true },
  field: { kind: 'field', name: 'officer-email', title: { vi: 'Thư điện tử cán bộ đầu mối', en: 'Contact e-mail' }, required: true, format: 'email' },
  attestation: { kind: 'attestation', name: 'confirmed', title: { vi: 'Xác nhận đã quán triệt', en: 'Confirmed' }, required: true },
};
const CASES: [string, EvidenceRequirement[]][] = [
  ...Object.entries(EVIDENCE).map(([kind, e]): [string, EvidenceRequirement[]] => [kind, [e]]),
  ['all four kinds', Object.values(EVIDENCE)],
];

// Điền chỗ trống như người nhận sẽ làm. / Fill the blanks as the recipient would.
const dir = mkdtempSync(join(tmpdir(), 'chithi-notice-'));
writeFileSync(join(dir, 'bao-cao.pdf'), '%PDF-1.4\n');
const FILLED: Record<string, string> = {
  '<tệp|file>': 'bao-cao.pdf',
  '<url>': 'https://so-y-te.hanoi.example/dau-moi',
  '<email>': 'dau-moi@soyte.hanoi.example',
  '<giá-trị|value>': 'Nguyễn Văn An',
  '<YYYY-MM-DD>': '2022-12-15',
  '<lý-do|reason>': 'Chờ kết quả rà soát',
  '<ý-kiến|comment>': 'Thiếu chữ ký',
};
const fill = (args: string[]) => args.map((a) => a.replace(/<[^<>]*>/g, (blank) => FILLED[blank] ?? blank));

describe('submit lines in notices', () => {
  it.each(CASES)('deadline obligation with %s evidence: parses, and once filled in passes the evidence checks', (_name, evidence) => {
    const req = notification({ obligation: deadline({ evidence }) });
    const args = argsOf(submitCommand(req), 'submit');
    const parsed = parseSubmit(args);
    expect(parsed).toMatchObject(REF);
    expect(parsed.event).toBeUndefined();
    // Mỗi minh chứng đúng một lần, đúng cờ: tài liệu qua --file, còn lại qua --field.
    expect([...parsed.files.map((f) => f.split('=')[0]), ...parsed.fields.map(([n]) => n)].sort()).toEqual(evidence.map((e) => e.name).sort());
    expect(parsed.files).toEqual(evidence.filter((e) => e.kind === 'document').map((e) => `${e.name}=<tệp|file>`));
    if (evidence.some((e) => e.kind === 'attestation')) expect(parsed.fields).toContainEqual(['confirmed', 'yes']);

    const filled = parseSubmit(fill(args));
    const prepared = prepareEvidence(req.obligation, { files: filled.files, fields: filled.fields }, dir);
    expect(prepared.items.map((i) => i.name).sort()).toEqual(evidence.map((e) => e.name).sort());
  });

  it('an event instance is addressed by its event id (report-event --id → submit --event)', () => {
    const req = notification({ kind: 'opened', obligation: event(), detail: { eventId: 'ev-2022-12-01', description: 'Mã độc' } });
    const line = submitCommand(req);
    expect(line).toContain('--event ev-2022-12-01');
    const parsed = parseSubmit(argsOf(line, 'submit'));
    expect(parsed).toMatchObject({ ...REF, obligation: 'report-attack', event: 'ev-2022-12-01' });
  });

  it("an event instance's notice without the event id leaves --event out (the CLI takes the single open event)", () => {
    const parsed = parseSubmit(argsOf(submitCommand(notification({ obligation: event() })), 'submit'));
    expect(parsed).toMatchObject({ ...REF, obligation: 'report-attack' });
    expect(parsed.event).toBeUndefined();
  });

  it('ids that need quoting are quoted, and reach the parser unchanged', () => {
    const req = notification({ directive: { ...notification().directive, id: "d'x y" }, obligation: deadline({ id: '-starts-with-dash' }) });
    const line = submitCommand(req);
    expect(line).toContain(`--directive 'd'\\''x y'`);
    expect(line).toContain('--obligation=-starts-with-dash');
    expect(parseSubmit(argsOf(line, 'submit'))).toMatchObject({ directive: "d'x y", obligation: '-starts-with-dash' });
  });
});

describe('review and extend lines in notices', () => {
  const submitted = notification({ kind: 'submitted', to: ['so-tttt'], detail: { submissionId: 'sub-1', submittedBy: 'so-y-te' } });

  it('review accept and reject parse as the review command', () => {
    const { accept, reject } = reviewCommands(submitted);
    expect(reviewCommand(submitted, 'sub-1')).toBe(accept);
    expect(parseReview(argsOf(accept, 'review'))).toEqual({ ...REF, decision: 'accept' });
    expect(parseReview(argsOf(reject, 'review'))).toEqual({ ...REF, decision: 'reject', comment: '<ý-kiến|comment>' });
  });

  it('an event instance is reviewed by its event id', () => {
    const req = notification({ kind: 'submitted', obligation: event(), detail: { eventId: 'ev-1', submissionId: 'sub-1' } });
    expect(parseReview(argsOf(reviewCommand(req, 'sub-1', 'reject'), 'review'))).toMatchObject({ obligation: 'report-attack', event: 'ev-1', decision: 'reject' });
  });

  it('extend request parses once the date and reason are filled in; approve and reject name the request', () => {
    const request = argsOf(extendCommand(notification(), 'request'), 'extend');
    expect(request).toContain('<YYYY-MM-DD>');
    expect(parseExtend(fill(request))).toEqual({ action: 'request', request: { ...REF, until: '2022-12-15', reason: 'Chờ kết quả rà soát' } });
    const asked = notification({ kind: 'extension-requested', to: ['so-tttt'], detail: { requestId: 'req-1', until: '2022-12-15', reason: 'x' } });
    expect(parseExtend(argsOf(extendCommand(asked, 'approve'), 'extend'))).toEqual({ action: 'approve', decision: { ...REF, approve: true, requestId: 'req-1' } });
    expect(parseExtend(argsOf(extendCommand(asked, 'reject'), 'extend'))).toMatchObject({ action: 'reject', decision: { approve: false, requestId: 'req-1', comment: '<ý-kiến|comment>' } });
  });
});

describe('commandLine', () => {
  it('renders declared flags only, in declaration order, and throws on an undeclared or missing required flag', () => {
    expect(commandLine('inbox', { flags: { json: true, unit: 'so-y-te' } })).toBe('npx chithi inbox --unit so-y-te --json');
    expect(() => commandLine('submit', { flags: { ...REF, link: 'x=y' } as never })).toThrow(/undeclared flag --link/);
    expect(() => commandLine('review', { positionals: ['accept'], flags: { directive: 'd', obligation: 'o' } as never })).toThrow(/missing required --unit/);
    expect(() => commandLine('submit', { flags: { ...REF, note: ['a', 'b'] as never } })).toThrow(/not repeatable/);
  });

  it('puts placeholders in values only, and checks positionals against the declaration', () => {
    expect(() => commandLine('review', { positionals: ['<accept|reject>'], flags: REF })).toThrow(/placeholder/);
    expect(() => commandLine('review', { positionals: ['maybe'], flags: REF })).toThrow(/not one of accept\|reject/);
    expect(() => commandLine('review', { flags: REF })).toThrow(/exactly one positional/);
    expect(() => commandLine('submit', { positionals: ['x'], flags: REF })).toThrow(/no positional/);
  });

  it('quotes for POSIX sh only what needs it', () => {
    expect(shQuote('so-y-te')).toBe('so-y-te');
    expect(shQuote('Nguyễn')).toBe('Nguyễn');
    expect(shQuote('')).toBe("''");
    expect(shQuote('a b')).toBe("'a b'");
    expect(shQuote("it's")).toBe("'it'\\''s'");
    for (const v of ['$HOME', '`id`', 'a;b', '~x', '*', 'x|y', '#c', "'", '"']) expect(shWords(`x ${shQuote(v)}`)).toEqual(['x', v]);
  });

  it('a value starting with - is joined to its flag (strict parseArgs refuses it as a separate word)', () => {
    const spec: CommandSpec = { name: 't', flags: { a: { type: 'string', value: { vi: 'v', en: 'v' }, description: { vi: 'a', en: 'a' } } } };
    expect(renderCommandLine(spec, { flags: { a: '-1' } })).toBe('npx chithi t --a=-1');
  });
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: process.cwd() });
  return { code, stdout, stderr };
}

describe('help generated from the declarations', () => {
  const names = Object.keys(COMMANDS) as CommandName[];

  it.each(names)('%s --help lists every declared flag with its description, in Vietnamese and English', async (name) => {
    const spec: CommandSpec = COMMANDS[name];
    for (const lang of ['vi', 'en'] as const) {
      const r = await run([name, '--help', '--lang', lang]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(lang === 'vi' ? /^Cách dùng: chithi / : /^Usage: chithi /);
      for (const [flag, decl] of Object.entries(spec.flags)) {
        expect(r.stdout).toMatch(new RegExp(`^  --${flag}\\b.*${decl.description[lang].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
      }
    }
  });

  it.each(names)('%s parses with its declared flags (none is an unknown option)', async (name) => {
    const spec: CommandSpec = COMMANDS[name];
    const flags = Object.entries(spec.flags).flatMap(([flag, decl]) => (decl.type === 'boolean' ? [`--${flag}`] : [`--${flag}`, 'x']));
    // Đối số vị trí sai số lượng: lệnh dừng với mã 2 trước khi chạm tới máy chủ hay tệp.
    // A wrong number of positionals: the command stops with exit 2 before touching a server or file.
    const positionals = !spec.positional ? ['extra'] : spec.positional.many ? [] : ['a', 'b'];
    const r = await run([name, ...positionals, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/Unknown option|unknown/i);
  });

  it('chithi --help lists every declared command', async () => {
    const r = await run(['--help']);
    for (const name of names) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });
});

it('a usage mistake in a parsed line is an exit-2 UserError', () => {
  expect.assertions(2);
  try {
    parseSubmit(['--directive', 'd', '--obligation', 'o', '--unit', 'u', '--link', 'x=y']);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
  }
});
