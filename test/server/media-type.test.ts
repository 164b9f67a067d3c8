/**
 * Loại tệp của minh chứng: loại trình duyệt khai chỉ được lưu khi chính các byte của tệp khớp, và
 * tệp tải về mang đúng loại đã lưu (vẫn là tệp đính kèm, không cho trình duyệt đoán loại).
 * An evidence document's media type: the declared one is stored only where the file's bytes agree,
 * and a download carries the stored type (still an attachment, never sniffed). Through the API
 * server with inject, on the server harness (PostgreSQL, time-skipping Temporal, a worker).
 */
import { Document, Packer, Paragraph } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_MEDIA_TYPES, checkedMediaType } from '../../activities/media-type.js';
import { startServerHarness, type ServerHarness } from './harness.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const HTML = Buffer.from('<!doctype html><html><body><script>fetch("/api/v1/me")</script></body></html>');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
const CSV = Buffer.from('don_vi,so_luong\nso-y-te,3\n');
/** The old Office formats' compound file: the same signature for .doc, .xls and .ppt. */
const COMPOUND = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4088)]);
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('the media type kept for an upload', () => {
  it('is what the bytes are, whatever was declared (the CLI declares application/octet-stream for everything)', async () => {
    expect(await checkedMediaType('application/pdf', PDF)).toBe('application/pdf');
    expect(await checkedMediaType('application/octet-stream', PDF)).toBe('application/pdf');
    expect(await checkedMediaType(undefined, PNG)).toBe('image/png');
    // A liar gets the truth, not what it said.
    expect(await checkedMediaType('text/html', PDF)).toBe('application/pdf');
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Báo cáo')] }] }));
    expect(await checkedMediaType('application/octet-stream', docx)).toBe(DOCX_TYPE);
  });

  it('never a type that a browser would run as a page: HTML, SVG, or anything declared over bytes that are not it', async () => {
    expect(await checkedMediaType('text/html', HTML)).toBeUndefined();
    expect(await checkedMediaType('application/pdf', HTML)).toBeUndefined();
    expect(await checkedMediaType('image/svg+xml', SVG)).toBeUndefined();
    expect(await checkedMediaType('image/png', SVG)).toBeUndefined();
    expect(await checkedMediaType('application/xml', Buffer.from('<?xml version="1.0"?><a/>'))).toBeUndefined();
    expect(await checkedMediaType('application/pdf', Buffer.alloc(0))).toBeUndefined();
  });

  it('the declared type where the bytes cannot tell: text, and which old Office program a compound file is for', async () => {
    expect(await checkedMediaType('text/csv; charset=utf-8', CSV)).toBe('text/csv');
    expect(await checkedMediaType('Text/Plain', CSV)).toBe('text/plain');
    expect(await checkedMediaType('application/octet-stream', CSV)).toBeUndefined();
    expect(await checkedMediaType('application/msword', COMPOUND)).toBe('application/msword');
    expect(await checkedMediaType('application/vnd.ms-excel', COMPOUND)).toBe('application/vnd.ms-excel');
    expect(await checkedMediaType('text/plain', COMPOUND)).toBeUndefined();
  });
});

describe('downloads carry the stored type', () => {
  let h: ServerHarness;
  let officer: string;

  beforeAll(async () => {
    h = await startServerHarness();
    await h.deployFixture();
    officer = await h.account('can-bo.so-y-te', 'so-y-te', ['officer']);
  }, 240_000);
  afterAll(async () => {
    await h?.close();
  });

  /** The drill's report, sent as a browser sends a file: its bytes, its name, the type it declares. */
  async function submit(bytes: Buffer, fileName: string, type: string): Promise<string> {
    const f = new FormData();
    for (const [k, v] of Object.entries({ directive: 'test-directive', obligation: 'drill', unit: 'so-y-te' })) f.append(k, v);
    f.append('report', new Blob([bytes], { type }), fileName);
    const r = await h.request(officer, 'POST', '/api/v1/submissions', f);
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { submissionId: string }).submissionId;
  }
  const download = (id: string, inline = false) => h.request(officer, 'GET', `/api/v1/submissions/${id}/evidence/report${inline ? '/inline' : ''}`);
  const storedType = async (id: string) => (await h.db.pool.query<{ media_type: string | null }>('SELECT media_type FROM evidence WHERE submission_id = $1', [id])).rows[0]?.media_type;

  it('a PDF is downloaded as application/pdf, still as an attachment and not sniffed', async () => {
    const id = await submit(PDF, 'bao-cao.pdf', 'application/pdf');
    expect(await storedType(id)).toBe('application/pdf');
    const r = await download(id);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe("attachment; filename*=UTF-8''bao-cao.pdf");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.rawPayload.equals(PDF)).toBe(true);
  }, 60_000);

  it('a CSV keeps its declared text/csv; a Word file sent as application/octet-stream (as the CLI sends) is stored as what it is', async () => {
    const csv = await submit(CSV, 'so-lieu.csv', 'text/csv');
    expect((await download(csv)).headers['content-type']).toMatch(/^text\/csv/);
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Báo cáo diễn tập')] }] }));
    const word = await submit(docx, 'bao-cao.docx', 'application/octet-stream');
    expect(await storedType(word)).toBe(DOCX_TYPE);
    expect((await download(word)).headers['content-type']).toBe(DOCX_TYPE);
  }, 60_000);

  it('HTML, declared as HTML or as a PDF, is stored with no type and sent as application/octet-stream, on the inline route too', async () => {
    for (const declared of ['text/html', 'application/pdf']) {
      const id = await submit(HTML, 'bao-cao.html', declared);
      expect(await storedType(id)).toBeNull();
      const r = await download(id);
      expect(r.headers['content-type']).toBe('application/octet-stream');
      expect(r.headers['content-disposition']).toMatch(/^attachment;/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      const shown = await download(id, true);
      expect(shown.headers['content-type']).toBe('application/octet-stream');
      expect(shown.headers['content-disposition']).toMatch(/^attachment;/);
    }
  }, 60_000);

  it('a document stored before types were kept (NULL) is sent by what its bytes are', async () => {
    const id = await submit(PDF, 'cu.pdf', 'application/pdf');
    await h.db.pool.query('UPDATE evidence SET media_type = NULL WHERE submission_id = $1', [id]);
    expect((await download(id)).headers['content-type']).toBe('application/pdf');
  }, 60_000);

  it('the database refuses any type not on the list, and its list is the code\'s, in order', async () => {
    const { rows } = await h.db.pool.query<{ def: string }>("SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'evidence_media_type'");
    const listed = [...rows[0]!.def.matchAll(/'([^']+)'::text/g)].map((m) => m[1]).filter((t) => t !== 'document');
    expect(listed).toEqual(ALLOWED_MEDIA_TYPES);
    const id = await submit(PDF, 'x.pdf', 'application/pdf');
    await expect(h.db.pool.query("UPDATE evidence SET media_type = 'text/html' WHERE submission_id = $1", [id])).rejects.toThrow(/evidence_media_type/);
  }, 60_000);
});
