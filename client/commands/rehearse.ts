import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { compileFile } from '../../compiler/index.js';
import { didYouMean } from '../../compiler/did-you-mean.js';
import type { IsoInstant, Plan } from '../../compiler/plan.js';
import { helpText, isChoice, type Bilingual } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { formatDate, table } from '../../service/labels.js';
import {
  ASSUMPTIONS,
  ENGINES,
  BUSIEST_DAYS,
  DEPLOY_AT,
  LATE_DAYS_AFTER,
  ON_TIME_DAYS_BEFORE,
  defaultEnd,
  forUnit,
  rehearse,
  summarise,
  type Assumption,
  type Rehearsal,
  type RehearsalSummary,
  type RehearsedNotice,
} from '../../service/rehearse.js';
import { isoDate, parseCommand, usageError } from '../args.js';
import { printDiagnostics } from '../diagnostics.js';
import type { Command, Lang } from '../io.js';

const SPEC = COMMANDS['rehearse'];

/** What each notice kind is called in the table; the JSON and CSV keep the code. */
const KIND: Record<string, Bilingual> = {
  opened: { vi: 'giao nhiệm vụ', en: 'assignment' },
  reminder: { vi: 'nhắc hạn', en: 'reminder' },
  overdue: { vi: 'quá hạn', en: 'overdue' },
  escalation: { vi: 'báo cáo cấp trên', en: 'escalation' },
  submitted: { vi: 'đã nộp minh chứng', en: 'submitted' },
  accepted: { vi: 'chấp nhận', en: 'accepted' },
  rejected: { vi: 'chưa đạt', en: 'rejected' },
  'extension-requested': { vi: 'đề nghị gia hạn', en: 'extension requested' },
  'extension-decided': { vi: 'quyết định gia hạn', en: 'extension decided' },
  amended: { vi: 'sửa đổi', en: 'amended' },
  withdrawn: { vi: 'thu hồi', en: 'withdrawn' },
  'submission-awaiting-approval': { vi: 'chờ lãnh đạo đơn vị duyệt', en: 'awaiting unit head' },
};

/** A later cycle's `opened` is a new period of a recurring duty, not a new assignment. */
function kindLabel(n: RehearsedNotice, lang: Lang): string {
  if (n.kind === 'opened' && (n.cycle ?? 1) > 1) return lang === 'vi' ? 'kỳ mới' : 'new period';
  return KIND[n.kind]?.[lang] ?? n.kind;
}

const ASSUME_TEXT: Record<Assumption, Bilingual> = {
  silent: { vi: 'các đơn vị không nộp gì (silent)', en: 'units never submit (silent)' },
  'on-time': { vi: `các đơn vị nộp ${ON_TIME_DAYS_BEFORE} ngày trước hạn và được chấp nhận (on-time)`, en: `units submit ${ON_TIME_DAYS_BEFORE} days before the due date and are accepted (on-time)` },
  late: { vi: `các đơn vị nộp ${LATE_DAYS_AFTER} ngày sau hạn và được chấp nhận (late)`, en: `units submit ${LATE_DAYS_AFTER} days after the due date and are accepted (late)` },
};

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Cho xem trước một chỉ thị sẽ làm gì trong đời nó, trước khi triển khai: mọi thông báo (ai
nhận, lúc nào, loại gì, về điều khoản nào, của đơn vị nào), mọi hạn, nhắc hạn và báo cáo cấp
trên; rồi tóm tắt: số thông báo và số thư điện tử mỗi người nhận mỗi tháng, những ngày bận nhất.

Chạy đúng mã workflow và các activity của hệ thống thật, với một cơ sở dữ liệu PostgreSQL dùng
một lần (từ các tệp chạy PostgreSQL của máy nếu có, nếu không thì PGlite nhúng, chậm hơn). --engine
simulation (mặc định): workflow chạy trên một Temporal mô phỏng trong tiến trình, đồng hồ ảo, nhanh
hơn khoảng hai lần; --engine temporal: trên máy chủ Temporal thử nghiệm tua nhanh thời gian (cài
bởi npm run setup), để đối chiếu; kiểm thử cho thấy hai cách cho cùng thông báo và thư.
Chỉ thị được triển khai lúc ${DEPLOY_AT} ngày --from rồi thời gian được tua tới hết ngày --to.
Không cần máy chủ nào đang chạy; không gửi gì đi, không ghi gì lại: thư điện tử chỉ được giữ
trong bộ nhớ để đếm.

--to mặc định: một năm sau --from; lâu hơn nếu hạn chót cuối cùng của chỉ thị cộng các bước báo
cáo cấp trên của nó (và một tuần cho thư) rơi sau đó, hoặc nếu một nhiệm vụ có hạn đầu tiên trong
năm ấy còn báo cáo cấp trên sau đó.

