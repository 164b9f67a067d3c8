import { resolve } from 'node:path';
import { compileFile } from '../../compiler/index.js';
import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { planImpact } from '../../service/impact.js';
import { isoDate, parseCommand, usageError } from '../args.js';
import { printDiagnostics } from '../diagnostics.js';
import { formatImpact } from '../impact.js';
import type { Command, Io } from '../io.js';

const SPEC = COMMANDS['diff'];

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Biên dịch hai bản của một chỉ thị (mỗi bản với danh mục đơn vị nó ghi) và in những gì bản
mới thay đổi: nghĩa vụ và đơn vị thêm, bớt; hạn dời (từ → đến); nhắc hạn, báo cáo cấp trên
đổi; số phiên sẽ khởi động, điều chỉnh, thu hồi nếu triển khai bản mới thay bản cũ; và thông
báo mỗi đơn vị sẽ nhận vì thế. Không cần máy chủ; không ghi gì.
So với bản đang chạy: chithi deploy <tệp> --dry-run.`,
      en: `Compiles two versions of a directive (each with the registry it names) and prints what the
new one changes: obligations and units added or removed; due dates moved (from → to);
reminders and escalations changed; how many instances deploying the new one over the old
would start, amend and withdraw; and the notices each unit would receive as a result.
Needs no server; writes nothing.
Against the running version: chithi deploy <file> --dry-run.`,
    },
    epilogue: { vi: 'Mã thoát: 0 thành công, 1 một bản có lỗi hoặc hai bản khác chỉ thị, 2 sai cách dùng.', en: 'Exit codes: 0 success, 1 a version has errors or they are different directives, 2 usage error.' },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommand(args, SPEC);
    if (positionals.length !== 2) throw usageError({ vi: 'Cần đúng hai tệp: bản cũ, rồi bản mới.', en: 'Give exactly two files: the old version, then the new one.' }, 'diff');
    const asOf = values['as-of'] === undefined ? undefined : isoDate(values['as-of'], '--as-of', 'diff');
    const [oldFile, newFile] = positionals.map((f) => resolve(io.cwd, f)) as [string, string];
    const old = await compileFile(oldFile, { ...(asOf ? { asOf } : {}) });
    const next = await compileFile(newFile, { ...(asOf ? { asOf } : {}), ...(old.ok && !asOf ? { asOf: old.plan.directive.asOf } : {}) });
    printDiagnostics([...old.diagnostics, ...next.diagnostics], io);
    if (!old.ok || !next.ok) {
      io.stderr(io.lang === 'vi' ? 'Một bản có lỗi: không so được.\n' : 'A version has errors: nothing compared.\n');
      return 1;
    }
    if (old.plan.directive.id !== next.plan.directive.id) {
      io.stderr(
        io.lang === 'vi'
          ? `Hai tệp là hai chỉ thị khác nhau (${old.plan.directive.id}, ${next.plan.directive.id}): chỉ so được hai bản của cùng một chỉ thị (cùng metadata.id).\n`
          : `The files are two different directives (${old.plan.directive.id}, ${next.plan.directive.id}): only two versions of one directive (the same metadata.id) compare.\n`,
      );
      return 1;
    }
    const impact = planImpact(old.plan, next.plan);
    io.stdout(values.json ? JSON.stringify(impact, null, 2) + '\n' : formatImpact(impact, io.lang));
    return 0;
  },
};
