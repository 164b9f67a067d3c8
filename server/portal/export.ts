/**
 * Xuất danh sách ra Excel (exceljs): mỗi danh sách của cổng một bảng tính, cùng một cách trình bày:
 * hàng tiêu đề in đậm và cố định, có bộ lọc, ngày là ngày thật của Excel (dd/mm/yyyy).
 * Lists exported to Excel (exceljs), every list of the portal the same way: a bold, frozen header
 * row with filters, dates as real Excel dates shown dd/mm/yyyy (so a clerk can sort and filter by
 * them), statuses in words.
 */
import ExcelJS from 'exceljs';
import type { Lang } from '../../common/cli-spec.js';
import type { InstanceRow } from '../../activities/store/instances.js';
import type { DirectiveView } from './dashboard.js';
import type { UnitTask } from './index.js';
import { STATUS_LABEL, STATUS_ORDER } from './present.js';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A date as a real Excel date (midnight UTC: exceljs writes the serial number from UTC). */
export function excelDate(iso: string | undefined): Date | null {
  return iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? new Date(`${iso.slice(0, 10)}T00:00:00Z`) : null;
}

export function newWorkbook(title: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'chithi';
  wb.title = title;
  return wb;
}

/** A sheet with its columns; dates formatted dd/mm/yyyy. */
export function addSheet(wb: ExcelJS.Workbook, name: string, columns: { header: string; key: string; width: number; date?: boolean }[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name);
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.date && { style: { numFmt: 'dd/mm/yyyy' } }) }));
  return ws;
}

/** Bold, frozen header row with filters: called once the rows are in. */
export function finishSheet(ws: ExcelJS.Worksheet): void {
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: ws.columnCount } };
}

export async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const t = (lang: Lang, vi: string, en: string) => (lang === 'en' ? en : vi);

/** The officer's task list ("Nhiệm vụ của tôi") with the filters it was shown with. */
export async function tasksWorkbook(tasks: UnitTask[], lang: Lang): Promise<Buffer> {
  const wb = newWorkbook(t(lang, 'Nhiệm vụ của đơn vị', "The unit's tasks"));
  const ws = addSheet(wb, t(lang, 'Nhiệm vụ', 'Tasks'), [
    { header: t(lang, 'Chỉ thị', 'Directive'), key: 'number', width: 18 },
    { header: t(lang, 'Điểm', 'Clause'), key: 'clause', width: 8 },
    { header: t(lang, 'Nhiệm vụ', 'Task'), key: 'title', width: 50 },
    { header: t(lang, 'Sự kiện', 'Event'), key: 'event', width: 14 },
    { header: t(lang, 'Trạng thái', 'Status'), key: 'status', width: 22 },
    { header: t(lang, 'Hạn', 'Due'), key: 'due', width: 12, date: true },
    { header: t(lang, 'Hạn gốc', 'Original due'), key: 'originalDue', width: 12, date: true },
  ]);
  for (const x of tasks) {
    ws.addRow({ number: x.number, clause: x.clause, title: x.title, event: x.eventId ?? '', status: STATUS_LABEL[x.status][lang], due: excelDate(x.due), originalDue: excelDate(x.originalDue) });
  }
  finishSheet(ws);
  return toBuffer(wb);
}

/** One unit's instances under a directive, as the dashboard's unit page lists them. */
export async function unitWorkbook(
  title: string,
  items: { r: InstanceRow; clause: string; title: string; days: number; late: boolean }[],
  lang: Lang,
  timeZone: string,
): Promise<Buffer> {
  // The day of completion on the directive's clock, as the page shows it (not UTC's day).
  const day = (instant: string | undefined) => (instant ? new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(instant)) : undefined);
  const wb = newWorkbook(title);
  const ws = addSheet(wb, t(lang, 'Nhiệm vụ', 'Tasks'), [
    { header: t(lang, 'Điểm', 'Clause'), key: 'clause', width: 8 },
    { header: t(lang, 'Nhiệm vụ', 'Task'), key: 'title', width: 50 },
    { header: t(lang, 'Sự kiện', 'Event'), key: 'event', width: 14 },
    { header: t(lang, 'Kỳ', 'Cycle'), key: 'cycle', width: 6 },
    { header: t(lang, 'Trạng thái', 'Status'), key: 'status', width: 22 },
    { header: t(lang, 'Hạn', 'Due'), key: 'due', width: 12, date: true },
    { header: t(lang, 'Hạn gốc', 'Original due'), key: 'originalDue', width: 12, date: true },
    { header: t(lang, 'Hoàn thành', 'Completed'), key: 'completed', width: 12, date: true },
    { header: t(lang, 'Số ngày quá hạn', 'Days overdue'), key: 'days', width: 10 },
  ]);
  for (const i of items) {
    ws.addRow({
      clause: i.clause,
      title: i.title,
      event: i.r.eventId ?? '',
      cycle: i.r.cycle,
      status: STATUS_LABEL[i.r.status][lang],
      due: excelDate(i.r.due),
      originalDue: excelDate(i.r.originalDue),
      completed: excelDate(day(i.r.completedAt)),
      days: i.late ? i.days : null,
    });
  }
  finishSheet(ws);
  return toBuffer(wb);
}

function capitalise(s: string): string {
  return s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);
}

/** The workbook of a directive's dashboard: units × status counts, and every overdue instance. */
export async function dashboardWorkbook(view: DirectiveView): Promise<Buffer> {
  const d = view.plan.directive;
  const wb = newWorkbook(`${d.number} — ${d.title.vi}`);
  const units = addSheet(wb, 'Đơn vị', [
    { header: 'Mã đơn vị', key: 'id', width: 16 },
    { header: 'Đơn vị', key: 'name', width: 40 },
    ...STATUS_ORDER.map((s) => ({ header: capitalise(STATUS_LABEL[s].vi), key: s, width: 14 })),
    { header: 'Tổng số', key: 'total', width: 10 },
    { header: 'Số ngày quá hạn (cộng dồn)', key: 'days', width: 16 },
  ]);
  for (const u of view.units) units.addRow({ id: u.unitId, name: u.name, ...u.counts, total: u.total, days: u.daysOverdue });
  finishSheet(units);

  const late = addSheet(wb, 'Quá hạn', [
    { header: 'Điểm', key: 'clause', width: 8 },
    { header: 'Nhiệm vụ', key: 'title', width: 40 },
    { header: 'Mã đơn vị', key: 'unitId', width: 16 },
    { header: 'Đơn vị', key: 'unit', width: 36 },
    { header: 'Sự kiện', key: 'event', width: 14 },
    { header: 'Kỳ', key: 'cycle', width: 6 },
    { header: 'Trạng thái', key: 'status', width: 24 },
    { header: 'Hạn', key: 'due', width: 12, date: true },
    { header: 'Hạn gốc', key: 'originalDue', width: 12, date: true },
    { header: 'Số ngày quá hạn', key: 'days', width: 10 },
  ]);
  for (const l of view.overdue) {
    late.addRow({
      clause: l.clause,
      title: l.title,
      unitId: l.row.unitId,
      unit: l.unitName,
      event: l.row.eventId ?? '',
      cycle: l.row.cycle,
      status: STATUS_LABEL[l.row.status].vi,
      due: excelDate(l.row.due),
      originalDue: excelDate(l.row.originalDue),
      days: l.days,
    });
  }
  finishSheet(late);
  return toBuffer(wb);
}
