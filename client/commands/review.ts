import { parse, usageError } from '../args.js';
import { withRuntime } from '../connect.js';
import type { Command, Io } from '../io.js';
import { review } from '../review.js';
import { REF_HELP, REF_OPTIONS, refOf } from './ref.js';

export const command: Command = {
  summary: { vi: 'Duyệt (chấp nhận / từ chối) minh chứng đã nộp', en: 'Accept or reject submitted evidence' },
  help: {
    vi: `Cách dùng: chithi review accept|reject --directive <mã> --obligation <mã> --unit <mã> [--comment <ý kiến>] [--as <người duyệt>]

Quyết định về lần nộp minh chứng gần nhất đang chờ duyệt.

${REF_HELP.vi}
  --comment     ý kiến (lý do khi từ chối)
  --as          đơn vị duyệt (mặc định: đơn vị duyệt của nghĩa vụ)
`,
    en: `Usage: chithi review accept|reject --directive <id> --obligation <id> --unit <id> [--comment <text>] [--as <reviewer>]

Decides the latest submission awaiting review.

${REF_HELP.en}
  --comment     comment (the reason, when rejecting)
  --as          reviewing unit (default: the obligation's reviewer)
`,
  },
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parse(args, { ...REF_OPTIONS, comment: { type: 'string' }, as: { type: 'string' } }, 'review');
    const decision = positionals[0];
    if (positionals.length !== 1 || (decision !== 'accept' && decision !== 'reject')) {
      throw usageError({ vi: 'Cần chọn accept hoặc reject.', en: 'Choose accept or reject.' }, 'review');
    }
    const ref = refOf(values, 'review');
    const result = await withRuntime(io.env, (rt) =>
      review({ ...ref, decision, ...(values.comment ? { comment: values.comment } : {}), ...(values.as ? { as: values.as } : {}) }, rt),
    );
    const vi = io.lang === 'vi';
    io.stdout(
      decision === 'accept'
        ? vi ? `Đã chấp nhận minh chứng ${result.submissionId}.\n` : `Accepted submission ${result.submissionId}.\n`
        : vi ? `Đã từ chối minh chứng ${result.submissionId}; đơn vị sẽ được thông báo để nộp lại.\n` : `Rejected submission ${result.submissionId}; the unit is told to resubmit.\n`,
    );
    return 0;
  },
};
