import { helpText, isChoice } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { actionId, isoDate, parseCommand, required, usageError } from '../args.js';
import { apiRequest } from '../api.js';
import type { Command, Io } from '../io.js';
import { formatDate } from '../../service/labels.js';
import { checkText } from '../../service/text.js';
import { refOf } from './ref.js';

const SPEC = COMMANDS.extend;

type Ref = ReturnType<typeof refOf>;
export type ExtendArgs =
  | { action: 'request'; request: Ref & { until: string; reason: string; id?: string } }
  | { action: 'approve' | 'reject'; decision: Ref & { approve: boolean; requestId?: string; until?: string; comment?: string; id?: string } };

/** Đối số → đề nghị hoặc quyết định gia hạn, không chạm tới máy chủ (xem submit.parseOnly). */
export function parseOnly(args: string[]): ExtendArgs {
  const { values, positionals } = parseCommand(args, SPEC);
  // Said before anything is sent: the limit of what a workflow's history keeps.
  checkText(values.comment, '--comment');
  checkText(values.reason, '--reason');
  const action = positionals[0];
  if (positionals.length !== 1 || !isChoice(SPEC.positional.choices, action)) {
    throw usageError({ vi: 'Cần chọn request, approve hoặc reject.', en: 'Choose request, approve or reject.' }, 'extend');
  }
  const ref = refOf(values, 'extend');
  const until = values.until === undefined ? undefined : isoDate(values.until, '--until', 'extend');
  const id = values.id ? { id: actionId(values.id, 'extend') } : {};
  if (action === 'request') {
    const reason = required(values.reason, '--reason', 'extend');
    return { action, request: { ...ref, until: required(until, '--until', 'extend'), reason, ...id } };
  }
  if (action === 'reject' && until) {
    throw usageError({ vi: '--until chỉ dùng khi duyệt.', en: '--until only applies to approve.' }, 'extend');
  }
  return {
    action,
    decision: {
      ...ref,
      approve: action === 'approve',
      ...(until ? { until } : {}),
      ...(values.request ? { requestId: values.request } : {}),
      ...(values.comment ? { comment: values.comment } : {}),
      ...id,
    },
  };
}

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `request: đơn vị đề nghị gia hạn, cần --until và --reason.
approve: đơn vị duyệt chấp thuận (--until để cho hạn khác với đề nghị); reject: từ chối (không nhận --until).
approve và reject quyết định về đề nghị --request, hoặc đề nghị gần nhất đang chờ của chu kỳ hiện tại;
đề nghị của một chu kỳ đã kết thúc hết hiệu lực cùng chu kỳ đó. Mỗi đề nghị chỉ có một quyết định.
Thao tác được lưu rồi mới gửi tới phiên; nếu gửi không được, chạy lại đúng lệnh (thêm --id đã in).`,
      en: `request: the unit asks for an extension; needs --until and --reason.
approve: the reviewer grants it (--until to grant another date than asked); reject: refuses it (no --until).
approve and reject decide the --request given, or the latest pending one of the current cycle; a
request of a cycle that has ended lapsed with it. A request has one decision. Each action is stored,
then sent to the instance; if sending fails, run the same command again (with the printed --id).`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const parsed = parseOnly(args);
    const vi = io.lang === 'vi';
    if (parsed.action === 'request') {
      const { until } = parsed.request;
      const r = await apiRequest<{ requestId: string; created: boolean }>(io, 'POST', '/api/v1/extensions', { json: parsed.request });
      const again = r.created ? '' : vi ? '; đã lưu từ trước, gửi lại tới phiên' : '; stored before, sent to the instance again';
      io.stdout(vi ? `Đã gửi đề nghị gia hạn đến ${formatDate(until)} (mã ${r.requestId}${again}).\n` : `Extension to ${formatDate(until)} requested (id ${r.requestId}${again}).\n`);
      return 0;
    }
    const { approve, requestId, ...decision } = parsed.decision;
    const r = await apiRequest<{ requestId: string; decisionId: string; until?: string; created: boolean }>(io, 'POST', '/api/v1/extensions/decisions', {
      json: { ...decision, decision: approve ? 'approve' : 'reject', ...(requestId !== undefined && { request: requestId }) },
    });
    const again = r.created ? '' : vi ? '; đã lưu từ trước, gửi lại tới phiên' : '; stored before, sent to the instance again';
    io.stdout(
      r.until
        ? vi
          ? `Đã duyệt gia hạn đến ${formatDate(r.until)} (đề nghị ${r.requestId}, mã quyết định ${r.decisionId}${again}).\n`
          : `Extension approved until ${formatDate(r.until)} (request ${r.requestId}, decision id ${r.decisionId}${again}).\n`
        : vi
          ? `Đã từ chối đề nghị gia hạn ${r.requestId} (mã quyết định ${r.decisionId}${again}).\n`
          : `Extension request ${r.requestId} rejected (decision id ${r.decisionId}${again}).\n`,
    );
    return 0;
  },
};
