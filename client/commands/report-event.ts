import { isoInstant, parse, required, usageError } from '../args.js';
import { withRuntime } from '../connect.js';
import type { Command, Io } from '../io.js';
import { reportEvent } from '../report-event.js';

export const command: Command = {
  summary: { vi: 'Báo cáo một sự kiện (ví dụ sự cố) để mở các nghĩa vụ theo sự kiện', en: 'Report an event (e.g. an incident), opening its obligations' },
  help: {
    vi: `Cách dùng: chithi report-event --directive <mã> --event <loại> --unit <mã> [--id <mã-sự-kiện>] [--at <thời điểm ISO>] [--description <mô tả>]

Mở một phiên cho mỗi nghĩa vụ theo sự kiện loại này giao cho đơn vị. Báo cáo lại
cùng --id không mở thêm phiên nào.

  --directive    mã chỉ thị
  --event        loại sự kiện (ví dụ attack-detected)
  --unit         đơn vị báo cáo
  --id           mã sự kiện (mặc định: tự sinh)
  --at           thời điểm xảy ra/phát hiện, có múi giờ (mặc định: bây giờ)
  --description  mô tả
`,
    en: `Usage: chithi report-event --directive <id> --event <type> --unit <id> [--id <event-id>] [--at <ISO instant>] [--description <text>]

Starts one instance per event obligation of this type assigned to the unit.
Reporting the same --id again starts nothing new.

  --directive    directive id
  --event        event type (e.g. attack-detected)
  --unit         reporting unit
  --id           event id (default: generated)
  --at           when it happened/was detected, with offset (default: now)
  --description  description
`,
  },
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parse(
      args,
      { directive: { type: 'string' }, event: { type: 'string' }, unit: { type: 'string' }, id: { type: 'string' }, at: { type: 'string' }, description: { type: 'string' } },
      'report-event',
    );
    if (positionals.length > 0) throw usageError({ vi: `Thừa đối số: ${positionals.join(' ')}`, en: `Unexpected argument: ${positionals.join(' ')}` }, 'report-event');
    const report = {
      directiveId: required(values.directive, '--directive', 'report-event'),
      eventType: required(values.event, '--event', 'report-event'),
      unitId: required(values.unit, '--unit', 'report-event'),
      ...(values.id ? { eventId: values.id } : {}),
      ...(values.at ? { occurredAt: isoInstant(values.at, '--at', 'report-event') } : {}),
      ...(values.description ? { description: values.description } : {}),
    };
    const r = await withRuntime(io.env, (rt) => reportEvent(report, rt));
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
