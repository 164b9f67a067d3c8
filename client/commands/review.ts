import { helpText, isChoice } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { parseCommand, usageError } from '../args.js';
import { withRuntime } from '../connect.js';
import type { Command, Io } from '../io.js';
import { review, type ReviewRequest } from '../review.js';
import { refOf } from './ref.js';

const SPEC = COMMANDS.review;

/** Đối số → yêu cầu duyệt, không chạm tới máy chủ (xem submit.parseOnly). / Arguments → a review request, touching no server. */
export function parseOnly(args: string[]): ReviewRequest {
  const { values, positionals } = parseCommand(args, SPEC);
  const decision = positionals[0];
  if (positionals.length !== 1 || !isChoice(SPEC.positional.choices, decision)) {
    throw usageError({ vi: 'Cần chọn accept hoặc reject.', en: 'Choose accept or reject.' }, 'review');
  }
  return { ...refOf(values, 'review'), decision, ...(values.comment ? { comment: values.comment } : {}), ...(values.as ? { as: values.as } : {}) };
}

export const command: Command = {
  summary: { vi: 'Duyệt (chấp nhận / từ chối) minh chứng đã nộp', en: 'Accept or reject submitted evidence' },
  help: helpText(SPEC, {
    intro: { vi: 'Quyết định về lần nộp minh chứng gần nhất đang chờ duyệt.', en: 'Decides the latest submission awaiting review.' },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const req = parseOnly(args);
    const result = await withRuntime(io.env, (rt) => review(req, rt));
    const vi = io.lang === 'vi';
    io.stdout(
      req.decision === 'accept'
        ? vi ? `Đã chấp nhận minh chứng ${result.submissionId}.\n` : `Accepted submission ${result.submissionId}.\n`
        : vi ? `Đã từ chối minh chứng ${result.submissionId}; đơn vị sẽ được thông báo để nộp lại.\n` : `Rejected submission ${result.submissionId}; the unit is told to resubmit.\n`,
    );
    return 0;
  },
};
