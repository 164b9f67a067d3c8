/**
 * In tác động của một lần sửa đổi (service/impact.ts) cho người soạn chỉ thị đọc: chithi diff và
 * chithi deploy --dry-run in giống nhau.
 * An amendment's impact (service/impact.ts) as the policy author reads it: `chithi diff` and
 * `chithi deploy --dry-run` print it the same way.
 */
import { FIELD_LABEL, valueWords, type FieldChange, type PlanImpact } from '../service/impact.js';
import type { Lang } from './io.js';

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
  const change = (c: FieldChange) => `${FIELD_LABEL[c.field][lang]}: ${valueWords(c.field, c.from, lang)} → ${valueWords(c.field, c.to, lang)}`;
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
