/** Dates and durations that parse but make no sense: impossible days, zero periods, late reminders. */
import { IANAZone } from 'luxon';
import type { Obligation } from '../schema/directive.generated.js';
import { compareTimings } from '../calendar/index.js';
import { timingOf } from '../timing.js';
import { diag } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { datePrecisely } from '../messages.js';
import { locate } from '../positions.js';
import type { JsonPath } from '../positions.js';
import { checkDates } from './dates.js';
import type { DirectiveContext } from './context.js';
import { isObject } from './context.js';

/** -1, 0 or 1. The schema pattern allows a leading minus so this check, not the schema, explains it. */
export function durationSign(d: string): number {
  if (d.startsWith('-')) return /[1-9]/.test(d) ? -1 : 0;
  return /[1-9]/.test(d) ? 1 : 0;
}

export function checkTiming(ctx: DirectiveContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { data, parsed } = ctx;
  const file = parsed.file;
  const at = (p: JsonPath) => locate(parsed, p);
  const md = data.metadata;
  if (!isObject(md)) return out;
  const metaClean = ctx.clean(['metadata']);

  if (ctx.clean(['metadata', 'issued'])) out.push(...checkDates(parsed, ['metadata'], md, ['issued']));
  if (ctx.clean(['metadata', 'until'])) out.push(...checkDates(parsed, ['metadata'], md, ['until']));
  const issued = typeof md.issued === 'string' && ctx.clean(['metadata', 'issued']) && !datePrecisely(md.issued) ? md.issued : undefined;
  if (metaClean && !IANAZone.isValidZone(md.timezone)) {
    out.push(
      diag(file, at(['metadata', 'timezone']), 'invalid-timezone', { vi: `múi giờ \`${md.timezone}\` không tồn tại`, en: `unknown time zone \`${md.timezone}\`` }, {
        vi: 'dùng tên IANA, ví dụ Asia/Ho_Chi_Minh',
        en: 'use an IANA name, e.g. Asia/Ho_Chi_Minh',
      }),
    );
  }
  if (md.reportingPeriod !== undefined && ctx.clean(['metadata', 'reportingPeriod'])) out.push(...positive(ctx, md.reportingPeriod, ['metadata', 'reportingPeriod']));
  if (issued && md.until && !datePrecisely(md.until) && md.until < issued) {
    out.push(
      diag(file, at(['metadata', 'until']), 'until-before-start', { vi: `\`until\` (${md.until}) trước ngày ban hành (${issued})`, en: `\`until\` (${md.until}) is before the issue date (${issued})` }, {
        vi: 'kiểm tra lại ngày kết thúc',
        en: 'check the end date',
      }),
    );
  }

  const defaults = ctx.clean(['defaults']) && data.defaults && typeof data.defaults === 'object' && !Array.isArray(data.defaults) ? data.defaults : undefined;
  if (defaults?.reminders) defaults.reminders.forEach((r, i) => out.push(...reminderSign(ctx, r, ['defaults', 'reminders', i])));
  if (defaults?.escalation) out.push(...escalationOrder(ctx, defaults.escalation, ['defaults', 'escalation']));

  (Array.isArray(data.obligations) ? data.obligations : []).forEach((o, i) => {
    const base: JsonPath = ['obligations', i];
    if (!ctx.clean(base) || !isObject(o)) return;
    out.push(...checkDates(parsed, base, o, ['due', 'anchor']));
    const anchorOk = o.anchor === undefined || !datePrecisely(o.anchor);
    switch (o.kind) {
      case 'deadline':
        if (typeof o.due === 'string') {
          if (issued && !datePrecisely(o.due) && o.due < issued) {
            out.push(
              diag(file, at([...base, 'due']), 'due-before-issued', { vi: `hạn ${o.due} trước ngày ban hành ${issued}`, en: `due date ${o.due} is before the issue date ${issued}` }, {
                vi: 'kiểm tra lại năm/tháng của hạn',
                en: 'check the year and month of the due date',
              }),
            );
          }
          // The other forms of `due` (1.1) are semantics/timing-v11.ts's.
        } else if (o.due && typeof o.due.after === 'string') out.push(...positive(ctx, o.due.after, [...base, 'due', 'after']));
        break;
      case 'recurring':
        if (typeof o.every === 'string') out.push(...positive(ctx, o.every, [...base, 'every']));
        break;
      case 'event':
        if (typeof o.within === 'string') out.push(...positive(ctx, o.within, [...base, 'within']));
        break;
      case 'ongoing':
        if (o.attestEvery !== undefined) out.push(...positive(ctx, o.attestEvery, [...base, 'attestEvery']));
        else if (md.reportingPeriod === undefined) {
          out.push(
            diag(file, at(base), 'missing-period', { vi: `nhiệm vụ thường xuyên \`${o.id}\` không có kỳ xác nhận`, en: `ongoing obligation \`${o.id}\` has no attestation period` }, {
              vi: 'thêm `attestEvery: P6M` hoặc `metadata.reportingPeriod`',
              en: 'add `attestEvery: P6M` or `metadata.reportingPeriod`',
            }),
          );
        }
        break;
    }
    const start = (anchorOk ? o.anchor : undefined) ?? issued;
    if (typeof md.until === 'string' && start && !datePrecisely(md.until) && (o.kind === 'recurring' || o.kind === 'ongoing') && md.until < start) {
      out.push(
        diag(file, at([...base, o.anchor ? 'anchor' : 'kind']), 'until-before-start', { vi: `\`${o.id}\` bắt đầu (${start}) sau \`metadata.until\` (${md.until})`, en: `\`${o.id}\` starts (${start}) after \`metadata.until\` (${md.until})` }, {
          vi: 'không chu kỳ nào sẽ được mở',
          en: 'no cycle would ever open',
        }),
      );
    }
    if (o.reminders) o.reminders.forEach((r, j) => out.push(...reminderSign(ctx, r, [...base, 'reminders', j])));
    if (o.escalation) out.push(...escalationOrder(ctx, o.escalation, [...base, 'escalation']));
    out.push(...reminderLength(ctx, o, i, start ?? '2000-01-01'));
  });
  return out;
}

