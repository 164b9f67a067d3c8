import { helpText, isChoice } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { actionId, parseCommand, usageError } from '../args.js';
import { apiRequest } from '../api.js';
import type { Command, Io } from '../io.js';
import type { ReviewRequest } from '../../service/review.js';
import { checkText } from '../../service/text.js';
import { refOf } from './ref.js';

const SPEC = COMMANDS.review;

/** Đối số → yêu cầu duyệt, không chạm tới máy chủ (xem submit.parseOnly). / Arguments → a review request, touching no server. */
export function parseOnly(args: string[]): ReviewRequest {
  const { values, positionals } = parseCommand(args, SPEC);
  // Said before anything is sent: the limit of what a workflow's history keeps.
  checkText(values.comment, '--comment');
  const decision = positionals[0];
  if (positionals.length !== 1 || !isChoice(SPEC.positional.choices, decision)) {
    throw usageError({ vi: 'Cần chọn accept hoặc reject.', en: 'Choose accept or reject.' }, 'review');
  }
  return {
    ...refOf(values, 'review'),
    decision,
    ...(values.comment ? { comment: values.comment } : {}),
    ...(values.id ? { id: actionId(values.id, 'review') } : {}),
  };
}

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Quyết định về lần nộp minh chứng gần nhất đang chờ duyệt. Mỗi lần nộp chỉ có một quyết định: quyết định
khác về lần nộp đã được quyết định bị từ chối, kèm tên người đã quyết định. Quyết định được lưu rồi mới gửi
tới phiên; nếu gửi không được, chạy lại đúng lệnh (thêm --id đã in) để gửi lại.`,
      en: `Decides the latest submission awaiting review. A submission has one decision: another decision on a
decided submission is refused, naming who decided it. The decision is stored, then sent to the instance; if
sending fails, run the same command again (with the printed --id) to send it again.`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const req = parseOnly(args);
    const result = await apiRequest<{ submissionId: string; reviewId: string; created: boolean }>(io, 'POST', '/api/v1/reviews', { json: req });
    const vi = io.lang === 'vi';
    const again = result.created ? '' : vi ? ' (đã lưu từ trước; gửi lại tới phiên)' : ' (stored before; sent to the instance again)';
    io.stdout(
      req.decision === 'accept'
        ? vi ? `Đã chấp nhận minh chứng ${result.submissionId} (mã quyết định ${result.reviewId})${again}.\n` : `Accepted submission ${result.submissionId} (decision id ${result.reviewId})${again}.\n`
        : vi
          ? `Đã từ chối minh chứng ${result.submissionId} (mã quyết định ${result.reviewId})${again}; đơn vị sẽ được thông báo để nộp lại.\n`
          : `Rejected submission ${result.submissionId} (decision id ${result.reviewId})${again}; the unit is told to resubmit.\n`,
    );
    return 0;
  },
};
