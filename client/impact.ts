/**
 * In tác động của một lần sửa đổi (service/impact.ts) cho người soạn chỉ thị đọc: chithi diff và
 * chithi deploy --dry-run in giống nhau.
 * An amendment's impact (service/impact.ts) as the policy author reads it: `chithi diff` and
 * `chithi deploy --dry-run` print it the same way.
 */
import { afterDueWords, beforeWords, durationWords, everyWords } from '../common/durations.js';
import type { FieldChange, PlanImpact } from '../service/impact.js';
import type { Lang } from './io.js';

const FIELD: Record<FieldChange['field'], { vi: string; en: string }> = {
  title: { vi: 'tên', en: 'title' },
  due: { vi: 'hạn', en: 'due' },
  every: { vi: 'chu kỳ', en: 'every' },
  anchor: { vi: 'mốc bắt đầu', en: 'anchor' },
  until: { vi: 'đến hết', en: 'until' },
  within: { vi: 'thời hạn sau sự kiện', en: 'within' },
  attestEvery: { vi: 'kỳ xác nhận', en: 'attest every' },
  event: { vi: 'sự kiện', en: 'event' },
  reminders: { vi: 'nhắc hạn trước', en: 'reminders before' },
  escalation: { vi: 'báo cáo cấp trên', en: 'escalation' },
  reviewer: { vi: 'đơn vị thẩm định', en: 'reviewer' },
  cooperating: { vi: 'đơn vị phối hợp', en: 'cooperating' },
  evidence: { vi: 'minh chứng', en: 'evidence' },
  dependsOn: { vi: 'làm sau', en: 'depends on' },
  calendar: { vi: 'lịch làm việc', en: 'calendar' },
  timezone: { vi: 'múi giờ', en: 'timezone' },
};

/** `2026-02-27` → `27/02/2026` inside a value; other text as it is. */
const dates = (s: string) => s.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3/$2/$1');

/**
 * A changed value in words (common/durations.ts, as chithi compile prints plans): periods "mỗi 6
 * tháng", reminders "trước 7 ngày", escalation steps "7 ngày sau hạn: chu-tich"; dates dd/mm/yyyy.
 * The JSON output keeps the plan's own values.
 */
function valueWords(field: FieldChange['field'], value: string, lang: Lang): string {
  if (value === '—') return value;
  const items = value.split(', ');
  switch (field) {
    case 'every':
    case 'attestEvery':
      return everyWords(value)[lang];
    case 'within':
      return durationWords(value)[lang];
    case 'reminders':
      return items.map((d) => beforeWords(d)[lang]).join(', ');
    case 'escalation':
      return items
        .map((step) => {
          const [after, to] = step.split(' → ');
          return `${afterDueWords(after!)[lang]}: ${to}`;
        })
        .join(', ');
    default:
      return dates(value);
  }
}

export function formatImpact(r: PlanImpact, lang: Lang): string {
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const tx = (b: { vi: string; en?: string }) => (lang === 'en' ? (b.en ?? b.vi) : b.vi);
  const out: string[] = [];
  const d = r.directive;
  out.push(
    r.directive.fromRevision === undefined
      ? t(`${d.id} (${d.number}) chưa triển khai: triển khai lần đầu, lần sửa đổi ${d.toRevision}.`, `${d.id} (${d.number}) is not deployed: a first deployment, revision ${d.toRevision}.`)
      : t(`${d.id} (${d.number}): lần sửa đổi ${d.fromRevision} → ${d.toRevision}.`, `${d.id} (${d.number}): revision ${d.fromRevision} → ${d.toRevision}.`),
  );
  const change = (c: FieldChange) => `${FIELD[c.field][lang]}: ${valueWords(c.field, c.from, lang)} → ${valueWords(c.field, c.to, lang)}`;
  if (r.directiveChanges.length > 0) {
    out.push('', t('Chỉ thị:', 'Directive:'));
    for (const c of r.directiveChanges) out.push(`  ${change(c)}`);
  }
  if (r.added.length > 0) {
    out.push('', t('Nghĩa vụ thêm:', 'Obligations added:'));
    for (const o of r.added) out.push(`  + ${o.clause} ${o.id} — ${tx(o.title)}`);
  }
  if (r.removed.length > 0) {
    out.push('', t('Nghĩa vụ bỏ:', 'Obligations removed:'));
    for (const o of r.removed) out.push(`  - ${o.clause} ${o.id} — ${tx(o.title)}`);
  }
  if (r.changed.length > 0) {
    out.push('', t('Nghĩa vụ thay đổi:', 'Obligations changed:'));
    for (const o of r.changed) {
      out.push(`  ~ ${o.clause} ${o.id} — ${tx(o.title)}`);
      if (o.unitsAdded.length > 0) out.push(`      ${t('thêm đơn vị', 'units added')}: ${o.unitsAdded.join(', ')}`);
      if (o.unitsRemoved.length > 0) out.push(`      ${t('bớt đơn vị', 'units removed')}: ${o.unitsRemoved.join(', ')}`);
      for (const c of o.changes) out.push(`      ${change(c)}`);
    }
  }
  if (r.directiveChanges.length + r.added.length + r.removed.length + r.changed.length === 0 && d.fromRevision !== undefined) {
    out.push('', t('Không có thay đổi nào về nghĩa vụ.', 'No obligation changes.'));
  }
  const i = r.instances;
  out.push(
    '',
    t(
      `Các phiên: khởi động ${i.start}, điều chỉnh ${i.amend}, thu hồi ${i.withdraw}, giữ nguyên ${i.unchanged}.`,
      `Instances: ${i.start} started, ${i.amend} amended, ${i.withdraw} withdrawn, ${i.unchanged} unchanged.`,
    ),
  );
  if (r.notices.length > 0) {
    out.push(t('Thông báo sẽ gửi (gộp vào thư của mỗi đơn vị theo nhịp gửi thư của nó):', 'Notices that would be sent (gathered into each unit\'s letters, at its cadence):'));
    for (const n of r.notices) {
      const parts = [
        n.opened > 0 ? t(`${n.opened} giao nhiệm vụ`, `${n.opened} assignment`) : '',
        n.amended > 0 ? t(`${n.amended} sửa đổi`, `${n.amended} amended`) : '',
        n.withdrawn > 0 ? t(`${n.withdrawn} thu hồi`, `${n.withdrawn} withdrawn`) : '',
      ].filter(Boolean);
      out.push(`  ${n.unit} (${tx(n.name)}): ${parts.join(', ')}`);
    }
  } else out.push(t('Không có thông báo nào.', 'No notices.'));
  return out.join('\n') + '\n';
}
