import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { parseCommand, usageError } from '../args.js';
import { apiRequest } from '../api.js';
import type { Command, Io } from '../io.js';

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
    const r = await apiRequest<{ withdrawn: number }>(io, 'POST', `/api/v1/directives/${encodeURIComponent(id)}/withdraw`, { json: supersededBy ? { supersededBy } : {} });
    const vi = io.lang === 'vi';
    io.stdout(
      supersededBy
        ? vi ? `Chỉ thị ${id} được thay thế bởi ${supersededBy}: đã thu hồi ${r.withdrawn} nghĩa vụ đang mở.\n` : `Directive ${id} superseded by ${supersededBy}: ${r.withdrawn} open obligation(s) withdrawn.\n`
        : vi ? `Đã thu hồi chỉ thị ${id}: ${r.withdrawn} nghĩa vụ đang mở.\n` : `Directive ${id} withdrawn: ${r.withdrawn} open obligation(s).\n`,
    );
    return 0;
  },
};
