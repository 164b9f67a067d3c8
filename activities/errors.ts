/**
 * Errors the activities and store functions raise on purpose. Each carries a stable `code` and a
 * bilingual `text`, so the client can show it as a user message and the worker can mark it
 * non-retryable instead of matching on message strings.
 */
import type { Bilingual } from '../common/cli-spec.js';

export abstract class ChithiError extends Error {
  abstract readonly code: string;
  /** True when retrying the same call cannot succeed (Temporal: non-retryable). */
  abstract readonly permanent: boolean;
  constructor(
    readonly text: Bilingual,
    options?: { cause?: unknown },
  ) {
    super(text.en, options);
    this.name = new.target.name;
  }
}

export class EvidenceTooLargeError extends ChithiError {
  readonly code = 'evidence-too-large';
  readonly permanent = true;
  constructor(
    readonly evidenceName: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super({
      vi: `Tệp minh chứng "${evidenceName}" quá lớn (${size} byte; tối đa ${limit} byte)`,
      en: `Evidence file "${evidenceName}" is too large (${size} bytes; at most ${limit})`,
    });
  }
}

export class NotFoundError extends ChithiError {
  readonly code = 'not-found';
  readonly permanent = true;
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super({ vi: `Không tìm thấy ${what} "${id}"`, en: `No ${what} "${id}"` });
  }
}

export class InvalidRequestError extends ChithiError {
  readonly code = 'invalid-request';
  readonly permanent = true;
}

export class DeliveryError extends ChithiError {
  readonly code = 'delivery-failed';
  // A mail server or webhook that is down now may be up at the next retry.
  readonly permanent = false;
  constructor(
    readonly channel: string,
    readonly recipient: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      {
        vi: `Gửi thông báo qua ${channel} tới ${recipient} thất bại: ${reason}`,
        en: `Delivering a notice by ${channel} to ${recipient} failed: ${reason}`,
      },
      options,
    );
  }
}

export class MigrationError extends ChithiError {
  readonly code = 'migration-failed';
  readonly permanent = true;
  constructor(
    readonly file: string,
    readonly reason: string,
    options: { hint?: Bilingual; cause?: unknown } = {},
  ) {
    const { hint, cause } = options;
    super(
      {
        vi: `Lỗi khi áp dụng migration ${file}: ${reason}${hint ? ` (${hint.vi})` : ''}`,
        en: `Migration ${file} failed: ${reason}${hint ? ` (${hint.en})` : ''}`,
      },
      { cause },
    );
  }
}

/**
 * An action id (a submission, review, extension request or decision, chosen by the client so a
 * retry is recognised) already stored with other content: the retry is not the same action.
 */
export class ConflictError extends ChithiError {
  readonly code = 'conflict';
  readonly permanent = true;
}

/**
 * An audit line whose idempotency key is already stored with other content. A retried append
 * carries the same content and is a no-op; other content under the same key is two different
 * events claiming one key (a bug in how the key is made, or a forged row) and keeping either
 * silently would falsify the trail. Permanent: the worker marks it non-retryable, so the workflow
 * fails where an operator sees it instead of retrying forever.
 */
export class AuditConflictError extends ChithiError {
  readonly code = 'audit-conflict';
  readonly permanent = true;
  constructor(
    readonly key: string,
    readonly directiveId: string,
  ) {
    super({
      vi: `Nhật ký kiểm toán đã có dòng với khoá "${key}" (chỉ thị ${directiveId}) nhưng nội dung khác; không ghi đè. Hãy kiểm tra cách tạo khoá của dòng này và chạy: chithi audit verify --directive ${directiveId}`,
      en: `The audit trail already holds a row with key "${key}" (directive ${directiveId}) with other content; not overwritten. Check how this row's key is made, and run: chithi audit verify --directive ${directiveId}`,
    });
  }
}
