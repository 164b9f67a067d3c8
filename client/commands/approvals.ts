import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { parseCommand, usageError } from '../args.js';
import type { PendingSubmission } from '../../activities/store/submissions.js';
import { apiRequest } from '../api.js';
import type { Command, Io } from '../io.js';
import { formatDate } from '../../service/labels.js';

const SPEC = COMMANDS.approvals;

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Minh chứng cán bộ đã nộp, đang chờ lãnh đạo đơn vị phê duyệt trước khi gửi tới cơ quan duyệt (chỉ ở
đơn vị có submissionApproval: unit-head trong danh mục), cũ nhất trước. Phê duyệt: chithi approve <mã>;
trả lại: chithi approve <mã> --return --comment "…".`,
      en: `Submissions by the unit's officers awaiting a unit head's approval before they go to the reviewer
(only in units whose registry entry says submissionApproval: unit-head), oldest first. Approve:
chithi approve <id>; return: chithi approve <id> --return --comment "…".`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommand(args, SPEC);
    if (positionals.length > 0) throw usageError({ vi: `Thừa đối số: ${positionals.join(' ')}`, en: `Unexpected argument: ${positionals.join(' ')}` }, 'approvals');
    const pending = await apiRequest<PendingSubmission[]>(io, 'GET', '/api/v1/approvals', { query: { unit: values.unit } });
    if (values.json) {
      io.stdout(JSON.stringify(pending, null, 2) + '\n');
      return 0;
    }
    const vi = io.lang === 'vi';
    if (pending.length === 0) {
      io.stdout(vi ? 'Không có minh chứng nào chờ phê duyệt.\n' : 'No submission awaits approval.\n');
      return 0;
    }
    for (const p of pending) {
      const names = p.items.map((i) => i.name).join(', ');
      io.stdout(`${p.submissionId}  ${formatDate(p.at)}  ${p.directiveId}/${p.obligationId}${p.eventId ? ` (${p.eventId})` : ''}  ${p.submittedBy}  ${names}\n`);
      if (p.note) io.stdout(`    ${p.note}\n`);
    }
    io.stdout(vi ? `\n${pending.length} minh chứng chờ phê duyệt.\n` : `\n${pending.length} submission(s) awaiting approval.\n`);
    return 0;
  },
};
