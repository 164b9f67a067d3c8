import { pairs, parse, usageError } from '../args.js';
import { withRuntime } from '../connect.js';
import type { Command, Io } from '../io.js';
import { submit } from '../submit.js';
import { REF_HELP, REF_OPTIONS, refOf } from './ref.js';

export const command: Command = {
  summary: { vi: 'Nộp minh chứng hoàn thành một nghĩa vụ', en: 'Submit evidence that an obligation is done' },
  help: {
    vi: `Cách dùng: chithi submit --directive <mã> --obligation <mã> --unit <mã>
                     (--file [<tên>=]<đường-dẫn>… | --field <tên>=<giá-trị>…) [--note <ghi chú>]

Kiểm tra minh chứng theo yêu cầu của nghĩa vụ (thiếu trường bắt buộc, sai định dạng
thư điện tử/số điện thoại, tệp không tồn tại → báo lỗi và không lưu gì), lưu vào
PostgreSQL kèm mã băm sha256, rồi chuyển cho người duyệt.

${REF_HELP.vi}
  --file        tài liệu; lặp lại được; ghi <tên>= khi có nhiều loại tài liệu
  --field       trường, đường dẫn (link) hoặc xác nhận (yes); lặp lại được
  --note        ghi chú gửi người duyệt
  --as          người nộp (mặc định: đơn vị)
`,
    en: `Usage: chithi submit --directive <id> --obligation <id> --unit <id>
                     (--file [<name>=]<path>… | --field <name>=<value>…) [--note <text>]

Checks the evidence against the obligation's requirements (missing required
field, bad e-mail/phone, missing file → an error and nothing stored), stores it
in PostgreSQL with its sha256, then hands it to the reviewer.

${REF_HELP.en}
  --file        a document; repeatable; prefix <name>= when several are asked for
  --field       a field, link or attestation (yes); repeatable
  --note        a note for the reviewer
  --as          who submits (default: the unit)
`,
  },
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parse(
      args,
      { ...REF_OPTIONS, file: { type: 'string', multiple: true }, field: { type: 'string', multiple: true }, note: { type: 'string' }, as: { type: 'string' } },
      'submit',
    );
    if (positionals.length > 0) throw usageError({ vi: `Thừa đối số: ${positionals.join(' ')}`, en: `Unexpected argument: ${positionals.join(' ')}` }, 'submit');
    const ref = refOf(values, 'submit');
    const files = values.file ?? [];
    const fields = pairs(values.field, '--field', 'submit');
    if (files.length === 0 && fields.length === 0) {
      throw usageError({ vi: 'Cần ít nhất một --file hoặc --field.', en: 'Give at least one --file or --field.' }, 'submit');
    }
    const result = await withRuntime(io.env, (rt) =>
      submit(
        { ...ref, files, fields, cwd: io.cwd, ...(values.note ? { note: values.note } : {}), ...(values.as ? { by: values.as } : {}) },
        rt,
      ),
    );
    io.stdout(
      io.lang === 'vi'
        ? `Đã nộp minh chứng (mã ${result.submissionId}): ${result.items.map((i) => i.name).join(', ')}. Đang chờ duyệt.\n`
        : `Evidence submitted (id ${result.submissionId}): ${result.items.map((i) => i.name).join(', ')}. Awaiting review.\n`,
    );
    return 0;
  },
};