--assume: silent, không đơn vị nào nộp minh chứng; on-time, mỗi đơn vị nộp ${ON_TIME_DAYS_BEFORE} ngày trước
hạn (ngay khi nhiệm vụ mở nếu hạn gần hơn) và được chấp nhận; late, nộp ${LATE_DAYS_AFTER} ngày sau hạn và
được chấp nhận. Nộp và duyệt qua đúng các hàm của chithi submit và chithi review accept, xét mỗi
ngày lúc ${DEPLOY_AT}. Nhiệm vụ theo sự kiện chỉ mở khi có sự kiện được báo cáo: buổi diễn tập không
báo cáo sự kiện nào.

Bảng liệt kê theo thời gian: thời điểm (dd/mm/yyyy HH:mm, múi giờ của chỉ thị), người nhận,
loại, điều khoản, đơn vị liên quan, hạn, và lúc thư điện tử mang thông báo đi (ngay, hoặc trong
thư tổng hợp; "sau …" là thư đến hạn sau khi buổi diễn tập kết thúc). Mỗi ô của bảng theo tháng
là "thông báo/thư": thông báo vào hộp thư trong ứng dụng, thư là số thư điện tử thật sự nhận
(thư tổng hợp theo ngày hoặc tuần, và thư gửi ngay). --json in tất cả (thông báo, thư, tóm tắt);
--csv in danh sách thông báo.`,
      en: `Shows what a directive will do over its life, before it is deployed: every notice (who
receives it, when, what kind, about which clause and which unit), every due date, reminder and
escalation; then a summary: notices and e-mails per recipient per month, and the busiest days.

