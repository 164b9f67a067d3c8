import { describe, expect, it } from 'vitest';
import { showableType } from '../../server/routes/directives.js';

// Tệp tải lên chỉ được mở trong trang khi chính nội dung của nó là PDF, PNG hay JPEG.
// An upload is shown in the page only when its own bytes are a PDF, PNG or JPEG.
describe('which evidence the portal shows inline', () => {
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

  it('PDF, PNG and JPEG by their first bytes, whatever the name, when no type or a generic one was declared', () => {
    expect(showableType(undefined, pdf)).toBe('application/pdf');
    expect(showableType('application/octet-stream', png)).toBe('image/png');
    expect(showableType('image/jpeg', jpeg)).toBe('image/jpeg');
  });

  it('nothing else, and nothing whose declared type disagrees with its bytes', () => {
    expect(showableType(undefined, Buffer.from('<html><script>alert(1)</script>'))).toBeUndefined();
    expect(showableType('application/pdf', Buffer.from('<svg onload=alert(1)>'))).toBeUndefined();
    expect(showableType('text/html', pdf)).toBeUndefined();
    expect(showableType(undefined, Buffer.alloc(0))).toBeUndefined();
  });
});
