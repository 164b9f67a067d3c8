import { isoDate, parse, required, usageError } from '../args.js';
import { withRuntime } from '../connect.js';
import { decideExtension, requestExtension } from '../extension.js';
import type { Command, Io } from '../io.js';
import { formatDate } from '../labels.js';
import { REF_HELP, REF_OPTIONS, refOf } from './ref.js';

export const command: Command = {
  summary: { vi: 'Đề nghị / quyết định gia hạn', en: 'Request or decide a deadline extension' },
  help: {
    vi: `Cách dùng:
  chithi extend request --directive <mã> --obligation <mã> --unit <mã> --until YYYY-MM-DD --reason <lý do>
  chithi extend approve --directive <mã> --obligation <mã> --unit <mã> [--until YYYY-MM-DD] [--request <mã>] [--comment <ý kiến>]
  chithi extend reject  --directive <mã> --obligation <mã> --unit <mã> [--request <mã>] [--comment <ý kiến>]

${REF_HELP.vi}
  --until       hạn mới (khi duyệt: có thể cho hạn khác với đề nghị)
  --reason      lý do đề nghị gia hạn
  --request     mã đề nghị (mặc định: đề nghị gần nhất đang chờ)
  --comment     ý kiến của người quyết định
  --as          người đề nghị / quyết định
`,
    en: `Usage:
  chithi extend request --directive <id> --obligation <id> --unit <id> --until YYYY-MM-DD --reason <text>
  chithi extend approve --directive <id> --obligation <id> --unit <id> [--until YYYY-MM-DD] [--request <id>] [--comment <text>]
  chithi extend reject  --directive <id> --obligation <id> --unit <id> [--request <id>] [--comment <text>]

${REF_HELP.en}
  --until       new due date (on approval: may differ from the request)
  --reason      why the extension is needed
  --request     request id (default: the latest pending one)
  --comment     the decider's comment
  --as          who requests / decides
`,
  },
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parse(
      args,
      { ...REF_OPTIONS, until: { type: 'string' }, reason: { type: 'string' }, request: { type: 'string' }, comment: { type: 'string' }, as: { type: 'string' } },
      'extend',
    );
    const action = positionals[0];
    if (positionals.length !== 1 || (action !== 'request' && action !== 'approve' && action !== 'reject')) {
      throw usageError({ vi: 'Cần chọn request, approve hoặc reject.', en: 'Choose request, approve or reject.' }, 'extend');
    }
    const ref = refOf(values, 'extend');
    const until = values.until === undefined ? undefined : isoDate(values.until, '--until', 'extend');
    const vi = io.lang === 'vi';
    if (action === 'request') {
      const reason = required(values.reason, '--reason', 'extend');
      const r = await withRuntime(io.env, (rt) =>
        requestExtension({ ...ref, until: required(until, '--until', 'extend'), reason, ...(values.as ? { by: values.as } : {}) }, rt),
      );
      io.stdout(vi ? `Đã gửi đề nghị gia hạn đến ${formatDate(until)} (mã ${r.requestId}).\n` : `Extension to ${formatDate(until)} requested (id ${r.requestId}).\n`);
      return 0;
    }
    if (action === 'reject' && until) {
      throw usageError({ vi: '--until chỉ dùng khi duyệt.', en: '--until only applies to approve.' }, 'extend');
    }
    const r = await withRuntime(io.env, (rt) =>
      decideExtension(
        {
          ...ref,
          approve: action === 'approve',
          ...(until ? { until } : {}),
          ...(values.request ? { requestId: values.request } : {}),
          ...(values.comment ? { comment: values.comment } : {}),
          ...(values.as ? { by: values.as } : {}),
        },
        rt,
      ),
    );
    io.stdout(
      r.until
        ? vi ? `Đã duyệt gia hạn đến ${formatDate(r.until)} (mã ${r.requestId}).\n` : `Extension approved until ${formatDate(r.until)} (id ${r.requestId}).\n`
        : vi ? `Đã từ chối đề nghị gia hạn ${r.requestId}.\n` : `Extension request ${r.requestId} rejected.\n`,
    );
    return 0;
  },
};
