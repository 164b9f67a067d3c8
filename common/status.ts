import type { InstanceStatus } from '../workflows/types.js';
import type { Bilingual } from './cli-spec.js';

/**
 * The wording of the Government Office's (Văn phòng Chính phủ) report buckets, so printouts,
 * letters and the portal match what officials already read. One table for every layer.
 */
export const STATUS_LABEL: Record<InstanceStatus, Bilingual> = {
  'not-yet-due': { vi: 'chưa đến hạn', en: 'not yet due' },
  'in-progress': { vi: 'đang thực hiện trong hạn', en: 'in progress, on time' },
  'awaiting-review': { vi: 'chờ duyệt', en: 'awaiting review' },
  'completed-on-time': { vi: 'hoàn thành đúng hạn', en: 'completed on time' },
  'completed-late': { vi: 'hoàn thành quá hạn', en: 'completed late' },
  overdue: { vi: 'quá hạn chưa hoàn thành', en: 'overdue, not completed' },
  withdrawn: { vi: 'đã thu hồi', en: 'withdrawn' },
};

export const STATUS_ORDER: InstanceStatus[] = [
  'not-yet-due',
  'in-progress',
  'awaiting-review',
  'completed-on-time',
  'completed-late',
  'overdue',
  'withdrawn',
];
