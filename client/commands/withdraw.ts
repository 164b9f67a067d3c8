import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { parseCommand, usageError } from '../args.js';
import { withRuntime } from '../../service/connect.js';
import type { Command, Io } from '../io.js';
import { withdrawDirective } from '../../service/withdraw.js';

const SPEC = COMMANDS['withdraw'];

export const command: Command = {
  help: helpText(SPEC, {
    intro: { vi: 'Dừng mọi nghĩa vụ đang mở của chỉ thị; các đơn vị được thông báo.', en: 'Stops every open obligation of the directive; the units are notified.' },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommand(args, SPEC);
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
