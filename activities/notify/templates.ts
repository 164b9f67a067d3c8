import type { Bilingual } from '../../common/cli-spec.js';
import type { NotificationKind, NotificationRequest } from '../../workflows/types.js';
import { durationWords } from '../../common/durations.js';
import { TIMING_BASIS_LABEL, timingBasis } from '../../common/timing-words.js';
import { daysPastDue, en, evidenceLines, extendCommand, formatDate, formatInstant, noticeLink, reviewCommands, submitCommand, toOwnHead, unitName } from './format.js';

export interface RenderedNotice {
  subject: string;
  /** Vietnamese first, English below. */
  text: string;
}


interface KindText {
  /** Subject label, e.g. "Nhắc hạn". */
  label: string;
  intro: (req: NotificationRequest) => Bilingual;
  /** Show the evidence list and the submit command (the unit still has something to do). */
  actionable: boolean;
}

const unitVi = (r: NotificationRequest): string => unitName(r, r.unit.id).vi;
const unitEn = (r: NotificationRequest): string => en(unitName(r, r.unit.id));
const late = (r: NotificationRequest): number => (r.due ? daysPastDue(r.due, r.at, r.directive.timezone) : 0);

function lateness(r: NotificationRequest): Bilingual {
  const n = late(r);
  return n > 0
    ? { vi: `đã quá hạn ${n} ngày`, en: `${n} day${n === 1 ? '' : 's'} late` }
    : { vi: 'đã đến hạn', en: 'due now' };
}

const TEXTS: Record<NotificationKind, KindText> = {
  opened: {
    label: 'Giao nhiệm vụ',
    intro: () => ({ vi: 'Đơn vị được giao thực hiện nhiệm vụ sau.', en: 'Your unit has been assigned the following task.' }),
    actionable: true,
  },
  reminder: {
    label: 'Nhắc hạn',
    // A reminder sent after the due date (an overdue unit's weekly reminder) says how late it is,
    // never "due today": the review found one sent 1,423 days after the due date.
    intro: (r) => {
      const left = -late(r);
      if (left > 0) return { vi: `Nhiệm vụ sau sắp đến hạn (còn ${left} ngày).`, en: `The following task is due in ${left} day${left === 1 ? '' : 's'}.` };
      if (left === 0) return { vi: 'Nhiệm vụ sau đến hạn hôm nay.', en: 'The following task is due today.' };
      const l = lateness(r);
      return { vi: `Nhiệm vụ sau ${l.vi} nhưng chưa hoàn thành; đề nghị khẩn trương thực hiện.`, en: `The following task is ${l.en} and not completed; please complete it without delay.` };
    },
    actionable: true,
  },
  overdue: {
    label: 'Quá hạn',
    intro: (r) => {
      const l = lateness(r);
      return { vi: `Nhiệm vụ sau ${l.vi} nhưng chưa hoàn thành.`, en: `The following task is ${l.en} and not completed.` };
    },
    actionable: true,
  },
  escalation: {
    label: 'Chậm thực hiện',
    intro: (r) => {
      const l = lateness(r);
      return {
        vi: `${unitVi(r)} chưa hoàn thành nhiệm vụ sau, ${l.vi}. Đề nghị chỉ đạo, đôn đốc.`,
        en: `${unitEn(r)} has not completed the following task and is ${l.en}. Please follow up.`,
      };
    },
    actionable: false,
  },
  submitted: {
    label: 'Đã nộp minh chứng',
    intro: (r) => ({
      vi: `${unitVi(r)} đã nộp minh chứng cho nhiệm vụ sau; đề nghị xem xét.`,
      en: `${unitEn(r)} has submitted evidence for the following task; please review it.`,
    }),
    actionable: false,
  },
  accepted: {
    label: 'Minh chứng được chấp nhận',
    intro: () => ({ vi: 'Minh chứng của đơn vị đã được chấp nhận. Nhiệm vụ hoàn thành.', en: 'Your evidence was accepted. The task is complete.' }),
    actionable: false,
  },
  rejected: {
    label: 'Minh chứng chưa đạt',
    intro: () => ({ vi: 'Minh chứng của đơn vị chưa đạt yêu cầu; đề nghị bổ sung và nộp lại.', en: 'Your evidence was not accepted; please complete it and submit again.' }),
    actionable: true,
  },
  'extension-requested': {
    label: 'Đề nghị gia hạn',
    intro: (r) => ({ vi: `${unitVi(r)} đề nghị gia hạn nhiệm vụ sau.`, en: `${unitEn(r)} requests an extension for the following task.` }),
    actionable: false,
  },
  'extension-decided': {
    label: 'Kết quả gia hạn',
    intro: (r) =>
      r.detail?.approved === 'true'
        ? { vi: 'Đề nghị gia hạn đã được chấp thuận.', en: 'The extension was approved.' }
        : { vi: 'Đề nghị gia hạn không được chấp thuận; giữ nguyên hạn.', en: 'The extension was refused; the due date stands.' },
    actionable: true,
  },
  amended: {
    label: 'Điều chỉnh nhiệm vụ',
    intro: () => ({ vi: 'Nhiệm vụ sau đã được điều chỉnh; đề nghị thực hiện theo nội dung mới.', en: 'The following task was amended; please follow the new terms.' }),
    actionable: true,
  },
  withdrawn: {
    label: 'Thu hồi nhiệm vụ',
    intro: () => ({ vi: 'Nhiệm vụ sau đã được thu hồi; đơn vị không phải thực hiện tiếp.', en: 'The following task was withdrawn; no further action is needed.' }),
    actionable: false,
  },
};