function positive(ctx: DirectiveContext, d: string, path: JsonPath): Diagnostic[] {
  const sign = durationSign(d);
  if (sign > 0) return [];
  return [
    diag(
      ctx.parsed.file,
      locate(ctx.parsed, path),
      'non-positive-duration',
      sign === 0 ? { vi: `\`${String(path[path.length - 1])}\` bằng 0 (${d})`, en: `\`${String(path[path.length - 1])}\` is zero (${d})` } : { vi: `\`${String(path[path.length - 1])}\` là số âm (${d})`, en: `\`${String(path[path.length - 1])}\` is negative (${d})` },
      { vi: 'khoảng thời gian phải lớn hơn 0', en: 'a period or duration must be greater than zero' },
    ),
  ];
}

function reminderSign(ctx: DirectiveContext, r: string, path: JsonPath): Diagnostic[] {
  const sign = durationSign(r);
  if (sign > 0) return [];
  return [
    diag(
      ctx.parsed.file,
      locate(ctx.parsed, path),
      'reminder-after-due',
      sign < 0 ? { vi: `nhắc việc ${r} rơi vào sau hạn`, en: `reminder ${r} falls after the due date` } : { vi: `nhắc việc ${r} rơi đúng vào hạn`, en: `reminder ${r} falls on the due date itself` },
      { vi: 'nhắc việc được tính trước hạn: dùng khoảng dương như P7D; sau hạn là `escalation`', en: 'reminders count back from the due date: use a positive offset like P7D; after due is `escalation`' },
    ),
  ];
}

function escalationOrder(ctx: DirectiveContext, steps: { after: string }[], base: JsonPath): Diagnostic[] {
  const out: Diagnostic[] = [];
  steps.forEach((s, i) => {
    if (durationSign(s.after) < 0) {
      out.push(
        diag(ctx.parsed.file, locate(ctx.parsed, [...base, i, 'after']), 'escalation-negative', { vi: `bước báo cáo vượt cấp ${s.after} rơi vào trước hạn`, en: `escalation step ${s.after} falls before the due date` }, {
          vi: '`after` tính từ hạn: P0D là đúng hạn',
          en: '`after` counts from the due date: P0D is at the deadline',
        }),
      );
      return;
    }
    const prev = steps[i - 1];
    if (prev && durationSign(prev.after) >= 0 && compareTimings(s.after, prev.after, '2001-01-01') < 0) {
      out.push(
        diag(ctx.parsed.file, locate(ctx.parsed, [...base, i, 'after']), 'escalation-order', { vi: `các bước vượt cấp không theo thứ tự: ${s.after} đứng sau ${prev.after}`, en: `escalation steps out of order: ${s.after} comes after ${prev.after}` }, {
          vi: 'sắp xếp các bước theo `after` tăng dần',
          en: 'order the steps by increasing `after`',
        }),
      );
    }
  });
  return out;
}

/** A reminder as long as the period (or the event window) would fire before the cycle opens. */
function reminderLength(ctx: DirectiveContext, o: Obligation, i: number, reference: string): Diagnostic[] {
  const fallback = ctx.clean(['metadata', 'reportingPeriod']) ? ctx.data.metadata.reportingPeriod : undefined;
  const period = o.kind === 'recurring' ? timingOf(o.every) : o.kind === 'ongoing' ? (o.attestEvery ?? fallback) : o.kind === 'event' ? timingOf(o.within) : undefined;
  if (!period || durationSign(period) <= 0) return [];
  const own = o.reminders !== undefined;
  const reminders = own ? o.reminders! : ctx.clean(['defaults']) ? (ctx.data.defaults?.reminders ?? []) : [];
  const out: Diagnostic[] = [];
  reminders.forEach((r, j) => {
    if (durationSign(r) <= 0) return;
    if (compareTimings(r, period, reference) >= 0) {
      const path: JsonPath = own ? ['obligations', i, 'reminders', j] : ['defaults', 'reminders', j];
      out.push(
        diag(
          ctx.parsed.file,
          locate(ctx.parsed, path),
          'reminder-too-long',
          { vi: `nhắc việc ${r} không ngắn hơn kỳ ${period} của \`${o.id}\``, en: `reminder ${r} is not shorter than the period ${period} of \`${o.id}\`` },
          own
            ? { vi: 'dùng khoảng nhắc ngắn hơn kỳ', en: 'use a reminder shorter than the period' }
            : { vi: `đặt \`reminders:\` riêng cho \`${o.id}\``, en: `give \`${o.id}\` its own \`reminders:\`` },
        ),
      );
    }
  });
  return out;
}
