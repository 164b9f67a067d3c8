import { DateTime } from 'luxon';
import { placeholder, type Bilingual } from '../../common/cli-spec.js';
import { commandLine } from '../../common/commands.js';
import { EXTENSIONS_PATH, submissionPath, taskPath } from '../../common/portal-paths.js';
import type { EvidenceRequirement, IsoDate, IsoInstant, LocalizedText, PlanObligation, PlanUnit } from '../../compiler/plan.js';
import type { NotificationRequest } from '../../workflows/types.js';
import { remembered } from './remembered.js';

/** `2022-11-30` → `30/11/2022`, the way Vietnamese documents print dates. */
export function formatDate(d: IsoDate): string {
  const [y, m, day] = d.split('-');
  return `${day}/${m}/${y}`;
}

/**
 * Các hàm dưới đây chạy cho mỗi thông báo và mỗi dòng thư.
 * The two functions below run for every notice and every letter line: through luxon (a zone's
 * offset is a formatToParts call, several per DateTime) they were 3.4 s of the Hanoi year
 * rehearsal's 25. A local date takes one Intl formatter per timezone; the formatted instant is
 * remembered.
 */
const localDates = new Map<string, Intl.DateTimeFormat>();
function localDateOf(at: IsoInstant, tz: string): IsoDate {
  let f = localDates.get(tz);
  if (!f) localDates.set(tz, (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(new Date(at));
}

/** An instant as local `HH:mm dd/MM/yyyy` in the directive's timezone. */
export const formatInstant: (at: IsoInstant, tz: string) => string = remembered((at, tz) =>
  DateTime.fromISO(at, { setZone: true }).setZone(tz).toFormat('HH:mm dd/MM/yyyy'),
);

/** Whole days from `due` to the local date of `at` (positive: late; negative: days left). */
export function daysPastDue(due: IsoDate, at: IsoInstant, tz: string): number {
  return Math.round((Date.parse(localDateOf(at, tz)) - Date.parse(due)) / 86_400_000);
}

export function en(t: LocalizedText): string {
  return t.en ?? t.vi;
}

export function unitName(req: NotificationRequest, id: string): LocalizedText {
  const u: PlanUnit | undefined = req.contacts[id] ?? (req.unit.id === id ? req.unit : undefined);
  return u?.name ?? { vi: id, en: id };
}

/**
 * Gửi thủ trưởng của chính đơn vị chủ trì (`assignee.head` khi danh mục không ghi đơn vị thủ trưởng:
 * thông báo đến chính đơn vị, compiler/relations.ts).
 * A notice for the assignee's own head: an escalation step naming `assignee.head` reached the unit
 * itself, because the registry names no unit for its head (compiler/relations.ts). It is addressed
 * "Kính gửi: Thủ trưởng …".
 */
export function toOwnHead(req: Pick<NotificationRequest, 'kind' | 'unit' | 'detail'>, recipientId: string): boolean {
  return req.kind === 'escalation' && recipientId === req.unit.id && (req.detail?.roles ?? '').split(',').includes('assignee.head');
}

const KIND_VI = { document: 'tài liệu', link: 'đường dẫn', field: 'thông tin', attestation: 'xác nhận' } as const;

export function evidenceLines(ob: PlanObligation): { vi: string[]; en: string[] } {
  return {
    vi: ob.evidence.map((e) => `  - ${e.title.vi} (${KIND_VI[e.kind]}${e.required ? ', bắt buộc' : ', không bắt buộc'})`),
    en: ob.evidence.map((e) => `  - ${en(e.title)} (${e.kind}${e.required ? ', required' : ', optional'})`),
  };
}

// Chỗ để người nhận điền vào dòng lệnh; song ngữ vì dòng lệnh in dưới cả hai phần thư.
// Blanks the recipient fills in; bilingual since the line is shown under both texts.
const BLANK = {
  file: { vi: 'tệp', en: 'file' },
  url: { vi: 'url', en: 'url' },
  comment: { vi: 'ý-kiến', en: 'comment' },
  reason: { vi: 'lý-do', en: 'reason' },
  date: { vi: 'YYYY-MM-DD', en: 'YYYY-MM-DD' },
} satisfies Record<string, Bilingual>;

const FIELD_BLANK: Record<Extract<EvidenceRequirement, { kind: 'field' }>['format'], Bilingual> = {
  text: { vi: 'giá-trị', en: 'value' },
  email: { vi: 'email', en: 'email' },
  phone: { vi: 'số-điện-thoại', en: 'phone' },
  date: BLANK.date,
  number: { vi: 'số', en: 'number' },
  uri: BLANK.url,
};

/**
 * Các cờ chỉ ra phiên của thông báo. Chỉ thông báo "opened" của nghĩa vụ theo sự kiện mang mã sự
 * kiện; thiếu nó thì CLI tự chọn sự kiện duy nhất đang mở của đơn vị.
 * The flags naming the notice's instance. Only an event obligation's "opened" notice carries the
 * event id; without it the CLI picks the unit's single open event.
 */
function instanceFlags(req: NotificationRequest) {
  const event = req.obligation.kind === 'event' ? req.detail?.eventId : undefined;
  return { directive: req.directive.id, obligation: req.obligation.id, unit: req.unit.id, ...(event ? { event } : {}) };
}

/**
 * Dòng lệnh đơn vị chạy để nộp minh chứng, sinh từ khai báo cờ của `chithi submit`
 * (common/commands.ts): tài liệu qua --file, còn đường dẫn, trường và xác nhận qua --field.
 * The CLI line a unit runs to submit, generated from `chithi submit`'s flag declaration
 * (common/commands.ts): documents as --file, links, fields and attestations as --field.
 */
export function submitCommand(req: NotificationRequest): string {
  const file: string[] = [];
  const field: string[] = [];
  for (const e of req.obligation.evidence) {
    if (e.kind === 'document') file.push(`${e.name}=${placeholder(BLANK.file)}`);
    else if (e.kind === 'link') field.push(`${e.name}=${placeholder(BLANK.url)}`);
    else if (e.kind === 'field') field.push(`${e.name}=${placeholder(FIELD_BLANK[e.format])}`);
    // Chạy dòng lệnh là xác nhận: CLI nhận yes/có. / Running the line is the attestation: the CLI takes yes.
    else field.push(`${e.name}=yes`);
  }
  return commandLine('submit', { flags: { ...instanceFlags(req), file, field } });
}

/**
 * Dòng lệnh người duyệt chạy. CLI quyết định về lần nộp đang chờ duyệt của phiên, không nhận mã
 * bản nộp: `submissionId` chỉ để giữ chữ ký cũ (thư in mã này ở dòng "Mã bản nộp").
 * The line the reviewer runs. The CLI decides the submission the instance is waiting on and takes
 * no submission id: `submissionId` only keeps the old signature (the letter prints it as a detail).
 */
export function reviewCommand(req: NotificationRequest, _submissionId?: string, decision: 'accept' | 'reject' = 'accept'): string {
  return commandLine('review', {
    positionals: [decision],
    flags: { ...instanceFlags(req), ...(decision === 'reject' ? { comment: placeholder(BLANK.comment) } : {}) },
  });
}

/** Cả hai lựa chọn của người duyệt. / Both of the reviewer's choices. */
export function reviewCommands(req: NotificationRequest): { accept: string; reject: string } {
  return { accept: reviewCommand(req, undefined, 'accept'), reject: reviewCommand(req, undefined, 'reject') };
}

/**
 * Dòng lệnh gia hạn: `request` cho đơn vị (điền hạn mới và lý do); `approve` / `reject` cho người
 * duyệt, về đề nghị trong thông báo (detail.requestId) nếu có.
 * Extension lines: `request` for the unit (fill in the new date and the reason); `approve` /
 * `reject` for the reviewer, about the notice's request (detail.requestId) when there is one.
 */
export function extendCommand(req: NotificationRequest, action: 'request' | 'approve' | 'reject'): string {
  const ref = instanceFlags(req);
  if (action === 'request') {
    return commandLine('extend', { positionals: [action], flags: { ...ref, until: placeholder(BLANK.date), reason: placeholder(BLANK.reason) } });
  }
  const requestId = req.detail?.requestId;
  return commandLine('extend', {
    positionals: [action],
    flags: { ...ref, ...(requestId ? { request: requestId } : {}), ...(action === 'reject' ? { comment: placeholder(BLANK.comment) } : {}) },
  });
}

/**
 * Đường dẫn trên cổng thông tin cho người nhận thông báo: người duyệt tới trang lần nộp (hoặc danh
 * sách đề nghị gia hạn), những người khác tới trang nhiệm vụ. Không có địa chỉ cổng (kênh dựng
 * trong kiểm thử) thì không có đường dẫn; nhiệm vụ đã thu hồi không còn trang để mở.
 * The portal link for a notice's recipient: the reviewer to the submission's page (or to the
 * pending extension requests), everyone else to the task's page. No portal address (channels built
 * by a test) means no link; a withdrawn task has no page left to open.
 */
export function noticeLink(
  req: Pick<NotificationRequest, 'kind' | 'directive' | 'obligation' | 'unit' | 'detail'>,
  recipientId: string,
  portalUrl: string | undefined,
): { url: string; label: Bilingual } | undefined {
  if (portalUrl === undefined || req.kind === 'withdrawn') return undefined;
  const reviewer = recipientId === req.obligation.reviewer && recipientId !== req.unit.id;
  const submission = req.detail?.submissionId;
  if (reviewer && req.kind === 'submitted' && submission) {
    return { url: `${portalUrl}${submissionPath(submission)}`, label: { vi: 'Xem và duyệt trên cổng thông tin', en: 'Review it on the portal' } };
  }
  if (reviewer && req.kind === 'extension-requested') {
    return { url: `${portalUrl}${EXTENSIONS_PATH}`, label: { vi: 'Quyết định trên cổng thông tin', en: 'Decide it on the portal' } };
  }
  const event = req.obligation.kind === 'event' ? req.detail?.eventId : undefined;
  return { url: `${portalUrl}${taskPath(req.directive.id, req.obligation.id, req.unit.id, event)}`, label: { vi: 'Trang nhiệm vụ', en: 'Task page' } };
}
