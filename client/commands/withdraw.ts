import { parse, usageError } from '../args.js';
import { withRuntime } from '../connect.js';
import type { Command, Io } from '../io.js';
import { withdrawDirective } from '../withdraw.js';

export const command: Command = {
  summary: { vi: 'Thu hồi một chỉ thị (hoặc ghi nhận bị thay thế)', en: 'Withdraw a directive (or mark it superseded)' },
  help: {
    vi: `Cách dùng: chithi withdraw <mã-chỉ-thị> [--superseded-by <mã>]

Dừng mọi nghĩa vụ đang mở của chỉ thị; các đơn vị được thông báo.

  --superseded-by   chỉ thị thay thế
  --as              người thu hồi (ghi vào nhật ký)
`,
    en: `Usage: chithi withdraw <directive-id> [--superseded-by <id>]

Stops every open obligation of the directive; the units are notified.

  --superseded-by   the directive replacing it
  --as              who withdraws (for the audit trail)
`,
  },
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parse(args, { 'superseded-by': { type: 'string' }, as: { type: 'string' } }, 'withdraw');
    const id = positionals[0];
    if (positionals.length !== 1 || !id) throw usageError({ vi: 'Cần đúng một mã chỉ thị.', en: 'Give exactly one directive id.' }, 'withdraw');
    const supersededBy = values['superseded-by'];
    const r = await withRuntime(io.env, (rt) =>
      withdrawDirective(id, { ...rt, ...(supersededBy ? { supersededBy } : {}), ...(values.as ? { by: values.as } : {}) }),
    );
    const vi = io.lang === 'vi';
    io.stdout(
      supersededBy
        ? vi ? `Chỉ thị ${id} được thay thế bởi ${supersededBy}: đã thu hồi ${r.withdrawn} nghĩa vụ đang mở.\n` : `Directive ${id} superseded by ${supersededBy}: ${r.withdrawn} open obligation(s) withdrawn.\n`
        : vi ? `Đã thu hồi chỉ thị ${id}: ${r.withdrawn} nghĩa vụ đang mở.\n` : `Directive ${id} withdrawn: ${r.withdrawn} open obligation(s).\n`,
    );
    return 0;
  },
};
