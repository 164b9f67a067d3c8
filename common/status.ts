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

/**
 * Một trang của báo cáo tình hình (`GET …/status`, `chithi status`): 1.000 dòng, tối đa 10.000.
 * A page of the status report (`GET …/status`, `chithi status`): 1,000 rows unless asked, at most
 * 10,000. A national directive has 100,000 instances: as one answer that is 22 MB and seconds to
 * read, send and parse (p50 2.5 s, p95 6.5 s: npm run bench:scale), so beyond a page it is read by
 * its counts and per-obligation summary, or page by page; a directive of up to a page reads whole.
 */
export const STATUS_PAGE = 1_000;
export const STATUS_PAGE_MAX = 10_000;
