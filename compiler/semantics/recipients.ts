/**
 * Người nhận và sự kiện của ngôn ngữ 1.1: tên vai trò ở mọi chỗ ghi mã đơn vị, người nhận theo quan
 * hệ (`assignee.head`, `assignee.parent`), `reportTo`, và `event.raisedBy`.
 * Language 1.1 recipients and events, checked where they are written:
 * - a role name wherever a unit id goes (assignees, cooperating, raisedBy; reviewer and escalation
 *   `to` always took one);
 * - a relation of the assignee (`assignee.head`, `assignee.parent`, compiler/relations.ts) where a
 *   recipient goes (reviewer, cooperating, escalation `to`, reportTo), never where the duty's own
 *   units are (assignees, raisedBy);
 * - `reportTo`: bodies the result is reported to, which must be reachable;
 * - `event.raisedBy`: who may raise an event that opens other units' duties;
 * - obligations sharing an event type (one report opens them all) should call it the same.
 * Each construct calls requireV11 where it starts, so a v1 file using one is told which line needs
 * the new version. Whether an assignee has the parent or head a relation needs is known only once
 * the assignees are resolved at `asOf`: compiler/resolve.ts reports that (`no-parent`, `no-head`).
 */
import type { RoleBinding, Selector } from '../schema/directive.generated.js';
import { diag } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { suggestion } from '../did-you-mean.js';
import { locate } from '../positions.js';
import type { JsonPath } from '../positions.js';
import { RELATIONS, isRelation, isRelational } from '../relations.js';
import type { DirectiveContext } from './context.js';
import { isObject } from './context.js';
import { requireV11 } from './version.js';

const WHAT = {
  role: (field: string) => ({ vi: `Tên vai trò trong \`${field}\``, en: `A role name in \`${field}\`` }),
  relation: (ref: string) => ({ vi: `Người nhận theo quan hệ \`${ref}\``, en: `The relational recipient \`${ref}\`` }),
  reportTo: { vi: '`reportTo` (báo cáo về cơ quan ngoài đơn vị chủ trì)', en: '`reportTo` (reporting to a body outside the assignees)' },
  raisedBy: { vi: '`event.raisedBy` (đơn vị được báo sự kiện)', en: '`event.raisedBy` (who may raise the event)' },
};

