import { MAX_SIGNAL_TEXT } from '../workflows/validate.js';
import { UserError } from '../common/errors.js';

/**
 * Free text (notes, comments, reasons) travels in a signal and stays in the workflow's history for
 * the life of the directive: it is bounded, and the workflow rejects a longer one. Said here first,
 * with the limit, before anything is stored.
 */
export function checkText(value: string | undefined, flag: string): void {
  if (value === undefined || value.length <= MAX_SIGNAL_TEXT) return;
  throw new UserError(
    {
      vi: `${flag} dài ${value.length} ký tự; tối đa ${MAX_SIGNAL_TEXT}. Rút gọn, hoặc đưa nội dung dài vào một tệp minh chứng (--file).`,
      en: `${flag} is ${value.length} characters long; at most ${MAX_SIGNAL_TEXT}. Shorten it, or put the long text in an evidence file (--file).`,
    },
    2,
  );
}
