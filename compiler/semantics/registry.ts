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
 * Registry-level checks, across every included file: duplicate ids, e-mail addresses, dangling
 * succession and parent links, succession cycles. Each diagnostic names the file the entry is in.
 */
export function checkRegistry(reg: Registry): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = [...reg.units.keys()];
  for (const { unit: u, parsed, index: i } of reg.entries) {
    const file = parsed.file;
    const first = reg.origin.get(u.id)!;
    if (first.parsed !== parsed || first.index !== i) {
      // Trùng trong cùng tệp: "dòng N"; ở tệp khác: "tệp:dòng", để tìm được cả hai chỗ.
      // Within one file, "line N"; in another file, "file:line", so both places can be found.
      const line = locate(first.parsed, ['units', first.index, 'id']).line;
      const where = first.parsed === parsed ? { vi: `dòng ${line}`, en: `on line ${line}` } : { vi: `${first.parsed.file}:${line}`, en: `in ${first.parsed.file}:${line}` };
      out.push(
        diag(file, locate(parsed, ['units', i, 'id']), 'duplicate-id', { vi: `mã đơn vị \`${u.id}\` bị trùng`, en: `duplicate unit id \`${u.id}\`` }, {
          vi: `đã khai báo ở ${where.vi}`,
          en: `first declared ${where.en}`,
        }),
      );
    }
    out.push(...checkDates(parsed, ['units', i], u, ['succeededBy.on', 'dissolved.on']));
    const mailProblem = u.email !== undefined ? emailProblem(u.email) : null;
    if (mailProblem) {
      out.push(
        diag(file, locate(parsed, ['units', i, 'email']), 'invalid-email', { vi: `thư điện tử của \`${u.id}\`: ${mailProblem.vi}`, en: `e-mail of \`${u.id}\`: ${mailProblem.en}` }, EMAIL_HINT),
      );
    }
    if (u.succeededBy && !reg.units.has(u.succeededBy.unit)) {
      const s = suggestion(u.succeededBy.unit, ids);
      out.push(
        diag(
          file,
          locate(parsed, ['units', i, 'succeededBy', 'unit']),
          'succession-unknown',
          { vi: `đơn vị kế thừa \`${u.succeededBy.unit}\` không có trong danh mục${s.vi}`, en: `successor \`${u.succeededBy.unit}\` is not in the registry${s.en}` },
          { vi: 'thêm đơn vị kế thừa vào danh mục', en: 'add the successor unit to the registry' },
        ),
      );
    }
    if (u.succeededBy?.unit === u.id) {
      out.push(
        diag(file, locate(parsed, ['units', i, 'succeededBy', 'unit']), 'succession-cycle', { vi: `\`${u.id}\` kế thừa chính nó`, en: `\`${u.id}\` succeeds itself` }, {
          vi: 'đơn vị kế thừa phải là một đơn vị khác',
          en: 'the successor must be another unit',
        }),
      );
    }
    if (u.parent !== undefined && !reg.units.has(u.parent)) {
      const s = suggestion(u.parent, ids);
      out.push(
        diag(file, locate(parsed, ['units', i, 'parent']), 'unknown-parent', { vi: `đơn vị cấp trên \`${u.parent}\` không có trong danh mục${s.vi}`, en: `parent \`${u.parent}\` is not in the registry${s.en}` }, {
          vi: 'sửa mã hoặc thêm đơn vị đó',
          en: 'fix the id or add that unit',
        }),
      );
    }
    // Thủ trưởng của đơn vị, khi danh mục ghi nó thành một đơn vị riêng (`assignee.head`, ngôn ngữ 1.1).
    // The unit standing for its head, when the registry lists one (`assignee.head`, language 1.1).
    if (u.head !== undefined && (!reg.units.has(u.head) || u.head === u.id)) {
      const s = u.head === u.id ? { vi: '', en: '' } : suggestion(u.head, ids);
      out.push(
        diag(
          file,
          locate(parsed, ['units', i, 'head']),
          'unknown-head',
          u.head === u.id ? { vi: `\`${u.id}\` ghi chính nó là thủ trưởng`, en: `\`${u.id}\` names itself as its head` } : { vi: `thủ trưởng \`${u.head}\` không có trong danh mục${s.vi}`, en: `head \`${u.head}\` is not in the registry${s.en}` },
          { vi: '`head` là một đơn vị khác (vd. chu-tich-ubnd của ubnd-tinh); bỏ nó đi thì thông báo đến chính đơn vị, gửi thủ trưởng', en: '`head` is another unit (e.g. chu-tich-ubnd for ubnd-tinh); without it, notices reach the unit itself, addressed to its head' },
        ),
      );
    }
  }
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
          diag(reg.origin.get(cur)!.parsed.file, locate(reg.origin.get(cur)!.parsed, ['units', reg.origin.get(cur)!.index, 'succeededBy', 'unit']), 'succession-cycle', { vi: `kế thừa vòng tròn: ${text}`, en: `succession cycle: ${text}` }, {
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
