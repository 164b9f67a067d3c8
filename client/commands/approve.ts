import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { parseCommand, usageError } from '../args.js';
import { apiRequest } from '../api.js';
import type { Command, Io } from '../io.js';
import type { ApprovalResult } from '../../service/approval.js';
import { checkText } from '../../service/text.js';

const SPEC = COMMANDS.approve;

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Lãnh đạo đơn vị quyết định về một minh chứng đang chờ (xem chithi approvals): phê duyệt thì minh chứng
được gửi tới cơ quan duyệt như khi nộp; trả lại (--return, cần --comment) thì không gửi, và hộp thư đơn vị
ghi lý do để cán bộ sửa và nộp lại. Mỗi minh chứng một quyết định; chạy lại cùng quyết định thì gửi lại.`,
      en: `A unit head decides on a pending submission (see chithi approvals): approved, it is sent to the
reviewer as a submission is; returned (--return, needs --comment), it is not sent, and the unit's inbox
says why so the officer can correct it and submit again. One decision per submission; the same decision
again sends it again.`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommand(args, SPEC);
    // Said before anything is sent: the limit of what the service keeps.
    checkText(values.comment, '--comment');
    if (positionals.length !== 1) throw usageError({ vi: 'Cần đúng một mã minh chứng (xem chithi approvals).', en: 'Give exactly one submission id (see chithi approvals).' }, 'approve');
    if (values.return && !values.comment?.trim()) {
      throw usageError({ vi: 'Trả lại cần --comment "<lý do>" để cán bộ biết sửa gì.', en: 'Returning needs --comment "<reason>" so the officer knows what to correct.' }, 'approve');
    }
    const id = positionals[0]!;
    const result = await apiRequest<ApprovalResult>(io, 'POST', `/api/v1/submissions/${encodeURIComponent(id)}/approval`, {
      json: { decision: values.return ? 'return' : 'approve', ...(values.comment !== undefined && { comment: values.comment }) },
    });
    const vi = io.lang === 'vi';
    const again = result.created ? '' : vi ? ' (đã quyết định từ trước)' : ' (decided before)';
    io.stdout(
      result.decision === 'approved'
        ? vi
          ? `Đã phê duyệt minh chứng ${result.submissionId}${again}; đã gửi tới cơ quan duyệt.\n`
          : `Approved submission ${result.submissionId}${again}; sent to the reviewer.\n`
        : vi
          ? `Đã trả lại minh chứng ${result.submissionId}${again}; không gửi đi, hộp thư đơn vị đã ghi lý do.\n`
          : `Returned submission ${result.submissionId}${again}; not sent, the unit's inbox says why.\n`,
    );
    return 0;
  },
};
