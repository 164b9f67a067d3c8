import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { isoInstant, parseCommand, required, usageError } from '../args.js';
import { apiRequest } from '../api.js';
import type { Command, Io } from '../io.js';
import type { EventReport } from '../../service/report-event.js';

const SPEC = COMMANDS['report-event'];

/** Đối số → báo cáo sự kiện, không chạm tới máy chủ (xem submit.parseOnly). / Arguments → an event report, touching no server. */
export function parseOnly(args: string[]): EventReport {
  const { values, positionals } = parseCommand(args, SPEC);
  if (positionals.length > 0) throw usageError({ vi: `Thừa đối số: ${positionals.join(' ')}`, en: `Unexpected argument: ${positionals.join(' ')}` }, 'report-event');
  return {
    directiveId: required(values.directive, '--directive', 'report-event'),
    eventType: required(values.event, '--event', 'report-event'),
    unitId: required(values.unit, '--unit', 'report-event'),
    ...(values.id ? { eventId: values.id } : {}),
    ...(values.at ? { occurredAt: isoInstant(values.at, '--at', 'report-event') } : {}),
    ...(values.description ? { description: values.description } : {}),
  };
}

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Mở một phiên cho mỗi nghĩa vụ theo sự kiện loại này giao cho đơn vị. Báo cáo lại
cùng --id không mở thêm phiên nào. Mã sự kiện (--id) là mã dùng với --event của submit,
review và extend khi đơn vị có nhiều sự kiện đang mở.`,
      en: `Starts one instance per event obligation of this type assigned to the unit.
Reporting the same --id again starts nothing new. The event id (--id) is what submit,
review and extend take as --event when the unit has several open events.`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const report = parseOnly(args);
    const r = await apiRequest<{ eventId: string; started: string[] }>(io, 'POST', '/api/v1/events', {
      json: {
        directive: report.directiveId,
        type: report.eventType,
        unit: report.unitId,
        ...(report.eventId !== undefined && { id: report.eventId }),
        ...(report.occurredAt !== undefined && { at: report.occurredAt }),
        ...(report.description !== undefined && { description: report.description }),
      },
    });
    const vi = io.lang === 'vi';
    if (r.started.length === 0) {
      io.stdout(vi ? `Sự kiện ${r.eventId} đã được báo cáo trước đó: không mở thêm phiên nào.\n` : `Event ${r.eventId} was already reported: nothing new started.\n`);
    } else {
      io.stdout(vi ? `Đã ghi nhận sự kiện ${r.eventId}; mở ${r.started.length} nghĩa vụ:\n` : `Event ${r.eventId} recorded; ${r.started.length} obligation(s) opened:\n`);
      for (const id of r.started) io.stdout(`  ${id}\n`);
    }
    return 0;
  },
};
