import type { Command } from '../io.js';
import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { isoDate, parseCommand, usageError } from '../args.js';
import { formatDiagnostic, validateFile } from '../../compiler/index.js';

const SPEC = COMMANDS['validate'];

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Kiểm tra từng tệp (chỉ thị hoặc danh mục đơn vị, nhận biết qua \`kind\`) và báo mọi lỗi
dạng tệp:dòng:cột. Không ghi gì ra đĩa.`,
      en: `Checks each file (a directive or a unit registry, told apart by \`kind\`) and reports every
problem as file:line:column. Writes nothing.`,
    },
    epilogue: {
      vi: `Biến môi trường CHITHI_CALENDAR_DIR: thư mục lịch làm việc (mặc định directives/calendars).

Mã thoát: 0 hợp lệ, 1 có lỗi, 2 sai cách dùng.`,
      en: `Environment CHITHI_CALENDAR_DIR: directory of working calendars (default directives/calendars).

Exit codes: 0 valid, 1 invalid, 2 usage error.`,
    },
  }),
  async run(args, io) {
    const { values, positionals } = parseCommand(args, SPEC);
    if (positionals.length === 0) throw usageError({ vi: 'Cần ít nhất một tệp.', en: 'Give at least one file.' }, 'validate');
    const asOf = values['as-of'] !== undefined ? isoDate(values['as-of'], '--as-of', 'validate') : undefined;
    let failed = false;
    for (const file of positionals) {
      const r = await validateFile(file, { cwd: io.cwd, ...(io.env.CHITHI_CALENDAR_DIR ? { calendarDir: io.env.CHITHI_CALENDAR_DIR } : {}), ...(asOf ? { asOf, asOfGiven: true } : {}), ...(values.units ? { registryPath: values.units } : {}) });
      for (const d of r.diagnostics) io.stderr(formatDiagnostic(d, io.lang) + '\n');
      const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = r.diagnostics.length - errors;
      if (r.ok) {
        const what = r.kind === 'UnitRegistry' ? { vi: 'danh mục đơn vị', en: 'unit registry' } : { vi: 'chỉ thị', en: 'directive' };
        const w = warnings > 0 ? (io.lang === 'vi' ? `, ${warnings} cảnh báo` : `, ${warnings} warning(s)`) : '';
        io.stdout(io.lang === 'vi' ? `✓ ${file}: ${what.vi} hợp lệ${w}\n` : `✓ ${file}: valid ${what.en}${w}\n`);
      } else {
        failed = true;
        io.stderr(io.lang === 'vi' ? `✗ ${file}: ${errors} lỗi\n` : `✗ ${file}: ${errors} error(s)\n`);
      }
    }
    return failed ? 1 : 0;
  },
};
