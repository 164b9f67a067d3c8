/**
 * Cách cổng thông tin trình bày: ngôn ngữ, ngày dd/mm/yyyy, giờ theo múi giờ của chỉ thị, màu của
 * các nhóm trạng thái (định nghĩa một lần ở đây; nhãn lấy từ common/status.ts).
 * How the portal presents things: language, dates dd/mm/yyyy, times in the directive's timezone,
 * the colours of the status buckets (defined once here; the labels come from common/status.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Bilingual, Lang } from '../../common/cli-spec.js';
import { STATUS_LABEL, STATUS_ORDER } from '../../common/status.js';
import { timingBasis } from '../../common/timing-words.js';
import type { InstanceStatus } from '../../workflows/types.js';

export const LANG_COOKIE = 'chithi_lang';

/**
 * The page's language: `?lang=` (remembered in a cookie), else the cookie, else Vietnamese. Not
 * Accept-Language: a browser set up in English is common among officials who still read the
 * portal in Vietnamese; the switch in the header is the one way to change it.
 */
export function pageLang(request: FastifyRequest, reply: FastifyReply): Lang {
  const q = (request.query as { lang?: unknown } | undefined)?.lang;
  if (q === 'vi' || q === 'en') {
    void reply.setCookie(LANG_COOKIE, q, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 });
    return q;
  }
  const c = request.cookies[LANG_COOKIE];
  return c === 'en' ? 'en' : 'vi';
}

/**
 * The Government Office's colours for its buckets, as CSS classes of portal.css (the one place the
 * colours are written): grey not yet due, blue in progress, amber awaiting review, green completed
 * on time, teal completed late, red overdue, grey withdrawn.
 */
export const STATUS_CLASS: Record<InstanceStatus, string> = {
  'not-yet-due': 'st-not-yet-due',
  'in-progress': 'st-in-progress',
  'awaiting-review': 'st-awaiting-review',
  'completed-on-time': 'st-completed-on-time',
  'completed-late': 'st-completed-late',
  overdue: 'st-overdue',
  withdrawn: 'st-withdrawn',
};

export { STATUS_LABEL, STATUS_ORDER };

/** `2026-02-27` → `27/02/2026`; anything else as it is. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** An instant as `dd/mm/yyyy HH:mm` in the directive's timezone (the wall clock the unit works by). */
export function formatTime(instant: string | undefined, timeZone: string): string {
  if (!instant) return '—';
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

/** An evidence requirement as the plan gives it: enough to show a submitted value under its title. */
interface Requirement {
  name: string;
  kind: string;
  title: Bilingual | { vi: string; en?: string };
  format?: string;
}

/**
 * A submitted piece of evidence as a person reads it: under the requirement's title (not its
 * internal name), a date field as dd/mm/yyyy. Values the plan no longer asks for (an amendment)
 * keep their name.
 */
function evidenceView(lang: Lang) {
  const tx = (b: { vi: string; en?: string }) => (lang === 'en' ? (b.en ?? b.vi) : b.vi);
  return {
    evTitle: (o: { evidence: Requirement[] }, name: string) => {
      const r = o.evidence.find((x) => x.name === name);
      return r ? tx(r.title) : name;
    },
    evValue: (o: { evidence: Requirement[] }, e: { name: string; value?: string }) => {
      const r = o.evidence.find((x) => x.name === e.name);
      if (r?.kind === 'field' && r.format === 'date' && e.value && /^\d{4}-\d{2}-\d{2}$/.test(e.value)) return formatDate(e.value);
      if (r?.kind === 'attestation') return lang === 'en' ? 'Attested' : 'Đã cam kết';
      return e.value ?? '';
    },
  };
}

/** What every template gets: the language and the helpers that depend on it. */
export function helpers(lang: Lang) {
  return {
    lang,
    /** Vietnamese first, English second: the English text is used only when the reader asked for it. */
    t: (vi: string, en: string) => (lang === 'en' ? en : vi),
    tx: (b: Bilingual | { vi: string; en?: string } | undefined) => (b ? (lang === 'en' ? (b.en ?? b.vi) : b.vi) : ''),
    date: formatDate,
    time: formatTime,
    statusLabel: (s: InstanceStatus) => STATUS_LABEL[s][lang],
    statusClass: (s: InstanceStatus) => STATUS_CLASS[s],
    /** How a due date is set where the text did not print it (common/timing-words.ts): shown with `tx`. */
    timingBasis,
    ...evidenceView(lang),
  };
}
