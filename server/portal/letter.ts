/**
 * Văn bản đôn đốc gửi một đơn vị chậm trễ: nội dung được dựng một lần ở đây (một mô hình dữ liệu
 * thuần), rồi hai bộ dựng trình bày nó thành PDF (./letter-pdf.ts) và DOCX (./letter-docx.ts) theo
 * thể thức công văn của Nghị định 30/2020/NĐ-CP. Văn bản chỉ bằng tiếng Việt: đây là văn bản hành
 * chính chính thức, không có bản tiếng Anh (giao diện vẫn song ngữ).
 * The reminder letter (văn bản đôn đốc) to a late unit: its content is built once here, as plain
 * data, and two renderers lay it out as PDF and DOCX in the công văn layout of Decree 30/2020/NĐ-CP.
 * The letter is Vietnamese only: it is an official Vietnamese document (the portal around it stays
 * bilingual).
 *
 * It is a draft for the issuer's office: the number is left blank for the clerk to fill in when the
 * letter is registered, and so is the signer's name. What the data does not say is left as dots.
 */
import type { Actor } from '../../common/roles.js';
import type { Plan } from '../../compiler/plan.js';
import { allowed } from '../authz.js';
import { formatDate } from './present.js';

/** Days the unit is given to complete and report: a plain week (same weekday), the signer may change it in the DOCX. */
export const REPLY_DAYS = 7;

/**
 * Thể thức theo Nghị định 30/2020/NĐ-CP, Phụ lục I: khổ A4, lề và cỡ chữ; hai bộ dựng dùng chung.
 * The layout Decree 30/2020/NĐ-CP (Appendix I) sets, shared by both renderers: A4, margins (top and
 * bottom 20–25 mm, left 30–35 mm, right 15–20 mm) and the type sizes of each part, in points.
 */
export const LETTER_LAYOUT = {
  pageMm: { width: 210, height: 297 },
  marginMm: { top: 20, bottom: 20, left: 30, right: 15 },
  /** The issuer's column of the header, as a share of the text width (the national motto takes the rest). */
  issuerColumn: 0.4,
  size: {
    issuer: 13,
    nation: 12,
    motto: 13,
    number: 13,
    subject: 12,
    placeDate: 14,
    salutation: 14,
    body: 14,
    table: 12,
    copiesTitle: 12,
    copies: 11,
    signature: 14,
  },
  /** First-line indent of body paragraphs (1–1.27 cm) and the space after each (at least 6 pt). */
  indentMm: 10,
  paragraphAfterPt: 6,
} as const;

/** An overdue task of the unit, as the letter lists it. */
export interface LetterTask {
  clause: string;
  title: string;
  /** YYYY-MM-DD */
  due: string;
  days: number;
  /** The unit has submitted evidence that waits for the reviewer: still late, but said so. */
  awaitingReview?: boolean;
  eventId?: string;
  cycle?: number;
}

export interface LetterTable {
  columns: { title: string; /** share of the text width */ width: number; align: 'left' | 'center' | 'right' }[];
  rows: string[][];
}

/** The letter's content, in reading order; both renderers show exactly this. */
export interface Letter {
  /** Header, left: the issuing body's name in capitals, one line per element. */
  issuer: string[];
  /** Header, right: the national name and motto. */
  nation: string;
  motto: string;
  /** `Số:      /UBND-…`: the number blank for the clerk. */
  number: string;
  /** Trích yếu: `V/v đôn đốc thực hiện …`. */
  subject: string;
  /** `Hà Nội, ngày 26 tháng 11 năm 2026` (italic). */
  placeDate: string;
  salutation: { label: string; to: string };
  /** Paragraphs before the table of overdue tasks. */
  intro: string[];
  table: LetterTable;
  /** Paragraphs after it; the last ends with `./.`. */
  closing: string[];
  copies: { title: string; lines: string[] };
  /** Capacity of the signer (TM. / KT. lines), then the signer's name (blank: a draft). */
  signature: { authority: string[]; name: string };
  meta: { title: string; author: string; fileName: string };
}

/** Document types by the code after the number's slash (`24/CT-UBND`); a công văn has none (`3968/UBND-KGVX`). */
const TYPE_CODES: Record<string, string> = {
  CT: 'Chỉ thị',
  'QĐ': 'Quyết định',
  KH: 'Kế hoạch',
  TB: 'Thông báo',
  NQ: 'Nghị quyết',
  'CĐ': 'Công điện',
};