export function checkRecipients(ctx: DirectiveContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { data, parsed, registry } = ctx;
  const file = parsed.file;
  const at = (path: JsonPath, key: 'key' | 'value' = 'value') => locate(parsed, path, key);
  const roles: Record<string, RoleBinding> = isObject(data.roles) ? data.roles : {};
  const audiences: Record<string, Selector> = isObject(data.audiences) ? data.audiences : {};
  const roleUnit = (name: string): string | undefined => {
    const b = roles[name];
    return typeof b === 'string' ? b : isObject(b) && typeof b.unit === 'string' ? b.unit : undefined;
  };

  /** A relation where a recipient goes: 1.1 only, and one of the known ones. */
  const relation = (ref: string, path: JsonPath): void => {
    out.push(...requireV11(ctx, path, WHAT.relation(ref)));
    if (isRelation(ref)) return;
    const s = suggestion(ref, [...RELATIONS]);
    out.push(
      diag(file, at(path), 'unknown-relation', { vi: `\`${ref}\` không phải quan hệ nào${s.vi}`, en: `\`${ref}\` is not a relation${s.en}` }, {
        vi: `các quan hệ: ${RELATIONS.join(', ')} (hoặc một vai trò, một mã đơn vị)`,
        en: `relations: ${RELATIONS.join(', ')} (or a role, a unit id)`,
      }),
    );
  };

  /** A relation where the duty's own units go: refused, with what to write instead. */
  const notHere = (ref: string, path: JsonPath, field: 'assignees' | 'raisedBy'): void => {
    out.push(
      diag(
        file,
        at(path),
        'relation-not-here',
        { vi: `\`${ref}\` chỉ dùng cho người nhận (reviewer, cooperating, escalation, reportTo), không dùng trong \`${field}\``, en: `\`${ref}\` names a recipient (reviewer, cooperating, escalation, reportTo), not an entry of \`${field}\`` },
        field === 'assignees'
          ? { vi: 'ghi đơn vị phải thực hiện: nhóm đối tượng, mã đơn vị hoặc vai trò', en: 'write the units that must do it: an audience, a unit id or a role' }
          : { vi: 'ghi đơn vị được báo sự kiện: nhóm đối tượng, mã đơn vị hoặc vai trò', en: 'write the units that may raise it: an audience, a unit id or a role' },
      ),
    );
  };

  /** A string of a unit list (assignees, cooperating, raisedBy): a role is 1.1; a relation is a recipient or nothing. */
  const unitListEntry = (ref: unknown, path: JsonPath, field: 'assignees' | 'cooperating' | 'raisedBy'): void => {
    if (typeof ref !== 'string') return;
    if (isRelational(ref)) return field === 'cooperating' ? relation(ref, path) : notHere(ref, path, field);
    // An audience of the same name is what v1 meant by it: audiences come first (as in audience.ts).
    if (ref in audiences || !(ref in roles)) return;
    out.push(...requireV11(ctx, path, WHAT.role(field)));
  };

  const recipient = (ref: unknown, path: JsonPath): void => {
    if (isRelational(ref)) relation(ref, path);
  };

  const d = data.defaults;
  if (isObject(d) && ctx.clean(['defaults'])) {
    recipient(d.reviewer, ['defaults', 'reviewer']);
    if (Array.isArray(d.escalation)) d.escalation.forEach((s, k) => Array.isArray(s?.to) && s.to.forEach((t: unknown, j: number) => recipient(t, ['defaults', 'escalation', k, 'to', j])));
  }

  const obligations = Array.isArray(data.obligations) ? data.obligations : [];
  /** Event type → the first obligation declaring it (index, title), to compare the others with. */
  const eventTitles = new Map<string, { i: number; vi: string }>();
  obligations.forEach((o, i) => {
    if (!isObject(o)) return;
    const base: JsonPath = ['obligations', i];
    const ok = (field: string): boolean => ctx.clean([...base, field]);
    if (ok('assignees') && Array.isArray(o.assignees)) o.assignees.forEach((r, j) => unitListEntry(r, [...base, 'assignees', j], 'assignees'));
    if (ok('cooperating') && Array.isArray(o.cooperating)) o.cooperating.forEach((r, j) => unitListEntry(r, [...base, 'cooperating', j], 'cooperating'));
    if (ok('reviewer')) recipient(o.reviewer, [...base, 'reviewer']);
    if (ok('escalation') && Array.isArray(o.escalation)) o.escalation.forEach((s, k) => Array.isArray(s?.to) && s.to.forEach((t: unknown, j: number) => recipient(t, [...base, 'escalation', k, 'to', j])));

    if (o.reportTo !== undefined && ok('reportTo')) {
      out.push(...requireV11(ctx, [...base, 'reportTo'], WHAT.reportTo));
      o.reportTo.forEach((ref, j) => {
        const path: JsonPath = [...base, 'reportTo', j];
        if (isRelational(ref)) return relation(ref, path);
        const unitId = roleUnit(ref) ?? ref;
        const unit = registry?.units.get(unitId);
        if (registry && !unit) {
          const s = suggestion(ref, [...Object.keys(roles), ...registry.units.keys()]);
          out.push(
            diag(file, at(path), 'unknown-unit', { vi: `\`${ref}\` không phải vai trò hay mã đơn vị nào trong danh mục ${registry.file}${s.vi}`, en: `\`${ref}\` is neither a role nor a unit of the registry ${registry.file}${s.en}` }, {
              vi: 'cơ quan nhận báo cáo phải có trong danh mục (một đơn vị ngoài tỉnh cũng ghi vào đó, với thư điện tử)',
              en: 'the body reported to must be in the registry (a body outside the province too, with its e-mail)',
            }),
          );
        } else if (unit && unit.email === undefined) {
          out.push(
            diag(
              file,
              at(path),
              'report-to-no-email',
              { vi: `\`${unitId}\` không có thư điện tử trong danh mục: chỉ nhận được báo cáo qua hộp thông báo trên cổng, nếu có tài khoản`, en: `\`${unitId}\` has no e-mail in the registry: it hears of the report only in the portal's inbox, if it has accounts` },
              { vi: `thêm \`email:\` cho \`${unitId}\` trong danh mục`, en: `add \`email:\` to \`${unitId}\` in the registry` },
              'warning',
            ),
          );
        }
      });
    }

    const ev = o.event;
    if (isObject(ev) && ok('event')) {
      if (ev.raisedBy !== undefined) {
        out.push(...requireV11(ctx, [...base, 'event', 'raisedBy'], WHAT.raisedBy));
        ev.raisedBy.forEach((r, j) => unitListEntry(r, [...base, 'event', 'raisedBy', j], 'raisedBy'));
      }
      // Một báo cáo mở mọi nghĩa vụ cùng loại sự kiện: chúng phải gọi sự kiện ấy cùng một tên.
      // One report opens every obligation of its type: they should call the event the same.
      if (typeof ev.type === 'string' && isObject(ev.title) && typeof ev.title.vi === 'string') {
        const first = eventTitles.get(ev.type);
        if (!first) eventTitles.set(ev.type, { i, vi: ev.title.vi });
        else if (first.vi !== ev.title.vi) {
          const line = at(['obligations', first.i, 'event', 'title']).line;
          out.push(
            diag(
              file,
              at([...base, 'event', 'title']),
              'event-title-differs',
              { vi: `sự kiện \`${ev.type}\` đã được gọi là “${first.vi}” (dòng ${line}); một báo cáo loại này mở mọi nghĩa vụ cùng loại`, en: `event \`${ev.type}\` is already called “${first.vi}” (line ${line}); one report of this type opens every obligation of the type` },
              { vi: 'dùng cùng một tiêu đề, hoặc một loại sự kiện khác nếu đây là sự việc khác', en: 'use the same title, or another event type if this is another occurrence' },
              'warning',
            ),
          );
        }
      }
    }
  });
  return out;
}
