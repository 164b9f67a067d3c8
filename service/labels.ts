import { STATUS_ORDER } from '../common/status.js';
import type { InstanceStatus } from '../workflows/types.js';
import type { Bilingual, Lang } from '../common/cli-spec.js';

export { STATUS_LABEL, STATUS_ORDER } from '../common/status.js';

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