const COMMITTEE = /^(?:Ủy|Uỷ) ban nhân dân\s*/iu;
/** Administrative levels whose name follows "Ủy ban nhân dân": the place of the date line is what follows them. */
const LEVEL = /^(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu)\s+(.+)$/iu;

/** "UBND tỉnh X" → "Ủy ban nhân dân tỉnh X": Decree 30 wants the issuing body's name in full. */
function fullName(name: string): string {
  return name.replace(/^UBND\b\s*/u, 'Ủy ban nhân dân ').trim();
}

const upper = (s: string) => s.toLocaleUpperCase('vi');
const lowerFirst = (s: string) => s.charAt(0).toLocaleLowerCase('vi') + s.slice(1);

/**
 * The directive's number read as Decree 30 writes one: `<n>/<type>-<issuer>` (a chỉ thị, a kế hoạch…)
 * or `<n>/<issuer>-<office>` (a công văn).
 */
export function parseNumber(number: string): { type: string; issuer?: string; symbol?: string } {
  const symbol = number.split('/')[1];
  if (!symbol) return { type: 'Văn bản' };
  const [first, ...rest] = symbol.split('-');
  const type = TYPE_CODES[upper(first ?? '')];
  if (type) return { type, ...(rest.length > 0 && { issuer: rest.join('-') }) };
  return { type: 'Văn bản', issuer: first, symbol };
}

/**
 * The place of the date line (Decree 30: the province or locality where the body sits), from the
 * issuer's name when it is a people's committee ("Ủy ban nhân dân thành phố Hà Nội" → "Hà Nội");
 * anything else: undefined, and the line keeps dots for the clerk (the plan has no address).
 */
export function placeOf(issuerName: string): string | undefined {
  const name = fullName(issuerName);
  if (!COMMITTEE.test(name)) return undefined;
  return LEVEL.exec(name.replace(COMMITTEE, ''))?.[1]?.trim() || undefined;
}

/** `ngày 05 tháng 02 năm 2026`: a day below 10 and the months 1 and 2 take a leading zero (Decree 30). */
export function dateWords(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = d < 10 ? `0${d}` : String(d);
  const month = m <= 2 ? `0${m}` : String(m);
  return `ngày ${day} tháng ${month} năm ${y}`;
}

function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The header's issuer lines: "ỦY BAN NHÂN DÂN" above the locality, as the bodies print it. */
function issuerLines(name: string): string[] {
  const full = fullName(name);
  if (!COMMITTEE.test(full)) return [upper(full)];
  const rest = full.replace(COMMITTEE, '');
  return rest ? ['ỦY BAN NHÂN DÂN', upper(rest)] : ['ỦY BAN NHÂN DÂN'];
}

/**
 * Who signs, and in what capacity: a people's committee signs collectively through a vice-chair
 * (TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH, the usual signer of a reminder); a department
 * through its deputy director; another body through its deputy head.
 */
function authority(kind: string | undefined, name: string): string[] {
  const full = fullName(name);
  if (kind === 'people-committee' || COMMITTEE.test(full)) return ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'];
  if (/^Sở\s/u.test(full)) return ['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'];
  return ['KT. THỦ TRƯỞNG CƠ QUAN', 'PHÓ THỦ TRƯỞNG CƠ QUAN'];
}

function taskTitle(t: LetterTask): string {
  let s = t.title;
  if (t.eventId) s += ` (sự kiện ${t.eventId})`;
  if (t.cycle !== undefined && t.cycle > 1) s += ` (kỳ ${t.cycle})`;
  if (t.awaitingReview) s += ' (đã nộp minh chứng, đang chờ thẩm định)';
  return s;
}

export interface LetterInput {
  plan: Plan;
  unitId: string;
  /** The unit's overdue tasks (at least one). */
  tasks: LetterTask[];
  /** Today on the directive's clock, YYYY-MM-DD. */
  today: string;
}

