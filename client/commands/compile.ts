import type { Command, Lang } from '../io.js';
import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { isoDate, parseCommand, usageError } from '../args.js';
import { compileFile, formatDiagnostic } from '../../compiler/index.js';
import type { Plan, PlanObligation } from '../../compiler/plan.js';
import { durationWords, everyWords } from '../../common/durations.js';
import { chosenWords, timingBasis } from '../../common/timing-words.js';

const KIND: Record<PlanObligation['kind'], { vi: string; en: string }> = {
  deadline: { vi: 'hạn chót', en: 'deadline' },
  recurring: { vi: 'định kỳ', en: 'recurring' },
  event: { vi: 'sự kiện', en: 'event' },
  ongoing: { vi: 'thường xuyên', en: 'ongoing' },
};

/**
 * When an obligation is due, in words in both languages (common/durations.ts: "mỗi 6 tháng", not
 * "mỗi P6M"). "(văn bản: <date>)" only where the text gave that date and the calendar moved it: a
 * date counted from the issue date (`due: { after: … }`) shows its period instead, one the drafting
 * office chose (`interpreted`, 1.1) says so with the text's own words, and one counted from a
 * receipt or a completion (1.1) shows no date at all: it is known only then (docs/directive-format.md).
 * `clauseOf` names the obligation a due date counts from by its clause.
 */
export function timingText(o: PlanObligation, lang: Lang, clauseOf?: (id: string) => string | undefined): string {
  const vi = lang === 'vi';
  const chosen = o.interpreted ? ` (${chosenWords(o.interpreted.text)[lang]})` : '';
  switch (o.kind) {
    case 'deadline': {
      const basis = timingBasis(o, clauseOf);
      if (o.relativeDue !== undefined && basis) return `${vi ? 'hạn' : 'due'} ${basis[lang]}`;
      const due = `${vi ? 'hạn' : 'due'} ${o.effectiveDue}`;
      if (basis) return `${due} (${basis[lang]})`;
      return o.effectiveDue === o.due ? due : `${due} (${vi ? 'văn bản' : 'text'}: ${o.due})`;
    }
    case 'recurring': {
      const basis = o.relativeDue !== undefined ? timingBasis(o, clauseOf) : undefined;
      if (basis) return basis[lang];
      return `${everyWords(o.every)[lang]}${chosen}, ${vi ? 'lần đầu' : 'first due'} ${o.firstDue}`;
    }
    case 'event':
      return (vi ? `trong ${durationWords(o.within).vi} sau ${o.event}` : `within ${durationWords(o.within).en} after ${o.event}`) + chosen;
    case 'ongoing':
      return `${vi ? 'xác nhận' : 'attest'} ${everyWords(o.attestEvery)[lang]}, ${vi ? 'lần đầu' : 'first due'} ${o.firstDue}`;
  }
}

function summary(plan: Plan, lang: Lang): string {
  const vi = lang === 'vi';
  const d = plan.directive;
  const title = d.title[lang] ?? d.title.vi;
  const lines = [
    `${d.number} — ${title}`,
    vi
      ? `  mã ${d.id}, bản ${d.revision}; ban hành ${d.issued} bởi ${d.issuer}; đơn vị tính tại ${d.asOf}; hash ${plan.hash.slice(0, 12)}`
      : `  id ${d.id}, revision ${d.revision}; issued ${d.issued} by ${d.issuer}; units as of ${d.asOf}; hash ${plan.hash.slice(0, 12)}`,
    '',
  ];
  const w = (xs: string[]) => Math.max(...xs.map((x) => x.length));
  const clauseW = w(plan.obligations.map((o) => o.clause));
  const idW = w(plan.obligations.map((o) => o.id));
  const kindW = w(plan.obligations.map((o) => KIND[o.kind][lang]));
  const clauses = new Map(plan.obligations.map((o) => [o.id, o.clause]));
  const timings = plan.obligations.map((o) => timingText(o, lang, (id) => clauses.get(id)));
  const timingW = w(timings);
  plan.obligations.forEach((o, i) => {
    const count = vi ? `${o.assignees.length} đơn vị` : `${o.assignees.length} unit${o.assignees.length === 1 ? '' : 's'}`;
    lines.push(`  ${o.clause.padEnd(clauseW)}  ${o.id.padEnd(idW)}  ${KIND[o.kind][lang].padEnd(kindW)}  ${timings[i]!.padEnd(timingW)}  ${count}`);
  });
  const unitCount = Object.keys(plan.units).length;
  lines.push('', vi ? `${plan.obligations.length} nhiệm vụ, ${unitCount} đơn vị liên quan.` : `${plan.obligations.length} obligations, ${unitCount} units involved.`);
  return lines.join('\n') + '\n';
}

const SPEC = COMMANDS['compile'];

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Kiểm tra và biên dịch chỉ thị; in tóm tắt (mỗi nhiệm vụ một dòng: điều khoản, mã, loại,
thời hạn, số đơn vị chủ trì). Không ghi gì ra đĩa.`,
      en: `Checks and compiles a directive; prints a summary (one obligation per line: clause, id, kind,
timing, number of assignees). Writes nothing.`,
    },
    epilogue: {
      vi: `Biến môi trường CHITHI_CALENDAR_DIR: thư mục lịch làm việc (mặc định directives/calendars).

Mã thoát: 0 thành công, 1 chỉ thị có lỗi, 2 sai cách dùng.`,
      en: `Environment CHITHI_CALENDAR_DIR: directory of working calendars (default directives/calendars).

Exit codes: 0 success, 1 invalid directive, 2 usage error.`,
    },
  }),
  async run(args, io) {
    const { values, positionals } = parseCommand(args, SPEC);
    if (positionals.length !== 1) throw usageError({ vi: 'Cần đúng một tệp chỉ thị.', en: 'Give exactly one directive file.' }, 'compile');
    const asOf = values['as-of'] !== undefined ? isoDate(values['as-of'], '--as-of', 'compile') : undefined;
    const r = await compileFile(positionals[0]!, { cwd: io.cwd, ...(io.env.CHITHI_CALENDAR_DIR ? { calendarDir: io.env.CHITHI_CALENDAR_DIR } : {}), ...(asOf ? { asOf, asOfGiven: true } : {}), ...(values.units ? { registryPath: values.units } : {}) });
    for (const d of r.diagnostics) io.stderr(formatDiagnostic(d, io.lang) + '\n');
    if (!r.ok) return 1;
    io.stdout(values.json ? JSON.stringify(r.plan, null, 2) + '\n' : summary(r.plan, io.lang));
    return 0;
  },
};
