/**
 * Các cấu trúc thời hạn của ngôn ngữ 1.1: ngày làm việc (`P5WD`), `dueOnDayOff` riêng của nhiệm
 * vụ, nhắc việc dời về ngày làm việc trước, thời hạn do cơ quan soạn xác định (`interpreted`), hạn
 * tính từ lúc nhận văn bản hoặc từ lúc hoàn thành nhiệm vụ khác. Mỗi cấu trúc gọi requireV11 ở chỗ
 * nó bắt đầu.
 * Language 1.1 timing constructs: working days (`P5WD`), an obligation's own `dueOnDayOff`,
 * reminders moved off days off, timing the encoder chose (`interpreted`), due dates counted from
 * the unit's receipt or from another obligation's completion. Each calls requireV11 where it
 * starts; the shapes JSON Schema cannot say (one form of `due` at a time) are checked here.
 */
import type { Bilingual } from '../../common/cli-spec.js';
import type { Obligation } from '../schema/directive.generated.js';
import { isWorkingDays } from '../calendar/index.js';
import { diag } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { suggestion } from '../did-you-mean.js';
import { datePrecisely, IMPOSSIBLE_DATE_HINT } from '../messages.js';
import { locate } from '../positions.js';
import type { JsonPath } from '../positions.js';
import { isDateText } from '../timing.js';
import { findCycles } from './cycles.js';
import type { DirectiveContext } from './context.js';
import { isObject } from './context.js';
import { durationSign } from './timing.js';
import { requireV11 } from './version.js';

const WORKING_DAYS: Bilingual = { vi: 'Khoảng thời gian tính bằng ngày làm việc (`P…WD`)', en: 'A duration in working days (`P…WD`)' };

