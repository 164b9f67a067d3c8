import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { actionId, pairs, parseCommand, usageError } from '../args.js';
import { openAsBlob, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UserError } from '../../common/errors.js';
import { apiRequest } from '../api.js';
import type { Command, Io } from '../io.js';
import type { SubmitRequest } from '../../service/submit.js';
import { checkText } from '../../service/text.js';
import { refOf } from './ref.js';

const SPEC = COMMANDS.submit;

/**
 * Đối số → yêu cầu nộp, không chạm tới máy chủ: sai cách dùng ném UserError mã 2. Kiểm thử dùng
 * hàm này để chạy dòng lệnh in trong thông báo qua đúng bộ phân tích của lệnh.
 * Arguments → a submit request, touching no server: usage mistakes throw exit-2 UserErrors. Tests
 * run the command lines printed in notices through the command's own parser with it.
 */
export function parseOnly(args: string[]): Omit<SubmitRequest, 'cwd'> & { files: string[]; fields: [string, string][] } {
  const { values, positionals } = parseCommand(args, SPEC);
  // Said before anything is sent: the limit of what a workflow's history keeps.
  checkText(values.note, '--note');
  if (positionals.length > 0) throw usageError({ vi: `Thừa đối số: ${positionals.join(' ')}`, en: `Unexpected argument: ${positionals.join(' ')}` }, 'submit');
  const ref = refOf(values, 'submit');
  const files = values.file ?? [];
  const fields = pairs(values.field, '--field', 'submit');
  if (files.length === 0 && fields.length === 0) {
    throw usageError({ vi: 'Cần ít nhất một --file hoặc --field.', en: 'Give at least one --file or --field.' }, 'submit');
  }
  return {
    ...ref,
    files,
    fields,
    ...(values.note ? { note: values.note } : {}),
    ...(values.id ? { id: actionId(values.id, 'submit') } : {}),
  };
}

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Cần ít nhất một --file hoặc --field. Kiểm tra minh chứng theo yêu cầu của nghĩa vụ (thiếu
trường bắt buộc, sai định dạng thư điện tử/số điện thoại, tệp không tồn tại → báo lỗi và không lưu
gì), lưu vào PostgreSQL kèm mã băm sha256, rồi chuyển cho người duyệt. Đường dẫn (link) và xác nhận
cũng nộp bằng --field: --field <tên>=https://… , --field <tên>=yes. Nếu đã lưu mà chưa chuyển được, chạy
lại đúng lệnh thêm --id đã in: không lưu thêm bản nào.`,
      en: `Give at least one --file or --field. Checks the evidence against the obligation's requirements
(missing required field, bad e-mail/phone, missing file → an error and nothing stored), stores it
in PostgreSQL with its sha256, then hands it to the reviewer. Links and attestations are --fields
too: --field <name>=https://… , --field <name>=yes. If it was stored but could not be handed over,
run the same command again with the printed --id: nothing is stored twice.`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const req = parseOnly(args);
    const form = new FormData();
    form.append('directive', req.directive);
    form.append('obligation', req.obligation);
    form.append('unit', req.unit);
    if (req.event !== undefined) form.append('event', req.event);
    if (req.note !== undefined) form.append('note', req.note);
    if (req.id !== undefined) form.append('id', req.id);
    for (const [name, value] of req.fields) form.append('field', `${name}=${value}`);
    for (const spec of req.files) {
      // `name=path`, or a bare path (a part named `file`: the obligation's only document).
      const at = spec.indexOf('=');
      const named = at > 0 && !/^[A-Za-z]:[\\/]/.test(spec);
      const path = resolve(io.cwd, named ? spec.slice(at + 1) : spec);
      let isFile = false;
      try {
        isFile = statSync(path).isFile();
      } catch (err) {
        throw new UserError({ vi: `Không đọc được tệp ${path}: không có gì được nộp.`, en: `Cannot read file ${path}: nothing was submitted.` }, 1, { cause: err });
      }
      if (!isFile) throw new UserError({ vi: `${path} không phải một tệp: không có gì được nộp.`, en: `${path} is not a file: nothing was submitted.` });
      // Streamed from disk, not read into memory: a scan may be 20 MB.
      form.append(named ? spec.slice(0, at) : 'file', await openAsBlob(path), basename(path));
    }
    const result = await apiRequest<{ submissionId: string; created: boolean; items: { name: string }[]; approval?: 'pending' | 'approved' }>(io, 'POST', '/api/v1/submissions', { form });
    const names = result.items.map((i) => i.name).join(', ');
    if (result.approval === 'pending') {
      // Stored, not sent: the unit requires its head's approval (registry submissionApproval).
      io.stdout(
        io.lang === 'vi'
          ? `Đã lưu minh chứng (mã ${result.submissionId}): ${names}${result.created ? '' : ' (đã lưu từ trước)'}. Đang chờ lãnh đạo đơn vị phê duyệt; chỉ gửi tới cơ quan duyệt khi được phê duyệt (chithi approve ${result.submissionId}).\n`
          : `Evidence stored (id ${result.submissionId}): ${names}${result.created ? '' : ' (stored before)'}. Awaiting the unit head's approval; it goes to the reviewer only once approved (chithi approve ${result.submissionId}).\n`,
      );
      return 0;
    }
    io.stdout(
      io.lang === 'vi'
        ? result.created
          ? `Đã nộp minh chứng (mã ${result.submissionId}): ${names}. Đang chờ duyệt.\n`
          : `Minh chứng ${result.submissionId} (${names}) đã được lưu từ trước; đã gửi lại tới phiên. Đang chờ duyệt.\n`
        : result.created
          ? `Evidence submitted (id ${result.submissionId}): ${names}. Awaiting review.\n`
          : `Evidence ${result.submissionId} (${names}) was stored before; sent to the instance again. Awaiting review.\n`,
    );
    return 0;
  },
};
