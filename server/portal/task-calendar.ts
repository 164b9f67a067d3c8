/**
 * Lịch tháng của danh sách nhiệm vụ: mỗi nhiệm vụ nằm ở ngày đến hạn, tuần bắt đầu từ thứ Hai như
 * lịch treo tường ở Việt Nam.
 * The task list's month calendar: each task on its due date, weeks from Monday to Sunday as on a
 * Vietnamese wall calendar. Only the layout is computed here; the page (views/tasks.eta) draws it
 * as a table with the days of the week as column headers, so a screen reader announces each
 * day's column and its date.
 */
import { DateTime } from 'luxon';

export interface CalendarDay<T> {
  /** YYYY-MM-DD */
  date: string;
  day: number;
  /** In the month shown (the first and last weeks hold days of the months around it). */
  inMonth: boolean;
  today: boolean;
  tasks: T[];
}

export interface MonthCalendar<T> {
  /** YYYY-MM */
  month: string;
  prev: string;
  next: string;
  weeks: CalendarDay<T>[][];
  /** Tasks due outside the month, or with no due date: the page says how many. */
  elsewhere: number;
}

/** `2026-11` if it is a month, else undefined. */
export function parseMonth(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : undefined;
}

export function monthCalendar<T extends { due?: string }>(month: string, today: string, tasks: T[]): MonthCalendar<T> {
  const first = DateTime.fromISO(`${month}-01`, { zone: 'utc' });
  const start = first.minus({ days: first.weekday - 1 }); // Monday on or before the 1st
  const last = first.endOf('month').startOf('day');
  const end = last.plus({ days: 7 - last.weekday }); // Sunday on or after the last day
  const byDate = new Map<string, T[]>();
  for (const t of tasks) if (t.due) byDate.set(t.due, [...(byDate.get(t.due) ?? []), t]);
  const weeks: CalendarDay<T>[][] = [];
  let shown = 0;
  for (let d = start; d <= end; d = d.plus({ days: 1 })) {
    if (d.weekday === 1) weeks.push([]);
    const date = d.toISODate()!;
    const here = byDate.get(date) ?? [];
    if (d.month === first.month) shown += here.length;
    weeks[weeks.length - 1]!.push({ date, day: d.day, inMonth: d.month === first.month, today: date === today, tasks: d.month === first.month ? here : [] });
  }
  return { month, prev: first.minus({ months: 1 }).toFormat('yyyy-MM'), next: first.plus({ months: 1 }).toFormat('yyyy-MM'), weeks, elsewhere: tasks.length - shown };
}