export function checkTimingV11(ctx: DirectiveContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { data, parsed } = ctx;
  const at = (p: JsonPath) => locate(parsed, p);
  const err = (path: JsonPath, code: Parameters<typeof diag>[2], message: Bilingual, hint: Bilingual) => out.push(diag(parsed.file, at(path), code, message, hint));
  const gate = (path: JsonPath, what: Bilingual) => out.push(...requireV11(ctx, path, what));
  const workingDays = (v: unknown, path: JsonPath) => {
    if (typeof v === 'string' && isWorkingDays(v)) gate(path, WORKING_DAYS);
  };
  const positive = (v: string, path: JsonPath) => {
    const sign = durationSign(v);
    if (sign > 0) return;
    err(path, 'non-positive-duration', sign === 0 ? { vi: `\`${String(path[path.length - 1])}\` bằng 0 (${v})`, en: `\`${String(path[path.length - 1])}\` is zero (${v})` } : { vi: `\`${String(path[path.length - 1])}\` là số âm (${v})`, en: `\`${String(path[path.length - 1])}\` is negative (${v})` }, {
      vi: 'khoảng thời gian phải lớn hơn 0',
      en: 'a period or duration must be greater than zero',
    });
  };

  const md = isObject(data.metadata) ? data.metadata : undefined;
  const cal = md && ctx.clean(['metadata', 'calendar']) && isObject(md.calendar) ? md.calendar : undefined;
  if (cal?.dueOnDayOff === 'previous-working-day') gate(['metadata', 'calendar', 'dueOnDayOff'], { vi: '`dueOnDayOff: previous-working-day`', en: '`dueOnDayOff: previous-working-day`' });
  if (cal?.remindersOnDayOff !== undefined) gate(['metadata', 'calendar', 'remindersOnDayOff'], { vi: '`remindersOnDayOff`', en: '`remindersOnDayOff`' });
  const issued = md && typeof md.issued === 'string' && ctx.clean(['metadata', 'issued']) && !datePrecisely(md.issued) ? md.issued : undefined;

  const defaults = ctx.clean(['defaults']) && data.defaults && typeof data.defaults === 'object' && !Array.isArray(data.defaults) ? data.defaults : undefined;
  defaults?.reminders?.forEach((r, j) => workingDays(r, ['defaults', 'reminders', j]));
  defaults?.escalation?.forEach((s, k) => workingDays(s.after, ['defaults', 'escalation', k, 'after']));

  const obligations = Array.isArray(data.obligations) ? data.obligations : [];
  const ids = new Map<string, number>();
  obligations.forEach((o, i) => {
    if (isObject(o) && typeof o.id === 'string' && !ids.has(o.id)) ids.set(o.id, i);
  });

  obligations.forEach((o, i) => {
    const base: JsonPath = ['obligations', i];
    if (!ctx.clean(base) || !isObject(o)) return;
    o.reminders?.forEach((r, j) => workingDays(r, [...base, 'reminders', j]));
    o.escalation?.forEach((s, k) => workingDays(s.after, [...base, 'escalation', k, 'after']));

    if (o.dueOnDayOff !== undefined) {
      gate([...base, 'dueOnDayOff'], { vi: '`dueOnDayOff` của riêng nhiệm vụ', en: "An obligation's own `dueOnDayOff`" });
      if (o.kind === 'event') {
        err([...base, 'dueOnDayOff'], 'property-not-allowed', { vi: '`dueOnDayOff` không áp dụng cho nhiệm vụ loại event', en: '`dueOnDayOff` does not apply to an event obligation' }, {
          vi: 'hạn của nhiệm vụ sự kiện là một thời điểm tính từ lúc báo cáo sự kiện; dùng `within` tính bằng ngày làm việc (P5WD) để hạn rơi vào ngày làm việc',
          en: "an event obligation's due is an instant counted from the report; count `within` in working days (P5WD) to land on a working day",
        });
      }
    }

    if (typeof o.within === 'string') workingDays(o.within, [...base, 'within']);
    else if (isObject(o.within)) {
      gate([...base, 'within'], { vi: 'Thời hạn do cơ quan soạn xác định (`interpreted`)', en: 'Timing chosen by the encoder (`interpreted`)' });
      positive(o.within.interpreted, [...base, 'within', 'interpreted']);
    }
    if (isObject(o.every)) {
      gate([...base, 'every'], { vi: 'Chu kỳ do cơ quan soạn xác định (`interpreted`)', en: 'A period chosen by the encoder (`interpreted`)' });
      positive(o.every.interpreted, [...base, 'every', 'interpreted']);
    }
    if (isObject(o.due)) checkDueObject(o, i);
  });

  /** One form of `due` at a time; each form's own rules. */
  function checkDueObject(o: Obligation, i: number): void {
    const base: JsonPath = ['obligations', i, 'due'];
    const due = o.due as Exclude<Obligation['due'], string | undefined>;
    const forms = (['after', 'afterReceipt', 'interpreted'] as const).filter((k) => due[k] !== undefined);
    if (forms.length === 0) {
      err(base, 'timing-shape', { vi: '`due` cần một trong: after, afterReceipt, interpreted', en: '`due` needs one of after, afterReceipt, interpreted' }, {
        vi: 'ví dụ: due: { after: P30D } (tính từ ngày ban hành)',
        en: 'for example: due: { after: P30D } (counted from the issue date)',
      });
      return;
    }
    if (forms.length > 1) {
      err([...base, forms[1]!], 'timing-shape', { vi: `\`due\` có cả \`${forms[0]}\` và \`${forms[1]}\``, en: `\`due\` has both \`${forms[0]}\` and \`${forms[1]}\`` }, {
        vi: 'một hạn chỉ tính theo một cách: giữ một trong hai',
        en: 'a due date is counted one way: keep one of them',
      });
      return;
    }
    const form = forms[0]!;
    if (due.text !== undefined && form !== 'interpreted') {
      err([...base, 'text'], 'timing-shape', { vi: '`text` chỉ đi cùng `interpreted`', en: '`text` goes only with `interpreted`' }, {
        vi: 'khi văn bản không nêu hạn: due: { interpreted: P15D, text: "khẩn trương" }; ghi chú khác để vào `note`',
        en: 'where the text sets no date: due: { interpreted: P15D, text: "khẩn trương" }; other remarks go in `note`',
      });
    }
    if (o.kind === 'recurring' && !(form === 'after' && isObject(due.after))) {
      err([...base, form], 'timing-shape', { vi: 'kỳ của nhiệm vụ định kỳ chỉ có thể tính từ lúc hoàn thành nhiệm vụ khác: `due: { after: { obligation, plus } }`', en: "a recurring obligation's cycles can only count from another obligation's completion: `due: { after: { obligation, plus } }`" }, {
        vi: 'hạn của từng kỳ theo `every`; bỏ `due`, hoặc dùng kind: deadline',
        en: 'the cycles follow `every`; remove `due`, or use kind: deadline',
      });
      return;
    }
    switch (form) {
      case 'after':
        if (typeof due.after === 'string') {
          workingDays(due.after, [...base, 'after']);
          return;
        }
        gate([...base, 'after'], { vi: 'Hạn tính từ lúc hoàn thành nhiệm vụ khác (`after: { obligation, plus }`)', en: "A due date counted from another obligation's completion (`after: { obligation, plus }`)" });
        positive(due.after!.plus, [...base, 'after', 'plus']);
        checkPrerequisite(o, i, due.after!.obligation);
        return;
      case 'afterReceipt':
        gate([...base, 'afterReceipt'], { vi: 'Hạn tính từ lúc đơn vị nhận văn bản (`afterReceipt`)', en: "A due date counted from the unit's receipt (`afterReceipt`)" });
        positive(due.afterReceipt!, [...base, 'afterReceipt']);
        return;
      case 'interpreted': {
        gate([...base, 'interpreted'], { vi: 'Thời hạn do cơ quan soạn xác định (`interpreted`)', en: 'Timing chosen by the encoder (`interpreted`)' });
        if (due.text === undefined) {
          err([...base, 'interpreted'], 'timing-shape', { vi: '`interpreted` cần `text`: lời của văn bản ở chỗ không nêu hạn', en: "`interpreted` needs `text`: the text's own words where it sets no date" }, {
            vi: 'ví dụ: due: { interpreted: P15D, text: "khẩn trương" }',
            en: 'for example: due: { interpreted: P15D, text: "khẩn trương" }',
          });
        }
        const v = due.interpreted!;
        if (isDateText(v)) {
          const problem = datePrecisely(v);
          if (problem) err([...base, 'interpreted'], 'impossible-date', problem, IMPOSSIBLE_DATE_HINT);
          else if (issued && v < issued) {
            err([...base, 'interpreted'], 'due-before-issued', { vi: `hạn ${v} trước ngày ban hành ${issued}`, en: `due date ${v} is before the issue date ${issued}` }, {
              vi: 'kiểm tra lại năm/tháng của hạn',
              en: 'check the year and month of the due date',
            });
          }
        } else positive(v, [...base, 'interpreted']);
        return;
      }
    }
  }

  /** The obligation a due date counts from: in the file, not itself, not an event, recurring for a recurring dependent. */
  function checkPrerequisite(o: Obligation, i: number, id: string): void {
    const path: JsonPath = ['obligations', i, 'due', 'after', 'obligation'];
    if (id === o.id) {
      err(path, 'dependency-cycle', { vi: `hạn của \`${o.id}\` tính từ lúc hoàn thành chính nó`, en: `\`${o.id}\`'s due date counts from its own completion` }, { vi: 'nêu nhiệm vụ khác', en: 'name another obligation' });
      return;
    }
    const j = ids.get(id);
    if (j === undefined) {
      const s = suggestion(id, ids.keys());
      err(path, 'unknown-obligation', { vi: `không có nhiệm vụ \`${id}\`${s.vi}`, en: `no obligation with id \`${id}\`${s.en}` }, {
        vi: '`obligation` là id của một nhiệm vụ trong cùng tệp',
        en: '`obligation` is the id of an obligation in the same file',
      });
      return;
    }
    const p = obligations[j]!;
    if (!isObject(p)) return;
    if (p.kind === 'event') {
      err(path, 'relative-due-prerequisite', { vi: `\`${id}\` là nhiệm vụ sự kiện: mỗi sự kiện là một lần thực hiện riêng, không có một lần hoàn thành để tính hạn`, en: `\`${id}\` is an event obligation: each event is its own instance, with no one completion to count from` }, {
        vi: 'tính hạn từ một nhiệm vụ deadline, recurring hoặc ongoing',
        en: 'count from a deadline, recurring or ongoing obligation',
      });
    } else if (o.kind === 'recurring' && p.kind === 'deadline') {
      err(path, 'relative-due-prerequisite', { vi: `\`${id}\` chỉ hoàn thành một lần: các kỳ sau của \`${o.id}\` sẽ không bao giờ bắt đầu`, en: `\`${id}\` is completed once: the later cycles of \`${o.id}\` would never start` }, {
        vi: 'mỗi kỳ tính từ một lần hoàn thành: nhiệm vụ được nêu phải là recurring hoặc ongoing; hoặc dùng kind: deadline cho nhiệm vụ này',
        en: 'each cycle counts from one completion: the obligation named must be recurring or ongoing; or make this one kind: deadline',
      });
    }
    if (o.kind === 'recurring') {
      if (o.periodFrom === 'window') {
        err(['obligations', i, 'periodFrom'], 'timing-shape', { vi: 'các kỳ tính từ lúc hoàn thành nhiệm vụ khác không theo cửa sổ cố định', en: "cycles counted from another obligation's completions are not fixed windows" }, {
          vi: 'bỏ `periodFrom`',
          en: 'remove `periodFrom`',
        });
      }
      if (o.anchor !== undefined) {
        err(['obligations', i, 'anchor'], 'timing-shape', { vi: 'các kỳ tính từ lúc hoàn thành nhiệm vụ khác không có mốc `anchor`', en: "cycles counted from another obligation's completions have no `anchor`" }, {
          vi: 'bỏ `anchor`',
          en: 'remove `anchor`',
        });
      }
    }
  }

  // A due date counting from an obligation that (through dependsOn or other due dates) waits for
  // this one would never start. Cycles of dependsOn alone are references.ts's to report.
  const dueEdge = (o: Obligation): string | undefined => {
    const due = o.due;
    return isObject(due) && isObject(due.after) && typeof due.after.obligation === 'string' ? due.after.obligation : undefined;
  };
  const edges = (id: string): string[] => {
    const i = ids.get(id);
    const o = i === undefined ? undefined : obligations[i];
    if (!isObject(o) || !ctx.clean(['obligations', i!])) return [];
    const e = dueEdge(o);
    return [...new Set([...(Array.isArray(o.dependsOn) ? o.dependsOn : []), ...(e !== undefined ? [e] : [])])].filter((d) => d !== id && ids.has(d));
  };
  for (const cycle of findCycles(ids.keys(), edges)) {
    const from = cycle.findIndex((id, k) => k < cycle.length - 1 && dueEdge(obligations[ids.get(id)!]!) === cycle[k + 1] && !(obligations[ids.get(id)!]!.dependsOn ?? []).includes(cycle[k + 1]!));
    if (from < 0) continue;
    const i = ids.get(cycle[from]!)!;
    const text = cycle.map((c) => `\`${c}\``).join(' → ');
    err(['obligations', i, 'due', 'after', 'obligation'], 'dependency-cycle', { vi: `phụ thuộc vòng tròn qua hạn tính từ lúc hoàn thành: ${text}`, en: `dependency cycle through a due date counted from a completion: ${text}` }, {
      vi: 'một nhiệm vụ trong vòng phải có hạn không phụ thuộc nhiệm vụ khác',
      en: 'one obligation of the cycle needs a due date that waits for no other',
    });
  }
  return out;
}
