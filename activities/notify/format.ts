import { DateTime } from 'luxon';
import type { IsoDate, IsoInstant, LocalizedText, PlanObligation, PlanUnit } from '../../compiler/plan.js';
import type { NotificationRequest } from '../../workflows/types.js';

/** `2022-11-30` → `30/11/2022`, the way Vietnamese documents print dates. */
export function formatDate(d: IsoDate): string {
  const [y, m, day] = d.split('-');
  return `${day}/${m}/${y}`;
}

/** An instant as local `HH:mm dd/MM/yyyy` in the directive's timezone. */
export function formatInstant(at: IsoInstant, tz: string): string {
  return DateTime.fromISO(at, { setZone: true }).setZone(tz).toFormat('HH:mm dd/MM/yyyy');
}

/** Whole days from `due` to the local date of `at` (positive: late; negative: days left). */
export function daysPastDue(due: IsoDate, at: IsoInstant, tz: string): number {
  const day = DateTime.fromISO(at, { setZone: true }).setZone(tz).startOf('day');
  const dueDay = DateTime.fromISO(due, { zone: tz }).startOf('day');
  return Math.round(day.diff(dueDay, 'days').days);
}

export function en(t: LocalizedText): string {
  return t.en ?? t.vi;
}

export function unitName(req: NotificationRequest, id: string): LocalizedText {
  const u: PlanUnit | undefined = req.contacts[id] ?? (req.unit.id === id ? req.unit : undefined);
  return u?.name ?? { vi: id, en: id };
}

const KIND_VI = { document: 'tài liệu', link: 'đường dẫn', field: 'thông tin', attestation: 'xác nhận' } as const;

export function evidenceLines(ob: PlanObligation): { vi: string[]; en: string[] } {
  return {
    vi: ob.evidence.map((e) => `  - ${e.title.vi} (${KIND_VI[e.kind]}${e.required ? ', bắt buộc' : ', không bắt buộc'})`),
    en: ob.evidence.map((e) => `  - ${en(e.title)} (${e.kind}${e.required ? ', required' : ', optional'})`),
  };
}

/**
 * The CLI line a unit runs to submit. One place, so it follows the client's flags if they change.
 * Placeholders are in Vietnamese and English since the line is shown under both texts.
 */
export function submitCommand(req: NotificationRequest): string {
  const parts = ['npx chithi submit', req.directive.id, req.obligation.id, `--unit ${req.unit.id}`];
  const eventId = req.detail?.eventId;
  if (eventId) parts.push(`--event ${eventId}`);
  for (const e of req.obligation.evidence) {
    if (e.kind === 'document') parts.push(`--file ${e.name}=<tệp|file>`);
    else if (e.kind === 'link') parts.push(`--link ${e.name}=<url>`);
    else if (e.kind === 'field') parts.push(`--field ${e.name}=<giá-trị|value>`);
    else parts.push(`--attest ${e.name}`);
  }
  return parts.join(' ');
}

export function reviewCommand(req: NotificationRequest, submissionId: string): string {
  return `npx chithi review ${req.directive.id} ${submissionId} --accept | --reject --comment "<ý kiến|comment>"`;
}
