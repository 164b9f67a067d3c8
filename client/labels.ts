import type { InstanceStatus } from '../workflows/types.js';
import type { Bilingual, Lang } from './io.js';

/** The wording of the Government Office's reports, so printouts match what officials already read. */
export const STATUS_LABEL: Record<InstanceStatus, Bilingual> = {
  'not-yet-due': { vi: 'chưa đến hạn', en: 'not yet due' },
  'in-progress': { vi: 'đang thực hiện trong hạn', en: 'in progress, on time' },
  'awaiting-review': { vi: 'chờ duyệt', en: 'awaiting review' },
  'completed-on-time': { vi: 'hoàn thành đúng hạn', en: 'completed on time' },
  'completed-late': { vi: 'hoàn thành quá hạn', en: 'completed late' },
  overdue: { vi: 'quá hạn chưa hoàn thành', en: 'overdue, not completed' },
  withdrawn: { vi: 'đã thu hồi', en: 'withdrawn' },
};

export const STATUS_ORDER: InstanceStatus[] = [
  'not-yet-due',
  'in-progress',
  'awaiting-review',
  'completed-on-time',
  'completed-late',
  'overdue',
  'withdrawn',
];

export function isStatus(s: string): s is InstanceStatus {
  return (STATUS_ORDER as string[]).includes(s);
}

/** Vietnamese documents write dates day first. */
export function formatDate(iso: string | undefined | null): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

export function t(text: Bilingual, lang: Lang): string {
  return text[lang];
}

/** Column widths by code points, so Vietnamese diacritics (precomposed) do not skew alignment. */
export function table(header: string[], rows: string[][]): string {
  const width = (s: string) => [...s.normalize('NFC')].length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}
