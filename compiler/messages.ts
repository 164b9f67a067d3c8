import type { Bilingual } from '../common/cli-spec.js';

/** What each shared schema definition expects, in words, for pattern and format errors. */
export const FORMAT_TEXT: Record<string, { what: Bilingual; example: string }> = {
  id: { what: { vi: 'mã định danh (chữ thường không dấu, số, dấu gạch ngang)', en: 'an id (lower-case letters, digits, dashes)' }, example: 'so-tttt' },
  name: { what: { vi: 'tên (chữ thường không dấu, số, dấu gạch ngang)', en: 'a name (lower-case letters, digits, dashes)' }, example: 'departments' },
  // A reviewer, an escalation step's `to`, a `reportTo` entry (ajv names the inlined roleRef, not recipient).
  roleRef: { what: { vi: 'tên vai trò, nhóm hoặc mã đơn vị (chữ thường không dấu, số, dấu gạch ngang), hoặc assignee.head / assignee.parent', en: 'a role, audience or unit name (lower-case letters, digits, dashes), or assignee.head / assignee.parent' }, example: 'coordinator, so-tttt, assignee.parent' },
  date: { what: { vi: 'ngày dạng YYYY-MM-DD', en: 'a date YYYY-MM-DD' }, example: '2022-11-30' },
  duration: { what: { vi: 'khoảng thời gian ISO-8601', en: 'an ISO-8601 duration' }, example: 'P7D, P6M, P1Y, PT4H' },
  timingDuration: { what: { vi: 'khoảng thời gian ISO-8601 hoặc số ngày làm việc', en: 'an ISO-8601 duration or a number of working days' }, example: 'P7D, P6M, PT4H, P5WD' },
  interpretedTiming: { what: { vi: 'ngày YYYY-MM-DD hoặc khoảng thời gian', en: 'a date YYYY-MM-DD or a duration' }, example: '2022-12-31, P15D, P5WD' },
  time: { what: { vi: 'giờ dạng HH:mm, từ 00:00 đến 23:59', en: 'a time HH:mm, 00:00 to 23:59' }, example: '"08:00", "16:30"' },
  clause: { what: { vi: 'số điều khoản như trong văn bản', en: 'a clause number as the text prints it' }, example: '1.b, 1.4, 2.b.1, 3.đ' },
};

const TYPE_TEXT: Record<string, Bilingual> = {
  string: { vi: 'một chuỗi', en: 'a string' },
  object: { vi: 'một bảng khóa–giá trị', en: 'a mapping' },
  array: { vi: 'một danh sách', en: 'a list' },
  integer: { vi: 'một số nguyên', en: 'an integer' },
  number: { vi: 'một số', en: 'a number' },
  boolean: { vi: 'true hoặc false', en: 'true or false' },
};

export function typeText(types: string | string[]): Bilingual {
  const list = (Array.isArray(types) ? types : [types]).map((t) => TYPE_TEXT[t] ?? { vi: t, en: t });
  return { vi: list.map((t) => t.vi).join(' hoặc '), en: list.map((t) => t.en).join(' or ') };
}

export function jsonTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Why a `YYYY-MM-DD` string is not a real date, or null when it is one. Done by hand rather than
 * left to a schema `format`, so the message can say which month is too short.
 */
export function datePrecisely(s: string): Bilingual | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return { vi: `\`${s}\` không phải ngày dạng YYYY-MM-DD`, en: `\`${s}\` is not a date YYYY-MM-DD` };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return { vi: `ngày \`${s}\` không tồn tại: không có tháng ${month}`, en: `date \`${s}\` does not exist: there is no month ${month}` };
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) {
    return {
      vi: `ngày \`${s}\` không tồn tại: tháng ${month}/${year} có ${days} ngày`,
      en: `date \`${s}\` does not exist: ${MONTHS_EN[month - 1]} ${year} has ${days} days`,
    };
  }
  return null;
}

/** Source texts do print impossible dates (Hanoi 3968's 31/11/2022): the fix is a decision, recorded. */
export const IMPOSSIBLE_DATE_HINT = {
  vi: 'nếu văn bản gốc ghi ngày không có thật, hãy ghi ngày sẽ áp dụng (vd. ngày cuối tháng) và nêu lý do trong `note`',
  en: 'if the source text prints an impossible date, write the date you will enforce (e.g. the last day of the month) and explain it in a `note`',
};