/**
 * The details a reader is shown, each as a sentence part written for them. Anything else a
 * workflow puts in `detail` (flags such as `overdue`, `first`, raw instants, role keys) is for
 * the machinery and never printed: a letter holds only sentences written for its reader.
 */
const DETAIL_LABELS: Record<string, { label: Bilingual; value?: (v: string) => Bilingual }> = {
  comment: { label: { vi: 'Ý kiến', en: 'Comment' } },
  reason: { label: { vi: 'Lý do', en: 'Reason' } },
  until: { label: { vi: 'Gia hạn đến', en: 'Extended to' }, value: (v) => same(/^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v) : v) },
  event: { label: { vi: 'Mô tả sự kiện', en: 'Event' } },
  description: { label: { vi: 'Mô tả sự kiện', en: 'Event' } },
  occurredAt: { label: { vi: 'Thời điểm xảy ra', en: 'Occurred at' } },
  requestId: { label: { vi: 'Mã đề nghị', en: 'Request' } },
  supersededBy: { label: { vi: 'Thay thế bởi', en: 'Superseded by' } },
  raisedBy: { label: { vi: 'Đơn vị báo sự kiện', en: 'Raised by' } },
  after: {
    label: { vi: 'Mốc báo cáo', en: 'Escalation step' },
    value: (v) => {
      const w = durationWords(v);
      return v === 'P0D' || v === 'PT0S' ? { vi: 'khi đến hạn', en: 'at the due date' } : { vi: `sau hạn ${w.vi}`, en: `${w.en} after the due date` };
    },
  },
};
const same = (v: string): Bilingual => ({ vi: v, en: v });

/**
 * Renders one notice for one recipient unit; with the portal's address (`portalUrl`, from
 * CHITHI_PUBLIC_URL), the page to act on it, next to the command line.
 */
