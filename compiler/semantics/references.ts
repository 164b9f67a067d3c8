/** Every name a directive uses must exist: units, roles, audiences, obligations. */
import type { RoleBinding, Selector, UnitRef } from '../schema/directive.generated.js';
import { diag } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { suggestion } from '../did-you-mean.js';
import { locate } from '../positions.js';
import type { JsonPath } from '../positions.js';
import { selectorForms } from '../audience.js';
import { isRelational } from '../relations.js';
import { findCycles } from './cycles.js';
import type { DirectiveContext } from './context.js';
import { isObject } from './context.js';

export function checkReferences(ctx: DirectiveContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { data, parsed, registry } = ctx;
  const file = parsed.file;
  const unitIds = registry ? [...registry.units.keys()] : [];
  // The schema may have rejected any of these; semantics must still not trip over them.
  const roles: Record<string, RoleBinding> = isObject(data.roles) ? data.roles : {};
  const audiences: Record<string, Selector> = isObject(data.audiences) ? data.audiences : {};
  const audienceNames = Object.keys(audiences);
  const at = (path: JsonPath, key: 'key' | 'value' = 'value') => locate(parsed, path, key);

  const unknownUnit = (id: string, path: JsonPath): void => {
    if (!registry || registry.units.has(id)) return;
    const s = suggestion(id, unitIds);
    out.push(
      diag(file, at(path), 'unknown-unit', { vi: `đơn vị \`${id}\` không có trong danh mục ${registry.file}${s.vi}`, en: `unit \`${id}\` is not in the registry ${registry.file}${s.en}` }, {
        vi: 'sửa mã đơn vị hoặc thêm đơn vị vào danh mục',
        en: 'fix the unit id or add the unit to the registry',
      }),
    );
  };

  if (isObject(data.metadata) && typeof data.metadata.issuer === 'string' && ctx.clean(['metadata', 'issuer'])) unknownUnit(data.metadata.issuer, ['metadata', 'issuer']);
  for (const [role, binding] of Object.entries(roles)) {
    if (!ctx.clean(['roles', role])) continue;
    if (typeof binding === 'string') unknownUnit(binding, ['roles', role]);
    else if (isObject(binding) && typeof binding.unit === 'string') unknownUnit(binding.unit, ['roles', role, 'unit']);
  }

  // Built once: a national registry has thousands of units, each selector is checked against it.
  let attributeNames: string[] | undefined;
  const attributesOfRegistry = (): string[] => (attributeNames ??= [...new Set(registry ? [...registry.units.values()].flatMap((u) => Object.keys(u.attributes ?? {})) : [])].sort());

  const checkSelector = (sel: Selector, path: JsonPath): void => {
    const forms = selectorForms(sel);
    if (forms.length === 0) {
      // `{ mayBeEmpty: true }` alone would select every unit: the flag is not a selection.
      out.push(
        diag(file, at(path), 'selector-shape', { vi: 'bộ chọn không chọn theo tiêu chí nào (chỉ có `mayBeEmpty`)', en: 'the selector selects by nothing (it only has `mayBeEmpty`)' }, {
          vi: 'thêm kind, tags, units, audience, systems, attribute, anyOf, allOf hoặc not',
          en: 'add kind, tags, units, audience, systems, attribute, anyOf, allOf or not',
        }),
      );
    }
    if (forms.length > 1) {
      out.push(
        diag(file, at(path), 'selector-shape', { vi: `bộ chọn dùng cùng lúc nhiều dạng: ${forms.join(', ')}`, en: `selector mixes several forms: ${forms.join(', ')}` }, {
          vi: 'dùng allOf hoặc anyOf để kết hợp các bộ chọn',
          en: 'combine selectors with allOf or anyOf',
        }),
      );
    }
    sel.units?.forEach((u, i) => unknownUnit(u, [...path, 'units', i]));
    if (registry && sel.attribute && typeof sel.attribute.name === 'string') {
      // A misspelt attribute selects nothing, silently: the names the registry has are the fix.
      const name = sel.attribute.name;
      const names = attributesOfRegistry();
      if (!names.includes(name)) {
        const s = suggestion(name, names);
        const shown = names.slice(0, 20).map((n) => `\`${n}\``).join(', ');
        const more = names.length > 20 ? { vi: ` và ${names.length - 20} thuộc tính khác`, en: ` and ${names.length - 20} more` } : { vi: '', en: '' };
        out.push(
          diag(
            file,
            at([...path, 'attribute', 'name']),
            'unknown-attribute',
            { vi: `không đơn vị nào trong danh mục ${registry.file} có thuộc tính \`${name}\`${s.vi}`, en: `no unit in the registry ${registry.file} has the attribute \`${name}\`${s.en}` },
            names.length > 0
              ? { vi: `các thuộc tính có trong danh mục: ${shown}${more.vi}`, en: `attributes in the registry: ${shown}${more.en}` }
              : { vi: 'danh mục chưa khai báo `attributes` cho đơn vị nào: chọn theo kind, tags hoặc units', en: 'no unit in the registry has `attributes`: select by kind, tags or units' },
          ),
        );
      }
    }
    if (sel.audience !== undefined && !(sel.audience in audiences)) {
      const s = suggestion(sel.audience, audienceNames);
      out.push(
        diag(file, at([...path, 'audience']), 'unknown-audience', { vi: `không có nhóm đối tượng \`${sel.audience}\`${s.vi}`, en: `no audience named \`${sel.audience}\`${s.en}` }, {
          vi: 'khai báo nó trong `audiences:`',
          en: 'declare it under `audiences:`',
        }),
      );
    }
    sel.anyOf?.forEach((s, i) => checkSelector(s, [...path, 'anyOf', i]));
    sel.allOf?.forEach((s, i) => checkSelector(s, [...path, 'allOf', i]));
    if (sel.not) checkSelector(sel.not, [...path, 'not']);
  };

  for (const [name, sel] of Object.entries(audiences)) if (ctx.clean(['audiences', name])) checkSelector(sel, ['audiences', name]);

  // Audiences may refer to each other; a loop would make membership undefined.
  const audienceEdges = (name: string): string[] => {
    const refs: string[] = [];
    const stack: Selector[] = audiences[name] && ctx.clean(['audiences', name]) ? [audiences[name]] : [];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (s.audience !== undefined && s.audience in audiences) refs.push(s.audience);
      stack.push(...(s.anyOf ?? []), ...(s.allOf ?? []), ...(s.not ? [s.not] : []));
    }
    return refs;
  };
  for (const cycle of findCycles(audienceNames, audienceEdges)) {
    const text = cycle.join(' → ');
    out.push(
      diag(file, at(['audiences', cycle[0]!], 'key'), 'audience-cycle', { vi: `nhóm đối tượng tham chiếu vòng tròn: ${text}`, en: `audiences refer to each other in a cycle: ${text}` }, {
        vi: 'bỏ một tham chiếu `audience:` để cắt vòng',
        en: 'remove one `audience:` reference to break the cycle',
      }),
    );
  }

  const checkRef = (ref: UnitRef, path: JsonPath): void => {
    if (typeof ref !== 'string') return checkSelector(ref, path);
    // A role name (1.1) and a relation are checked by recipients.ts.
    if (ref in audiences || ref in roles || isRelational(ref) || !registry || registry.units.has(ref)) return;
    const s = suggestion(ref, [...audienceNames, ...unitIds]);
    out.push(
      diag(file, at(path), 'unknown-audience', { vi: `\`${ref}\` không phải nhóm đối tượng hay mã đơn vị nào${s.vi}`, en: `\`${ref}\` is neither an audience nor a unit id${s.en}` }, {
        vi: 'khai báo nhóm trong `audiences:` hoặc dùng mã đơn vị trong danh mục',
        en: 'declare it under `audiences:` or use a unit id from the registry',
      }),
    );
  };

  const roleNames = Object.keys(roles);
  const checkRoleRef = (ref: string, path: JsonPath): void => {
    if (ref in roles || isRelational(ref) || !registry || registry.units.has(ref)) return;
    const s = suggestion(ref, [...roleNames, ...unitIds]);
    out.push(
      diag(file, at(path), 'unknown-role', { vi: `\`${ref}\` không phải vai trò hay mã đơn vị nào${s.vi}`, en: `\`${ref}\` is neither a role nor a unit id${s.en}` }, {
        vi: `các vai trò đã khai báo: ${roleNames.join(', ') || '(chưa có)'}`,
        en: `declared roles: ${roleNames.join(', ') || '(none)'}`,
      }),
    );
  };

  const d = data.defaults;
  if (d && typeof d === 'object' && !Array.isArray(d) && ctx.clean(['defaults'])) {
    if (d.reviewer !== undefined) checkRoleRef(d.reviewer, ['defaults', 'reviewer']);
    d.escalation?.forEach((s, i) => s.to.forEach((t, j) => checkRoleRef(t, ['defaults', 'escalation', i, 'to', j])));
    out.push(...duplicateNames(ctx, (d.evidence ?? []).map((e) => e.name), ['defaults', 'evidence'], 'name'));
  }

  // Indices must stay those of the file (positions, clean paths): non-objects are skipped, not removed.
  const obligations = Array.isArray(data.obligations) ? data.obligations.map((o) => (isObject(o) ? o : undefined)) : [];
  const ids = obligations.map((o) => o?.id).filter((id): id is string => typeof id === 'string');
  out.push(...duplicateNames(ctx, obligations.map((o) => o?.id), ['obligations'], 'id'));
  obligations.forEach((o, i) => {
    const base: JsonPath = ['obligations', i];
    // Field by field: an unknown property elsewhere in the obligation must not hide a typo here.
    if (!o) return;
    const ok = (field: string): boolean => ctx.clean([...base, field]);
    if (ok('assignees') && Array.isArray(o.assignees)) o.assignees.forEach((r, j) => checkRef(r, [...base, 'assignees', j]));
    if (ok('cooperating')) o.cooperating?.forEach((r, j) => checkRef(r, [...base, 'cooperating', j]));
    if (ok('event') && isObject(o.event)) o.event.raisedBy?.forEach((r, j) => checkRef(r, [...base, 'event', 'raisedBy', j]));
    if (ok('reviewer') && o.reviewer !== undefined) checkRoleRef(o.reviewer, [...base, 'reviewer']);
    if (ok('escalation')) o.escalation?.forEach((s, k) => s.to.forEach((t, j) => checkRoleRef(t, [...base, 'escalation', k, 'to', j])));
    if (ok('evidence')) out.push(...duplicateNames(ctx, (o.evidence ?? []).map((e) => e.name), [...base, 'evidence'], 'name'));
    if (ok('dependsOn') && typeof o.id === 'string') o.dependsOn?.forEach((dep, j) => {
      if (dep === o.id) {
        out.push(diag(file, at([...base, 'dependsOn', j]), 'dependency-cycle', { vi: `\`${o.id}\` phụ thuộc vào chính nó`, en: `\`${o.id}\` depends on itself` }, { vi: 'xóa mục này', en: 'remove this entry' }));
      } else if (!ids.includes(dep)) {
        const s = suggestion(dep, ids);
        out.push(
          diag(file, at([...base, 'dependsOn', j]), 'unknown-obligation', { vi: `không có nhiệm vụ \`${dep}\`${s.vi}`, en: `no obligation with id \`${dep}\`${s.en}` }, {
            vi: '`dependsOn` liệt kê id của các nhiệm vụ trong cùng tệp',
            en: '`dependsOn` lists ids of obligations in the same file',
          }),
        );
      }
    });
  });

  const byId = new Map(obligations.map((o, i) => [o?.id, i] as const).filter(([id]) => typeof id === 'string'));
  const edges = (id: string): string[] => {
    const o = obligations[byId.get(id)!];
    if (!o || !ctx.clean(['obligations', byId.get(id)!, 'dependsOn'])) return [];
    return (o.dependsOn ?? []).filter((dep) => dep !== id && byId.has(dep));
  };
  for (const cycle of findCycles(ids, edges)) {
    const text = cycle.join(' → ');
    const i = byId.get(cycle[0]!)!;
    out.push(
      diag(file, at(['obligations', i, 'dependsOn']), 'dependency-cycle', { vi: `phụ thuộc vòng tròn: ${text}`, en: `dependency cycle: ${text}` }, {
        vi: 'bỏ một mục `dependsOn` để cắt vòng',
        en: 'remove one `dependsOn` entry to break the cycle',
      }),
    );
  }
  return out;
}

function duplicateNames(ctx: DirectiveContext, names: (string | undefined)[], base: JsonPath, field: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const first = new Map<string, number>();
  names.forEach((n, i) => {
    if (typeof n !== 'string') return;
    const f = first.get(n);
    if (f === undefined) {
      first.set(n, i);
      return;
    }
    const firstLine = locate(ctx.parsed, [...base, f, field]).line;
    out.push(
      diag(ctx.parsed.file, locate(ctx.parsed, [...base, i, field]), 'duplicate-id', { vi: `\`${n}\` bị trùng`, en: `duplicate ${field} \`${n}\`` }, {
        vi: `đã dùng ở dòng ${firstLine}; mỗi ${field} phải là duy nhất`,
        en: `already used on line ${firstLine}; each ${field} must be unique`,
      }),
    );
  });
  return out;
}
