/**
 * What a registry `email:` may hold: exactly one bare address (RFC 5321 dot-atom local part, a
 * dotted host name), because the worker hands it to the mail relay as the only recipient of the
 * unit's letters. Stricter than RFC 5322 on purpose: no display name, no quoted local part, no
 * IP-literal domain, no comments — none of these belong in an office's receiving address, and each
 * is far more often a paste accident than an intent.
 */
import type { Bilingual } from '../common/cli-spec.js';

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL = new RegExp(`^${ATOM}(\\.${ATOM})*$`);
/** A host-name label: letters, digits, inner dashes, at most 63 characters. */
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** The top-level label is letters (or an IDN `xn--` label): `a@b.123` is a typo, not an address. */
const TOP_LABEL = /^([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** Null when `value` is one valid address; otherwise why not, in words a policy officer can act on. */
export function emailProblem(value: string): Bilingual | null {
  if (value.trim() === '') return { vi: 'địa chỉ thư điện tử đang để trống', en: 'the e-mail address is empty' };
  if (/[\r\n]/.test(value)) return { vi: `\`${oneLine(value)}\` có xuống dòng: chỉ ghi một địa chỉ`, en: `\`${oneLine(value)}\` contains a line break: write one address` };
  const several = /[,;]/.test(value) || ((value.match(/@/g) ?? []).length > 1 && /\s/.test(value.trim()));
  if (several) {
    // The usual mistake: "the head and the deputy both need it". One address, one relay recipient.
    return { vi: `\`${value}\` có nhiều địa chỉ`, en: `\`${value}\` holds several addresses` };
  }
  if (/[<>]/.test(value)) return { vi: `\`${value}\` có kèm tên hiển thị: chỉ ghi địa chỉ`, en: `\`${value}\` has a display name: write the bare address` };
  if (/\s/.test(value)) return { vi: `\`${value}\` có khoảng trắng`, en: `\`${value}\` contains a space` };
  const at = value.split('@');
  if (at.length !== 2) {
    return at.length === 1
      ? { vi: `\`${value}\` thiếu ký tự @`, en: `\`${value}\` has no @` }
      : { vi: `\`${value}\` có nhiều ký tự @`, en: `\`${value}\` has more than one @` };
  }
  const [local, domain] = at as [string, string];
  if (value.length > 254) return { vi: `\`${value}\` dài quá 254 ký tự`, en: `\`${value}\` is longer than 254 characters` };
  if (local.length === 0 || local.length > 64 || !LOCAL.test(local)) {
    return { vi: `\`${value}\`: phần trước @ không hợp lệ`, en: `\`${value}\`: the part before @ is not valid` };
  }
  const labels = domain.split('.');
  if (labels.length < 2) return { vi: `\`${value}\`: tên miền \`${domain}\` thiếu dấu chấm`, en: `\`${value}\`: the domain \`${domain}\` has no dot` };
  if (domain.length > 253 || !labels.every((l) => LABEL.test(l)) || !TOP_LABEL.test(labels[labels.length - 1]!)) {
    return { vi: `\`${value}\`: tên miền \`${domain}\` không hợp lệ`, en: `\`${value}\`: the domain \`${domain}\` is not valid` };
  }
  return null;
}

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '↵');
}