export function renderNotice(req: NotificationRequest, recipientId: string, portalUrl?: string): RenderedNotice {
  const t = TEXTS[req.kind];
  const d = req.directive;
  const ob = req.obligation;
  const due = req.due ? ` — hạn ${formatDate(req.due)}` : '';
  const subject = `[Chỉ thị ${d.number}] ${t.label}: ${ob.title.vi}${due}`;
  const head = toOwnHead(req, recipientId);
  const intro = head ? headIntro(req) : req.kind === 'accepted' && recipientId !== req.unit.id ? completedIntro(req, recipientId) : t.intro(req);
  const named = unitName(req, recipientId);
  const to = head ? { vi: `Thủ trưởng ${named.vi}`, en: `the head of ${en(named)}` } : named;
  const evidence = evidenceLines(ob);
  const details = Object.entries(req.detail ?? {}).flatMap(([k, v]) => {
    const d = DETAIL_LABELS[k];
    if (!d || (k === 'after' && req.kind !== 'escalation')) return [];
    if (k === 'occurredAt') return [{ label: d.label, value: same(formatInstant(v, req.directive.timezone)) }];
    if (k === 'raisedBy') return [{ label: d.label, value: { vi: unitName(req, v).vi, en: en(unitName(req, v)) } }];
    return [{ label: d.label, value: d.value ? d.value(v) : same(v) }];
  });
  const review = req.kind === 'submitted' ? reviewCommands(req) : undefined;
  const decide = req.kind === 'extension-requested' ? { approve: extendCommand(req, 'approve'), reject: extendCommand(req, 'reject') } : undefined;
  const link = noticeLink(req, recipientId, portalUrl);
  // Language 1.1: a due date the drafting office chose, or counted from the receipt or another
  // duty's completion, says so (never as if the text had printed it). v1 letters are unchanged.
  const basis = ob.interpreted !== undefined || ob.relativeDue !== undefined ? timingBasis(ob) : undefined;

  const vi = [
    `Kính gửi: ${to.vi}`,
    '',
    intro.vi,
    '',
    `Chỉ thị: ${d.number} — ${d.title.vi}`,
    `Điều khoản: ${ob.clause}`,
    `Nhiệm vụ: ${ob.title.vi}`,
    `Đơn vị thực hiện: ${unitVi(req)}`,
    ...(req.due ? [`Hạn: ${formatDate(req.due)}${req.cycle > 1 ? ` (kỳ ${req.cycle})` : ''}`] : []),
    ...(basis ? [`${TIMING_BASIS_LABEL.vi}: ${basis.vi}`] : []),
    `Thời điểm thông báo: ${formatInstant(req.at, d.timezone)}`,
    ...details.map((d) => `${d.label.vi}: ${d.value.vi}`),
    ...(t.actionable && evidence.vi.length > 0 ? ['', 'Minh chứng cần nộp:', ...evidence.vi] : []),
    ...(t.actionable ? ['', 'Nộp minh chứng bằng lệnh:', `  ${submitCommand(req)}`] : []),
    ...(review ? ['', 'Chấp nhận bằng lệnh:', `  ${review.accept}`, 'hoặc yêu cầu bổ sung:', `  ${review.reject}`] : []),
    ...(decide ? ['', 'Chấp thuận bằng lệnh:', `  ${decide.approve}`, 'hoặc không chấp thuận:', `  ${decide.reject}`] : []),
    ...(link ? ['', `${link.label.vi}: ${link.url}`] : []),
  ];
  const english = [
    `To: ${en(to)}`,
    '',
    intro.en,
    '',
    `Directive: ${d.number} — ${en(d.title)}`,
    `Clause: ${ob.clause}`,
    `Task: ${en(ob.title)}`,
    `Responsible unit: ${unitEn(req)}`,
    ...(req.due ? [`Due: ${formatDate(req.due)}${req.cycle > 1 ? ` (cycle ${req.cycle})` : ''}`] : []),
    ...(basis ? [`${TIMING_BASIS_LABEL.en}: ${basis.en}`] : []),
    `Notice time: ${formatInstant(req.at, d.timezone)}`,
    ...details.map((d) => `${d.label.en}: ${d.value.en}`),
    ...(t.actionable && evidence.en.length > 0 ? ['', 'Evidence to submit:', ...evidence.en] : []),
    ...(t.actionable ? ['', 'Submit it with the command above.'] : []),
    ...(review ? ['', 'Accept or reject it with the commands above.'] : []),
    ...(decide ? ['', 'Approve or refuse it with the commands above.'] : []),
    ...(link ? ['', `${link.label.en}: ${link.url}`] : []),
  ];
  return { subject, text: [...vi, '', '— English —', '', ...english, ''].join('\n') };
}

/** An escalation to the late unit's own head (`assignee.head` reaching the unit itself). */
function headIntro(r: NotificationRequest): Bilingual {
  const l = lateness(r);
  return {
    vi: `Đơn vị chưa hoàn thành nhiệm vụ sau, ${l.vi}. Đề nghị Thủ trưởng đơn vị trực tiếp chỉ đạo thực hiện.`,
    en: `Your unit has not completed the following task and is ${l.en}. The head of the unit is asked to see to it personally.`,
  };
}

/**
 * The notice of completion to another unit than the assignee (language 1.1): a body the result is
 * reported to (`reportTo`), or the unit that raised the event which opened the duty.
 */
function completedIntro(r: NotificationRequest, recipientId: string): Bilingual {
  if ((r.obligation.reportTo ?? []).includes(recipientId)) {
    return {
      vi: `${unitVi(r)} đã hoàn thành nhiệm vụ sau (minh chứng đã được chấp nhận); kính báo cáo Quý cơ quan.`,
      en: `${unitEn(r)} has completed the following task (its evidence was accepted); this is reported to you as the directive requires.`,
    };
  }
  return {
    vi: `${unitVi(r)} đã hoàn thành nhiệm vụ sau, mở theo sự kiện đơn vị đã báo (minh chứng đã được chấp nhận).`,
    en: `${unitEn(r)} has completed the following task, opened by the event your unit raised (its evidence was accepted).`,
  };
}
