/**
 * Hạn được đặt thế nào, bằng lời, khi văn bản không in ngày đó: hạn tính từ ngày ban hành, từ ngày
 * đơn vị nhận văn bản, từ lúc hoàn thành nhiệm vụ khác, hoặc do cơ quan soạn xác định khi văn bản chỉ
 * nói "khẩn trương". Một bộ định dạng cho CLI, thông báo và cổng thông tin (ngôn ngữ 1.1).
 * How a due date is set, in words, where the text did not print that date: counted from the issue
 * date, from the unit's receipt, from another duty's completion, or chosen by the drafting office
 * where the text only says "khẩn trương". One formatter for the CLI, the notices and the portal
 * (language 1.1), so that none of them shows a date the encoder chose as if the text had said it.
 */
import type { Bilingual } from './cli-spec.js';
import { durationWords, everyWords } from './durations.js';

/** What the formatter reads of a plan obligation (compiler/plan.ts), structurally: common/ imports no compiler code. */
export interface TimingFacts {
  kind: 'deadline' | 'recurring' | 'event' | 'ongoing';
  dueAfter?: string;
  within?: string;
  every?: string;
  interpreted?: { text: string };
  relativeDue?: { from: 'receipt'; plus: string } | { from: 'completion'; obligation: string; clause?: string; plus: string };
}

/** "Điều 1.4" / "clause 1.4" where the clause is known, else the obligation's id. */
function taskOf(id: string, known: string | undefined, clauseOf?: (id: string) => string | undefined): Bilingual {
  const clause = known || clauseOf?.(id);
  return clause !== undefined ? { vi: `nhiệm vụ tại Điều ${clause}`, en: `the task of clause ${clause}` } : { vi: `nhiệm vụ \`${id}\``, en: `task \`${id}\`` };
}

const quoted = (text: string): Bilingual => ({ vi: `văn bản: “${text}”`, en: `the text says “${text}”` });

/**
 * How the timing is set, for a label "Căn cứ hạn" / "How the due date is set"; undefined when the
 * text itself printed the date (nothing to explain). E.g. "do cơ quan soạn xác định, 15 ngày kể từ
 * ngày ban hành; văn bản: “khẩn trương”" / "set by the drafting office, 15 days from the issue
 * date; the text says “khẩn trương”".
 */
export function timingBasis(o: TimingFacts, clauseOf?: (id: string) => string | undefined): Bilingual | undefined {
  const r = o.relativeDue;
  if (r?.from === 'receipt') {
    const w = durationWords(r.plus);
    return { vi: `${w.vi} kể từ ngày đơn vị nhận văn bản`, en: `${w.en} from the unit's receipt of the document` };
  }
  if (r?.from === 'completion') {
    const w = durationWords(r.plus);
    const t = taskOf(r.obligation, r.clause, clauseOf);
    return o.kind === 'recurring'
      ? { vi: `mỗi kỳ ${w.vi} sau mỗi lần hoàn thành ${t.vi}`, en: `each period, ${w.en} after each completion of ${t.en}` }
      : { vi: `${w.vi} sau khi hoàn thành ${t.vi}`, en: `${w.en} after ${t.en} is completed` };
  }
  const counted = o.kind === 'deadline' && o.dueAfter !== undefined ? durationWords(o.dueAfter) : undefined;
  if (o.interpreted) {
    const q = quoted(o.interpreted.text);
    const what: Bilingual | undefined =
      o.kind === 'deadline'
        ? counted && { vi: `${counted.vi} kể từ ngày ban hành`, en: `${counted.en} from the issue date` }
        : o.kind === 'event' && o.within !== undefined
          ? { vi: `trong ${durationWords(o.within).vi} sau khi xảy ra`, en: `within ${durationWords(o.within).en} of the event` }
          : o.kind === 'recurring' && o.every !== undefined
            ? everyWords(o.every)
            : undefined;
    return what
      ? { vi: `do cơ quan soạn xác định, ${what.vi}; ${q.vi}`, en: `set by the drafting office, ${what.en}; ${q.en}` }
      : { vi: `do cơ quan soạn xác định; ${q.vi}`, en: `set by the drafting office; ${q.en}` };
  }
  if (counted) return { vi: `${counted.vi} kể từ ngày ban hành`, en: `${counted.en} from the issue date` };
  return undefined;
}

/** "do cơ quan soạn xác định; văn bản: “…”" / "set by the drafting office; the text says “…”", after a timing already shown. */
export function chosenWords(text: string): Bilingual {
  const q = quoted(text);
  return { vi: `do cơ quan soạn xác định; ${q.vi}`, en: `set by the drafting office; ${q.en}` };
}

/** The label the basis goes under, in a letter or on a page. */
export const TIMING_BASIS_LABEL: Bilingual = { vi: 'Căn cứ hạn', en: 'How the due date is set' };