Runs the production workflow code and activities with a throwaway PostgreSQL database (from
the machine's PostgreSQL binaries when there are any, else the embedded PGlite, slower).
--engine simulation (the default): the workflows run on an in-process simulated Temporal with a
virtual clock, about twice as fast; --engine temporal: on the time-skipping Temporal test server
(installed by npm run setup), to cross-check; tests show both give the same notices and e-mails.
The directive is deployed at ${DEPLOY_AT} on --from, then time is skipped to the end of --to. No running server is needed; nothing is sent and nothing is kept: e-mails are only
held in memory to be counted.

--to defaults to a year after --from; later when the directive's last deadline plus its
escalation steps (and a week for their letters) falls after that, or when a duty first due
within that year is still escalating after it.

--assume: silent, no unit ever submits evidence; on-time, each unit submits ${ON_TIME_DAYS_BEFORE} days before the
due date (at once when a duty opens closer to it) and is accepted; late, it submits ${LATE_DAYS_AFTER} days after
the due date and is accepted. Submissions and reviews go through the functions of chithi
submit and chithi review accept, looked at every day at ${DEPLOY_AT}. Event duties open only when an
event is reported: a rehearsal reports none.

The table lists in time order: when (dd/mm/yyyy HH:mm, the directive's timezone), recipient,
kind, clause, the unit concerned, due date, and when the e-mail carrying the notice leaves (at
once, or in a letter; "after …" is a letter due after the rehearsal ends). Each cell of the
monthly table is "notices/e-mails": notices reach the in-app inbox, e-mails are what actually
arrives (the daily or weekly letters, and the notices sent at once). --json prints everything
(notices, e-mails, summary); --csv prints the notices.`,
    },
    epilogue: {
      vi: `Biến môi trường CHITHI_CALENDAR_DIR: thư mục lịch làm việc (mặc định directives/calendars);
PG_BINDIR: thư mục các tệp chạy PostgreSQL (initdb, postgres).

Mã thoát: 0 thành công, 1 chỉ thị có lỗi, đơn vị không có trong chỉ thị hoặc buổi diễn tập
không chạy được, 2 sai cách dùng.`,
      en: `Environment CHITHI_CALENDAR_DIR: directory of working calendars (default directives/calendars);
PG_BINDIR: directory of the PostgreSQL binaries (initdb, postgres).

Exit codes: 0 success, 1 invalid directive, a unit not in the directive, or a rehearsal that
could not run, 2 usage error.`,
    },
  }),
  async run(args, io) {
    const { values, positionals } = parseCommand(args, SPEC);
    const vi = io.lang === 'vi';
    if (positionals.length !== 1) throw usageError({ vi: 'Cần đúng một tệp chỉ thị.', en: 'Give exactly one directive file.' }, 'rehearse');
    if (values.json && values.csv) throw usageError({ vi: 'Chọn một: --json hoặc --csv.', en: 'Choose one: --json or --csv.' }, 'rehearse');
    const assume = values.assume ?? 'silent';
    if (!isChoice(ASSUMPTIONS, assume)) {
      throw usageError({ vi: `--assume nhận ${ASSUMPTIONS.join(', ')} (nhận được: ${assume}).`, en: `--assume takes ${ASSUMPTIONS.join(', ')} (got: ${assume}).` }, 'rehearse');
    }
    const engine = values.engine ?? 'simulation';
    if (!isChoice(ENGINES, engine)) {
      throw usageError({ vi: `--engine nhận ${ENGINES.join(', ')} (nhận được: ${engine}).`, en: `--engine takes ${ENGINES.join(', ')} (got: ${engine}).` }, 'rehearse');
    }
    const from = values.from === undefined ? undefined : isoDate(values.from, '--from', 'rehearse');
    const to = values.to === undefined ? undefined : isoDate(values.to, '--to', 'rehearse');
    if (from && to && to < from) {
      throw usageError({ vi: `--to (${to}) đứng trước --from (${from}).`, en: `--to (${to}) is before --from (${from}).` }, 'rehearse');
    }

    const compile = (asOf?: string) =>
      compileFile(positionals[0]!, { cwd: io.cwd, ...(io.env.CHITHI_CALENDAR_DIR ? { calendarDir: io.env.CHITHI_CALENDAR_DIR } : {}), ...(asOf ? { asOf } : {}) });
    // The units as of the first day rehearsed: without --from that is the issue date, which only
    // the file says, so it is compiled once for it first.
    let r = await compile(from);
    if (r.ok && !from) r = await compile(r.plan.directive.issued);
    printDiagnostics(r.diagnostics, io);
    if (!r.ok) return 1;
    const plan = r.plan;
    const start = from ?? plan.directive.issued;
    const end = to ?? defaultEnd(plan, start);
    if (end < start) {
      throw usageError({ vi: `--to (${end}) đứng trước ngày ban hành ${start}; thêm --from.`, en: `--to (${end}) is before the issue date ${start}; add --from.` }, 'rehearse');
    }
    const unit = values.unit === undefined ? undefined : findUnit(plan, values.unit);
    if (values.unit !== undefined && unit === undefined) {
      const s = didYouMean(values.unit, Object.keys(plan.units));
      io.stderr(
        vi
          ? `chithi: đơn vị \`${values.unit}\` không có trong chỉ thị ${plan.directive.id}${s ? ` — có phải ý bạn là \`${s}\`?` : ''}\n`
          : `chithi: unit \`${values.unit}\` is not in directive ${plan.directive.id}${s ? ` — did you mean \`${s}\`?` : ''}\n`,
      );
      return 1;
    }

    io.stderr(vi ? `Diễn tập ${plan.directive.number} từ ${formatDate(start)} đến ${formatDate(end)}: ${ASSUME_TEXT[assume].vi}…\n` : `Rehearsing ${plan.directive.number} from ${formatDate(start)} to ${formatDate(end)}: ${ASSUME_TEXT[assume].en}…\n`);
    const full = await rehearse(plan, { from: start, to: end, assume, engine, ...(io.env.CHITHI_CALENDAR_DIR ? { calendarDir: io.env.CHITHI_CALENDAR_DIR } : {}), log: (t) => io.stderr(`  … ${t[io.lang]}\n`) });
    const shown = unit ? forUnit(full, unit) : full;
    const summary = summarise(shown);
    if (values.json) {
      io.stdout(JSON.stringify({ ...shown, ...(unit && { unit }), summary }, null, 2) + '\n');
    } else if (values.csv) {
      io.stdout(csv(shown));
    } else {
      io.stdout(render(shown, summary, unit, io.lang));
    }
    return 0;
  },
};

/** The plan's id for a unit, following `succeededFrom` when a former id is given (as chithi plan). */
function findUnit(p: Plan, requested: string): string | undefined {
  if (p.units[requested]) return requested;
  return Object.values(p.units).find((u) => u.succeededFrom?.includes(requested))?.id;
}

/** dd/mm/yyyy HH:mm in the directive's timezone. */
function when(at: IsoInstant, tz: string): string {
  return DateTime.fromISO(at, { setZone: true }).setZone(tz).toFormat('dd/MM/yyyy HH:mm');
}

/** The ISO instant at the directive's offset, for machines. */
function localIso(at: IsoInstant | undefined, tz: string): string {
  return at ? DateTime.fromISO(at, { setZone: true }).setZone(tz).toISO({ suppressMilliseconds: true })! : '';
}

function emailText(n: RehearsedNotice, tz: string, lang: Lang): string {
  if (!n.email) return lang === 'vi' ? '(không có địa chỉ)' : '(no address)';
  if (n.email.at) return when(n.email.at, tz);
  return `${lang === 'vi' ? 'sau' : 'after'} ${when(n.email.heldUntil!, tz)}`;
}

function monthLabel(month: string): string {
  return `${month.slice(5, 7)}/${month.slice(0, 4)}`;
}

function render(r: Rehearsal, s: RehearsalSummary, unit: string | undefined, lang: Lang): string {
  const vi = lang === 'vi';
  const tz = r.directive.timezone;
  const out: string[] = [];
  const period = `${formatDate(r.from)} → ${formatDate(r.to)}`;
  out.push(`${r.directive.number} — ${vi ? 'diễn tập' : 'rehearsal'} ${period}, ${ASSUME_TEXT[r.assume][lang]}${unit ? (vi ? `; chỉ những gì gửi tới hoặc nói về ${unit}` : `; only what is sent to or about ${unit}`) : ''}`);
  out.push(
    vi
      ? `${r.instances} phiên; ${s.totals.notices} thông báo tới ${s.totals.recipients} người nhận, ${s.totals.emails} thư điện tử (${s.totals.letters} thư tổng hợp); ${r.seconds.toFixed(1)} giây.`
      : `${r.instances} instances; ${s.totals.notices} notices to ${s.totals.recipients} recipients, ${s.totals.emails} e-mails (${s.totals.letters} letters); ${r.seconds.toFixed(1)} s.`,
  );
  if (r.actions.submitted > 0) out.push(vi ? `Các đơn vị đã nộp ${r.actions.submitted} lần, được chấp nhận ${r.actions.accepted} lần.` : `Units submitted ${r.actions.submitted} times, accepted ${r.actions.accepted} times.`);
  out.push('');
  if (r.notices.length === 0) out.push(vi ? 'Không có thông báo nào.' : 'No notices.', '');
  else {
    const header = vi ? ['Thời điểm', 'Người nhận', 'Loại', 'Điều', 'Đơn vị', 'Hạn', 'Thư điện tử'] : ['When', 'Recipient', 'Kind', 'Clause', 'Unit', 'Due', 'E-mail'];
    out.push(table(header, r.notices.map((n) => [when(n.at, tz), n.recipient, kindLabel(n, lang), n.clause ?? '', n.unit ?? '', formatDate(n.due), emailText(n, tz, lang)])));
  }

  const months = [...new Set(s.perRecipientMonth.map((c) => c.month))].sort();
  const recipients = [...new Set(s.perRecipientMonth.map((c) => c.recipient))];
  if (months.length > 0) {
    const cell = new Map(s.perRecipientMonth.map((c) => [`${c.recipient}|${c.month}`, c]));
    const total = (rcp: string) => s.perRecipientMonth.filter((c) => c.recipient === rcp).reduce((a, c) => ({ notices: a.notices + c.notices, emails: a.emails + c.emails }), { notices: 0, emails: 0 });
    // Who hears most first: the coordinator and leadership, whose mail a directive can flood.
    recipients.sort((a, b) => total(b).notices - total(a).notices || a.localeCompare(b));
    out.push(vi ? 'Thông báo/thư điện tử theo người nhận và tháng' : 'Notices/e-mails per recipient and month');
    const rows = recipients.map((rcp) => {
      const t = total(rcp);
      return [rcp, ...months.map((m) => {
        const c = cell.get(`${rcp}|${m}`);
        return c ? `${c.notices}/${c.emails}` : '·';
      }), `${t.notices}/${t.emails}`];
    });
    out.push(table([vi ? 'Người nhận' : 'Recipient', ...months.map(monthLabel), vi ? 'Cộng' : 'Total'], rows));
  }
  if (s.busiestDays.length > 0) {
    out.push(vi ? `${BUSIEST_DAYS} ngày bận nhất` : `The ${BUSIEST_DAYS} busiest days`);
    const header = vi ? ['Ngày', 'Thông báo', 'Thư điện tử', 'Người nhận'] : ['Day', 'Notices', 'E-mails', 'Recipients'];
    out.push(table(header, s.busiestDays.map((d) => [formatDate(d.date), String(d.notices), String(d.emails), String(d.recipients)])));
  }
  return out.join('\n');
}

/** One row per notice and recipient; times at the directive's offset. */
function csv(r: Rehearsal): string {
  const tz = r.directive.timezone;
  return stringify(
    r.notices.map((n) => ({
      at: localIso(n.at, tz),
      recipient: n.recipient,
      kind: n.kind,
      obligation: n.obligation ?? '',
      clause: n.clause ?? '',
      unit: n.unit ?? '',
      cycle: n.cycle ?? '',
      due: n.due ?? '',
      email_at: localIso(n.email?.at, tz),
      email_held_until: localIso(n.email?.heldUntil, tz),
      letter: n.email?.letter ?? '',
      key: n.key,
    })),
    { header: true, columns: ['at', 'recipient', 'kind', 'obligation', 'clause', 'unit', 'cycle', 'due', 'email_at', 'email_held_until', 'letter', 'key'] },
  );
}
