import { computeSchedule } from '../../../activities/schedule.js';
import type { WorkingCalendar } from '../../../compiler/calendar/index.js';
import type { AuditEvent, NotificationRequest, RuntimeActivities, StatusUpdate } from '../../../workflows/types.js';
import type { Backend, Delivered } from './backend.js';

/** Every day is a working day: the fixtures use the `keep` policy, calendars are tested elsewhere. */
const everyDayWorks: WorkingCalendar = {
  id: 'vn',
  isDayOff: () => false,
  dayOffReason: () => undefined,
  nextWorkingDay: (d) => d,
  addWorkingDays: (d) => d,
};

/** RuntimeActivities in memory, deduplicating notices by key as the PostgreSQL outbox does. */
export function memoryBackend(): Backend {
  const notices = new Map<string, NotificationRequest>();
  const statuses: StatusUpdate[] = [];
  const audits = new Map<string, AuditEvent>();
  const activities: RuntimeActivities = {
    scheduleCycle: async (req) => computeSchedule(req, everyDayWorks),
    notify: async (req) => {
      if (!notices.has(req.key)) notices.set(req.key, req);
    },
    recordStatus: async (u) => {
      statuses.push(u);
    },
    recordAudit: async (e) => {
      if (!audits.has(e.key)) audits.set(e.key, e);
    },
    recordStep: async (step) => {
      if (step.status) statuses.push(step.status);
      for (const e of step.audits) if (!audits.has(e.key)) audits.set(e.key, e);
      for (const req of step.notices) if (!notices.has(req.key)) notices.set(req.key, req);
    },
    // The memory backend counts notices, not letters: letters need the PostgreSQL outbox.
    composeLetter: async () => ({ composed: 0 }),
    completedObligations: async ({ directiveId, unitId, obligationIds }) =>
      obligationIds.filter((id) =>
        statuses.some(
          (s) =>
            s.directiveId === directiveId &&
            s.unitId === unitId &&
            s.obligationId === id &&
            (s.status === 'completed-on-time' || s.status === 'completed-late'),
        ),
      ),
  };
  return {
    name: 'memory',
    timestamps: true,
    details: true,
    activities,
    delivered: async (): Promise<Delivered[]> =>
      [...notices.values()].flatMap((n) => n.to.map((to) => ({ key: n.key, kind: n.kind, to, at: n.at, detail: n.detail ?? {} }))),
    close: async () => undefined,
  };
}
