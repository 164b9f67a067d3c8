/**
 * Địa chỉ các trang của cổng thông tin, ở một chỗ: cổng (server/portal/) dựng trang theo chúng,
 * thư thông báo (activities/notify/) dẫn tới chúng; đổi một đường dẫn không thể làm hỏng đường dẫn
 * trong thư.
 * The portal's page addresses, in one place: the portal (server/portal/) serves them and the
 * notices (activities/notify/) link to them, so renaming a route cannot break the links in e-mail.
 */

/** A task's page; an event's instance adds `?su-kien=`. */
export function taskPath(directive: string, obligation: string, unit: string, event?: string): string {
  const base = `/nhiem-vu/${encodeURIComponent(directive)}/${encodeURIComponent(obligation)}/${encodeURIComponent(unit)}`;
  return event === undefined ? base : `${base}?su-kien=${encodeURIComponent(event)}`;
}

/** A submission's page, where its reviewer decides. */
export function submissionPath(submissionId: string): string {
  return `/duyet/${encodeURIComponent(submissionId)}`;
}

/** The reviewer's list of pending extension requests. */
export const EXTENSIONS_PATH = '/gia-han';
