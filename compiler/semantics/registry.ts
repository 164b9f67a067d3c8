import type { Registry } from '../registry.js';
import { diag } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { suggestion } from '../did-you-mean.js';
import { emailProblem } from '../email.js';
import { locate } from '../positions.js';
import { checkDates } from './dates.js';

/** Shown with every bad address: the fix for "several people need it" is a list, not a second address. */
const EMAIL_HINT = {
  vi: 'mỗi đơn vị một địa chỉ; nếu nhiều người cần nhận, hãy ghi địa chỉ của một nhóm thư (danh sách phân phối)',
  en: 'one address per unit; put a distribution list address if several people must receive it',
};

/**
 * Registry-level checks: duplicate ids, e-mail addresses, dangling succession and parent links,
 * succession cycles.
 */
export function checkRegistry(reg: Registry): Diagnostic[] {
  const out: Diagnostic[] = [];
  const file = reg.file;
  const ids = [...reg.units.keys()];
  const firstAt = new Map<string, number>();
  reg.data.units.forEach((u, i) => {
    const first = firstAt.get(u.id);
    if (first !== undefined) {
      out.push(
        diag(file, locate(reg.parsed, ['units', i, 'id']), 'duplicate-id', { vi: `mã đơn vị \`${u.id}\` bị trùng`, en: `duplicate unit id \`${u.id}\`` }, {
          vi: `đã khai báo ở dòng ${locate(reg.parsed, ['units', first, 'id']).line}`,
          en: `first declared on line ${locate(reg.parsed, ['units', first, 'id']).line}`,
        }),
      );
    } else firstAt.set(u.id, i);
    out.push(...checkDates(reg.parsed, ['units', i], u, ['succeededBy.on', 'dissolved.on']));
    const mailProblem = u.email !== undefined ? emailProblem(u.email) : null;
    if (mailProblem) {
      out.push(
        diag(file, locate(reg.parsed, ['units', i, 'email']), 'invalid-email', { vi: `thư điện tử của \`${u.id}\`: ${mailProblem.vi}`, en: `e-mail of \`${u.id}\`: ${mailProblem.en}` }, EMAIL_HINT),
      );
    }
    if (u.succeededBy && !reg.units.has(u.succeededBy.unit)) {
      const s = suggestion(u.succeededBy.unit, ids);
      out.push(
        diag(
          file,
          locate(reg.parsed, ['units', i, 'succeededBy', 'unit']),
          'succession-unknown',
          { vi: `đơn vị kế thừa \`${u.succeededBy.unit}\` không có trong danh mục${s.vi}`, en: `successor \`${u.succeededBy.unit}\` is not in the registry${s.en}` },
          { vi: 'thêm đơn vị kế thừa vào danh mục', en: 'add the successor unit to the registry' },
        ),
      );
    }
    if (u.succeededBy?.unit === u.id) {
      out.push(
        diag(file, locate(reg.parsed, ['units', i, 'succeededBy', 'unit']), 'succession-cycle', { vi: `\`${u.id}\` kế thừa chính nó`, en: `\`${u.id}\` succeeds itself` }, {
          vi: 'đơn vị kế thừa phải là một đơn vị khác',
          en: 'the successor must be another unit',
        }),
      );
    }
    if (u.parent !== undefined && !reg.units.has(u.parent)) {
      const s = suggestion(u.parent, ids);
      out.push(
        diag(file, locate(reg.parsed, ['units', i, 'parent']), 'unknown-parent', { vi: `đơn vị cấp trên \`${u.parent}\` không có trong danh mục${s.vi}`, en: `parent \`${u.parent}\` is not in the registry${s.en}` }, {
          vi: 'sửa mã hoặc thêm đơn vị đó',
          en: 'fix the id or add that unit',
        }),
      );
    }
  });
  out.push(...successionCycles(reg));
  return out;
}

function successionCycles(reg: Registry): Diagnostic[] {
  const out: Diagnostic[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of reg.units.keys()) {
    if (state.has(start)) continue;
    const chain: string[] = [];
    let cur: string | undefined = start;
    // Each unit has at most one successor, so the graph is a set of chains: walk, don't recurse.
    while (cur !== undefined && reg.units.has(cur) && !state.has(cur)) {
      state.set(cur, 'visiting');
      chain.push(cur);
      cur = reg.units.get(cur)!.succeededBy?.unit;
    }
    if (cur !== undefined && state.get(cur) === 'visiting') {
      const cycle = chain.slice(chain.indexOf(cur));
      if (cycle.length > 1) {
        const text = [...cycle, cur].join(' → ');
        out.push(
          diag(reg.file, locate(reg.parsed, ['units', reg.indexOf.get(cur)!, 'succeededBy', 'unit']), 'succession-cycle', { vi: `kế thừa vòng tròn: ${text}`, en: `succession cycle: ${text}` }, {
            vi: 'một đơn vị không thể (gián tiếp) kế thừa chính nó',
            en: 'a unit cannot (indirectly) succeed itself',
          }),
        );
      }
    }
    for (const id of chain) state.set(id, 'done');
  }
  return out;
}
