/**
 * Khoảng thời gian bằng chữ, như một công văn viết: `P6M` → "6 tháng" / "6 months", `PT72H` →
 * "72 giờ" / "72 hours", `P1Y6M` → "1 năm 6 tháng". Một bộ định dạng duy nhất cho CLI, thông báo
 * và cổng thông tin: người đọc không bao giờ thấy `P6M`.
 * ISO-8601 durations in words, the way a letter says them. The one formatter for the CLI, the
 * notices and the portal (it is in common/, the lowest layer): a reader never sees `P6M`.
 *
 * Working days: the directive language does not write them yet (issue 11, item 1 chooses between
 * `P5WD` and `{ workingDays: 5 }`); both shapes already read as "5 ngày làm việc" / "5 working
 * days", so the language can take either without touching the readers.
 */
import type { Bilingual } from './cli-spec.js';

/** An ISO-8601 duration, or a count of working days in either shape the language may choose. */
export type DurationLike = string | { workingDays: number };

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const WORKING_DAYS = /^P(\d+)WD$/;
const PARTS: { vi: string; en: [string, string] }[] = [
  { vi: 'năm', en: ['year', 'years'] },
  { vi: 'tháng', en: ['month', 'months'] },
  { vi: 'tuần', en: ['week', 'weeks'] },
  { vi: 'ngày', en: ['day', 'days'] },
  { vi: 'giờ', en: ['hour', 'hours'] },
  { vi: 'phút', en: ['minute', 'minutes'] },
  { vi: 'giây', en: ['second', 'seconds'] },
];
const WORKING_DAY = { vi: 'ngày làm việc', en: ['working day', 'working days'] as [string, string] };

/** The duration as (count, unit) parts, largest first; null when it is not a duration we read. */
function parts(d: DurationLike): { n: number; vi: string; en: [string, string] }[] | null {
  if (typeof d !== 'string') return Number.isInteger(d.workingDays) && d.workingDays >= 0 ? [{ n: d.workingDays, ...WORKING_DAY }] : null;
  const wd = WORKING_DAYS.exec(d);
  if (wd) return [{ n: Number(wd[1]), ...WORKING_DAY }];
  const m = DURATION.exec(d);
  if (!m || d === 'P' || d.endsWith('T')) return null;
  const out: { n: number; vi: string; en: [string, string] }[] = [];
  PARTS.forEach((p, i) => {
    const raw = m[i + 1];
    if (raw !== undefined && Number(raw) !== 0) out.push({ n: Number(raw), ...p });
  });
  return out;
}

const raw = (d: DurationLike): Bilingual => {
  const s = typeof d === 'string' ? d : JSON.stringify(d);
  return { vi: s, en: s };
};

/** "6 tháng" / "6 months"; "0 ngày" / "0 days" for a zero duration; anything unreadable as written. */
export function durationWords(d: DurationLike): Bilingual {
  const ps = parts(d);
  if (!ps) return raw(d);
  if (ps.length === 0) return { vi: '0 ngày', en: '0 days' };
  return { vi: ps.map((p) => `${p.n} ${p.vi}`).join(' '), en: ps.map((p) => `${p.n} ${p.n === 1 ? p.en[0] : p.en[1]}`).join(' ') };
}

/** A period: "mỗi 6 tháng" / "every 6 months", and "mỗi năm" / "every year" rather than "every 1 year". */
export function everyWords(d: DurationLike): Bilingual {
  const ps = parts(d);
  if (ps && ps.length === 1 && ps[0]!.n === 1) return { vi: `mỗi ${ps[0]!.vi}`, en: `every ${ps[0]!.en[0]}` };
  const w = durationWords(d);
  return { vi: `mỗi ${w.vi}`, en: `every ${w.en}` };
}

/** A reminder's offset: "trước 7 ngày" / "7 days before". */
export function beforeWords(d: DurationLike): Bilingual {
  const w = durationWords(d);
  return { vi: `trước ${w.vi}`, en: `${w.en} before` };
}

/** An escalation step: "khi đến hạn" / "at the due date" for zero, else "7 ngày sau hạn" / "7 days after the due date". */
export function afterDueWords(d: DurationLike): Bilingual {
  const ps = parts(d);
  if (ps && ps.length === 0) return { vi: 'khi đến hạn', en: 'at the due date' };
  const w = durationWords(d);
  return { vi: `${w.vi} sau hạn`, en: `${w.en} after the due date` };
}
