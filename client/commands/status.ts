import { DateTime } from 'luxon';
import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { isoDate, parseCommand, usageError } from '../args.js';
import { apiRequest } from '../api.js';
import type { Command, Io } from '../io.js';
import { formatDate, isStatus, STATUS_LABEL, STATUS_ORDER, table } from '../../service/labels.js';
import { STATUS_PAGE_MAX } from '../../common/status.js';
import type { StatusReport } from '../../service/status.js';

const SPEC = COMMANDS['status'];

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Bảng: đơn vị, nghĩa vụ, điểm, trạng thái, hạn (dd/mm/yyyy); cuối bảng là số lượng
theo trạng thái, và số thông báo e-mail/webhook chưa gửi được nếu có. Hơn 1.000 dòng
(một chỉ thị toàn quốc): bảng tóm tắt theo nghĩa vụ thay cho từng dòng; --all in tất cả.`,
      en: `A table of unit, obligation, clause, status and due date (dd/mm/yyyy), with the
count per status at the bottom, and the e-mails/webhooks not delivered, if any. Beyond
1,000 rows (a national directive): a summary per obligation instead; --all prints them all.`,
    },
    epilogue: {
      vi: `Trạng thái (--status): ${STATUS_ORDER.join(' | ')}`,
      en: `Statuses (--status): ${STATUS_ORDER.join(' | ')}`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommand(args, SPEC);
    if (positionals.length !== 1 || !positionals[0]) {
      throw usageError({ vi: 'Cần đúng một mã chỉ thị.', en: 'Give exactly one directive id.' }, 'status');
    }
    const wanted = values.status;
    if (wanted !== undefined && !isStatus(wanted)) {
      throw usageError({ vi: `Trạng thái không hợp lệ: ${wanted}`, en: `Unknown status: ${wanted}` }, 'status');
    }
    const directiveId = positionals[0];
    const asOf = values['as-of'] === undefined ? undefined : isoDate(values['as-of'], '--as-of', 'status');
    const get = (page: { limit?: number; offset?: number }) =>
      apiRequest<StatusReport>(io, 'GET', `/api/v1/directives/${encodeURIComponent(directiveId)}/status`, {
        query: { unit: values.unit, ...(values.overdue && { overdue: true }), asOf, status: wanted, ...page },
      });
    // Một trang (1.000 dòng) trừ khi --all: khi đó từng trang lớn nhất cho tới hết.
    // One page (the server's 1,000 rows) unless --all: then the largest pages, until every row is here.
    const report = await get(values.all ? { limit: STATUS_PAGE_MAX } : {});
    // A server from before pages sends every row and no total.
    const total = report.total ?? report.rows.length;
    while (values.all && report.rows.length < total) {
      const next = await get({ limit: STATUS_PAGE_MAX, offset: report.rows.length });
      if (next.rows.length === 0) break;
      report.rows.push(...next.rows);
    }
    if (values.json) {
      io.stdout(JSON.stringify(report, null, 2) + '\n');
      return 0;
    }
    const vi = io.lang === 'vi';
    io.stdout(`${report.number} — ${report.title}${report.withdrawn ? (vi ? ' (ĐÃ THU HỒI)' : ' (WITHDRAWN)') : ''}\n\n`);
    if (report.rows.length === 0) {
      io.stdout(vi ? 'Không có nghĩa vụ nào khớp.\n' : 'No matching obligations.\n');
      return 0;
    }
    if (report.rows.length < total) summary(io, report, total);
    else rowTable(io, report);
    io.stdout('\n');
    for (const s of STATUS_ORDER) {
      const n = report.counts[s];
      if (n) io.stdout(`  ${STATUS_LABEL[s][io.lang]}: ${n}\n`);
    }
    io.stdout(`  ${vi ? 'Tổng' : 'Total'}: ${total}\n`);
    if (report.rows.length < total) {
      io.stdout(
        vi
          ? `\n  ${total} dòng, quá nhiều để in từng dòng: thu hẹp bằng --unit, --overdue hoặc --status, hoặc in tất cả bằng --all.\n`
          : `\n  ${total} rows, too many to print one by one: narrow them with --unit, --overdue or --status, or print them all with --all.\n`,
      );
    }
    notices(io, report);
    return 0;
  },
};

/** Every row: unit, obligation, clause, status, due date. */
function rowTable(io: Io, report: StatusReport): void {
  const vi = io.lang === 'vi';
  const header = vi ? ['Đơn vị', 'Nghĩa vụ', 'Điểm', 'Trạng thái', 'Hạn'] : ['Unit', 'Obligation', 'Clause', 'Status', 'Due'];
  const rows = report.rows.map((r) => [
    r.unitId,
    r.eventId ? `${r.obligationId} [${r.eventId}]` : r.cycle > 1 ? `${r.obligationId} #${r.cycle}` : r.obligationId,
    r.clause,
    STATUS_LABEL[r.status][io.lang],
    formatDate(r.due) + (r.originalDue && r.originalDue !== r.due ? (vi ? ` (gia hạn từ ${formatDate(r.originalDue)})` : ` (extended from ${formatDate(r.originalDue)})`) : ''),
  ]);
  io.stdout(table(header, rows));
}

