/**
 * Vai trò của một tài khoản và người đang thao tác. Tầng thấp: server/ kiểm quyền theo đây,
 * service/ và workflows ghi người thao tác theo đây.
 * An account's roles, and who is acting. Low-level: server/ authorises by these, service/ and the
 * workflows record the actor by them.
 */
import type { Bilingual } from './cli-spec.js';

export const ROLES = ['officer', 'unit-head', 'reviewer', 'leadership', 'author', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TEXT: Record<Role, { name: Bilingual; description: Bilingual }> = {
  officer: {
    name: { vi: 'cán bộ đơn vị', en: 'unit officer' },
    description: { vi: 'thực hiện nhiệm vụ của đơn vị mình: nộp minh chứng, đề nghị gia hạn, báo cáo sự kiện', en: "acts for their unit: submits evidence, asks for extensions, reports events" },
  },
  'unit-head': {
    name: { vi: 'lãnh đạo đơn vị', en: 'unit head' },
    description: {
      vi: 'như cán bộ đơn vị, phê duyệt những gì đơn vị gửi đi (khi danh mục yêu cầu), và xem lịch sử (nhật ký) của đơn vị mình',
      en: "as an officer, approves what the unit sends out (where the registry requires it), and sees the unit's history (audit)",
    },
  },
  reviewer: {
    name: { vi: 'cơ quan điều phối / duyệt', en: 'coordinator / reviewer' },
    description: {
      vi: 'duyệt minh chứng và quyết định gia hạn cho các nghĩa vụ đơn vị mình duyệt, trừ của chính đơn vị mình',
      en: "reviews evidence and decides extensions for the obligations its unit reviews, never its own unit's",
    },
  },
  leadership: {
    name: { vi: 'lãnh đạo', en: 'leadership' },
    description: { vi: 'xem mọi chỉ thị có tên mình (chỉ đọc); nhận báo cáo chậm trễ', en: 'reads every directive it is named in (read-only); receives escalations' },
  },
  author: {
    name: { vi: 'người soạn chỉ thị', en: 'policy author' },
    description: { vi: 'kiểm tra, triển khai, sửa đổi, thu hồi chỉ thị', en: 'validates, deploys, amends and withdraws directives' },
  },
  admin: {
    name: { vi: 'quản trị', en: 'administrator' },
    description: { vi: 'chỉ quản lý tài khoản', en: 'manages accounts only' },
  },
};

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/**
 * Người đang thao tác, lấy từ thông tin đăng nhập, không bao giờ từ một cờ.
 * Who is acting, from the credential, never from a flag.
 */
export interface Actor {
  /** The account's login. */
  login: string;
  /** The registry unit the account belongs to. */
  unit: string;
  roles: readonly Role[];
  /** How the request was authenticated. */
  via: 'session' | 'token';
  displayName?: string;
}

/**
 * Cách ghi người thao tác trong nhật ký, minh chứng, quyết định: `đơn-vị/tài-khoản`, nên đọc một dòng
 * là biết cả người lẫn đơn vị.
 * How an actor is written in the audit, submissions and decisions: `unit/login`, so one field
 * names both the person and their unit.
 */
export function actorName(a: Pick<Actor, 'login' | 'unit'>): string {
  return `${a.unit}/${a.login}`;
}
