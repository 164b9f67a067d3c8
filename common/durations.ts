/**
 * ISO-8601 durations in words, the way a letter says them: `P6M` → "6 tháng" / "6 months",
 * `PT4H` → "4 giờ" / "4 hours", `P1Y6M` → "1 năm 6 tháng". A letter never shows `P6M`.
 */
import type { Bilingual } from './cli-spec.js';

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const PARTS: { vi: string; en: [string, string] }[] = [
  { vi: 'năm', en: ['year', 'years'] },
  { vi: 'tháng', en: ['month', 'months'] },
  { vi: 'tuần', en: ['week', 'weeks'] },
  { vi: 'ngày', en: ['day', 'days'] },
  { vi: 'giờ', en: ['hour', 'hours'] },
  { vi: 'phút', en: ['minute', 'minutes'] },
  { vi: 'giây', en: ['second', 'seconds'] },
];

export function durationWords(iso: string): Bilingual {
  const m = DURATION.exec(iso);
  if (!m || iso === 'P') return { vi: iso, en: iso };
  const vi: string[] = [];
  const en: string[] = [];
  PARTS.forEach((p, i) => {
    const raw = m[i + 1];
    if (raw === undefined) return;
    const n = Number(raw);
    if (n === 0) return;
    vi.push(`${n} ${p.vi}`);
    en.push(`${n} ${n === 1 ? p.en[0] : p.en[1]}`);
  });
  if (vi.length === 0) return { vi: '0 ngày', en: '0 days' };
  return { vi: vi.join(' '), en: en.join(' ') };
}