/**
 * Tóm tắt theo nghĩa vụ khi có quá nhiều dòng: mỗi nghĩa vụ một dòng, số phiên theo từng trạng thái.
 * Beyond a page (a national directive: 100,000 rows, which no one reads in a terminal), one line per
 * obligation with its instances in each status that occurs: where the directive stands, and where to
 * narrow it down.
 */
function summary(io: Io, report: StatusReport, total: number): void {
  const vi = io.lang === 'vi';
  const shown = STATUS_ORDER.filter((s) => report.counts[s]);
  const header = [vi ? 'Nghĩa vụ' : 'Obligation', vi ? 'Điểm' : 'Clause', ...shown.map((s) => STATUS_LABEL[s][io.lang]), vi ? 'Tổng' : 'Total'];
  const rows = (report.byObligation ?? []).map((o) => [o.obligationId, o.clause, ...shown.map((s) => String(o.counts[s] ?? 0)), String(o.total)]);
  io.stdout(vi ? `${total} dòng; theo nghĩa vụ:\n\n` : `${total} rows; by obligation:\n\n`);
  io.stdout(table(header, rows));
}

function notices(io: Io, report: StatusReport): void {
  const vi = io.lang === 'vi';
  // A mail relay that is down shows here before anyone wonders why nobody was told.
  const { pending, undelivered } = report.notices;
  if (undelivered > 0) {
    io.stdout(
      vi
        ? `\n  Thông báo không gửi được qua e-mail/webhook sau 3 ngày thử lại: ${undelivered} (đơn vị vẫn xem được trong hộp thư: chithi inbox)\n`
        : `\n  Notices not delivered by e-mail/webhook after 3 days of retries: ${undelivered} (units still have them in the in-app inbox: chithi inbox)\n`,
    );
  }
  if (pending > 0) io.stdout(vi ? `  Thông báo đang chờ gửi: ${pending}\n` : `  Notices waiting to be sent: ${pending}\n`);
  const { inLetters, nextLetterAt } = report.notices;
  if (inLetters > 0 && nextLetterAt) {
    // Held on purpose (a recipient's daily letter), not stuck: say when they go.
    const when = DateTime.fromISO(nextLetterAt).setZone(report.timezone).toFormat('HH:mm dd/MM/yyyy');
    io.stdout(
      vi
        ? `  Thông báo sẽ gửi trong thư tổng hợp: ${inLetters} (thư kế tiếp lúc ${when})\n`
        : `  Notices going out in letters: ${inLetters} (next letter at ${when})\n`,
    );
  }
}
