import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { parseCommand, usageError } from '../args.js';
import type { InboxNotice } from '../../activities/store/inbox.js';
import { apiRequest } from '../api.js';
import type { Command, Io } from '../io.js';
import { formatDate } from '../../service/labels.js';

const SPEC = COMMANDS['inbox'];

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: 'Các thông báo (mở nghĩa vụ, nhắc hạn, quá hạn, kết quả duyệt…), mới nhất trước.',
      en: "The unit's notices (opened, reminders, overdue, review results…), newest first.",
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommand(args, SPEC);
    if (positionals.length > 0) throw usageError({ vi: `Thừa đối số: ${positionals.join(' ')}`, en: `Unexpected argument: ${positionals.join(' ')}` }, 'inbox');
    const unit = values.unit;
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit <= 0) throw usageError({ vi: '--limit cần một số nguyên dương.', en: '--limit takes a positive integer.' }, 'inbox');
    const messages = await apiRequest<InboxNotice[]>(io, 'GET', '/api/v1/inbox', { query: { unit, limit, ...(values.unread && { unread: true }) } });
    if (values.json) {
      io.stdout(JSON.stringify(messages, null, 2) + '\n');
      return 0;
    }
    const vi = io.lang === 'vi';
    if (messages.length === 0) {
      io.stdout(vi ? `Hộp thư${unit ? ` của ${unit}` : ''} trống.\n` : `${unit ? `${unit}'s inbox` : 'The inbox'} is empty.\n`);
      return 0;
    }
    for (const m of messages) {
      io.stdout(`${m.read ? ' ' : '•'} ${formatDate(m.at)}  ${m.subject}\n`);
    }
    io.stdout(vi ? `\n${messages.length} thông báo.\n` : `\n${messages.length} notice(s).\n`);
    return 0;
  },
};