/** The letter's content from the plan and the unit's overdue tasks. */
export function buildLetter({ plan, unitId, tasks, today }: LetterInput): Letter {
  const d = plan.directive;
  const issuerUnit = plan.units[d.issuer];
  const issuerName = fullName(issuerUnit?.name.vi ?? d.issuer);
  const unitName = plan.units[unitId]?.name.vi ?? unitId;
  const parsed = parseNumber(d.number);
  const docRef = `${parsed.type} số ${d.number}`;
  const place = placeOf(issuerName);
  // A công văn's symbol names the issuer and the office that handles it, which follows it up too;
  // another document's gives the issuer only, the office is the clerk's to add.
  const symbol = parsed.symbol ?? parsed.issuer ?? '……';
  const coordinator = plan.roles.coordinator;
  const coordinatorName = coordinator && coordinator !== unitId && coordinator !== d.issuer ? plan.units[coordinator]?.name.vi : undefined;
  const replyBy = plusDays(today, REPLY_DAYS);
  const n = tasks.length;

  return {
    issuer: issuerLines(issuerName),
    nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    number: `Số:           /${symbol}`,
    subject: `V/v đôn đốc thực hiện ${docRef}`,
    placeDate: `${place ?? '……………'}, ${dateWords(today)}`,
    salutation: { label: 'Kính gửi:', to: `${unitName}.` },
    intro: [
      `Ngày ${formatDate(d.issued)}, ${issuerName} ban hành ${docRef} về việc ${lowerFirst(d.title.vi)}, trong đó giao ${unitName} chủ trì thực hiện một số nhiệm vụ với thời hạn cụ thể.`,
      `Qua theo dõi, đến ngày ${formatDate(today)}, ${unitName} còn ${n} nhiệm vụ đã quá thời hạn nhưng chưa hoàn thành, cụ thể như sau:`,
    ],
    table: {
      columns: [
        { title: 'STT', width: 0.07, align: 'center' },
        { title: 'Điểm', width: 0.09, align: 'center' },
        { title: 'Nhiệm vụ', width: 0.5, align: 'left' },
        { title: 'Thời hạn', width: 0.17, align: 'center' },
        { title: 'Số ngày quá hạn', width: 0.17, align: 'center' },
      ],
      rows: tasks.map((t, i) => [String(i + 1), t.clause, taskTitle(t), formatDate(t.due), String(t.days)]),
    },
    closing: [
      `Để bảo đảm tiến độ thực hiện ${docRef}, ${issuerName} đề nghị ${unitName} khẩn trương hoàn thành các nhiệm vụ nêu trên, cập nhật minh chứng trên hệ thống theo dõi thực hiện và báo cáo kết quả về ${issuerName}${coordinatorName ? ` (qua ${coordinatorName})` : ''} trước ngày ${formatDate(replyBy)}. Trường hợp có khó khăn, vướng mắc hoặc cần gia hạn, đề nghị đơn vị báo cáo rõ lý do và đề xuất thời hạn hoàn thành.`,
      `Đề nghị ${unitName} nghiêm túc thực hiện./.`,
    ],
    copies: {
      title: 'Nơi nhận:',
      lines: ['- Như trên;', ...(coordinatorName ? [`- ${coordinatorName} (để theo dõi);`] : []), '- Lưu: VT.'],
    },
    signature: { authority: authority(issuerUnit?.kind, issuerName), name: '' },
    meta: {
      title: `V/v đôn đốc thực hiện ${docRef} — ${unitName}`,
      author: issuerName,
      fileName: `don-doc-${d.id}-${unitId}`,
    },
  };
}

/** The letter's address on the portal, under the unit's page of the dashboard. */
export function letterPath(directiveId: string, unitId: string, format: 'pdf' | 'docx'): string {
  return `/tong-quan/${encodeURIComponent(directiveId)}/don-vi/${encodeURIComponent(unitId)}/don-doc.${format}`;
}

/**
 * The dashboard's links to a unit's letter, when the actor may draft it (`reminder.draft`) and the
 * unit has an overdue task (the caller knows: its page or the ranking counted them); else undefined.
 */
export function letterLinks(actor: Pick<Actor, 'roles' | 'unit'>, plan: Plan, unitId: string, overdue: number): { pdf: string; docx: string } | undefined {
  if (overdue <= 0 || !allowed(actor, 'reminder.draft', { unit: unitId, plan })) return undefined;
  return { pdf: letterPath(plan.directive.id, unitId, 'pdf'), docx: letterPath(plan.directive.id, unitId, 'docx') };
}
