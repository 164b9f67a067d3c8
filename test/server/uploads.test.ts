/**
 * Uploads through the real server on a loopback port (real sockets, not inject): a document over
 * the limit is refused before anything is stored and without the server reading the whole file; an
 * upload cut off halfway leaves nothing behind; a normal one is stored with the sha256 of the bytes
 * sent and comes back byte for byte; the OpenAPI document lists the API.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVIDENCE_BYTES } from '../../activities/store/submissions.js';
import { startServerHarness, type ServerHarness } from './harness.js';

const D = 'test-directive';
const UNIT = 'so-y-te';
const MB = 1024 * 1024;

let h: ServerHarness;
let officer: string;
let port: number;
let base: string;
/** A temp folder of this file's own: other test runs in the same tree make upload folders too. */
let tmp: string;
const tmpBefore = process.env.TMPDIR;

beforeAll(async () => {
  h = await startServerHarness();
  tmp = mkdtempSync(join(tmpdir(), 'chithi-uploads-test-'));
  process.env.TMPDIR = tmp; // os.tmpdir() reads it on every call, so the server's uploads land here
  await h.deployFixture();
  officer = await h.account('officer-yte', UNIT, ['officer']);
  // The harness's server already listens on a loopback port, as npm start's does (test/support/api.ts).
  port = (h.app.server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
}, 240_000);

afterAll(async () => {
  if (tmpBefore === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpBefore;
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  await h?.close();
});

async function stored(): Promise<{ submissions: number; evidence: number }> {
  const s = await h.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM submissions');
  const e = await h.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM evidence');
  return { submissions: Number(s.rows[0]!.n), evidence: Number(e.rows[0]!.n) };
}

/** The server's private upload folders still on disk. */
function uploadDirs(): string[] {
  return readdirSync(tmp).filter((n) => n.startsWith('chithi-upload-'));
}

/** Polls (real time) until `ok`, as the server notices a closed socket asynchronously. */
async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The multipart text parts of a submission of `drill` and the head of its `report` file part. */
function multipartHead(boundary: string, size: number): { head: Buffer; tail: Buffer; length: number } {
  const text = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = Buffer.from(
    text('directive', D) +
      text('obligation', 'drill') +
      text('unit', UNIT) +
      `--${boundary}\r\nContent-Disposition: form-data; name="report"; filename="report.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { head, tail, length: head.length + size + tail.length };
}

describe('uploads through a real socket', () => {
  it('a 25 MB document is refused with 413 before it is stored, without reading the whole file', async () => {
    const before = await stored();
    const size = 25 * MB;
    const boundary = `----chithi${randomBytes(8).toString('hex')}`;
    const { head, length } = multipartHead(boundary, size);
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    let response: IncomingMessage | undefined;
    let sent = 0;
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/submissions',
      headers: {
        authorization: `Bearer ${officer}`,
        'accept-language': 'en',
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(length),
      },
    });
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      req.on('response', (res) => {
        response = res;
        resolve(res);
      });
      req.on('error', reject);
    });
    const write = (b: Buffer) => (req.write(b) ? Promise.resolve() : new Promise<void>((r) => req.once('drain', () => r())));
    await write(head);
    // The limit plus 2 MB is written; the rest is held back until the server has answered, so the
    // answer can only come from the server refusing mid-file, not after reading all 25 MB.
    const holdAt = MAX_EVIDENCE_BYTES + 2 * MB;
    while (sent < holdAt && !response) {
      await write(chunk);
      sent += chunk.length;
    }
    let body = '';
    let res: IncomingMessage | undefined;
    try {
      res = await Promise.race([answered, new Promise<undefined>((r) => setTimeout(() => r(undefined), 15_000))]);
      expect(res, `an answer while ${size - sent} bytes of the file were still unsent`).toBeDefined();
      expect(sent).toBeLessThan(size);
      for await (const c of res!) body += String(c);
    } finally {
      req.destroy();
    }
    expect(res!.statusCode, body).toBe(413);
    // The rest of the body is still on the connection: it is closed, not reused for another request.
    expect(res!.headers.connection).toBe('close');
    const json = JSON.parse(body) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('too-large');
    expect(json.error.message).toMatch(/20 MB/);
    expect(json.error.message).toMatch(/nothing was stored/);
    expect(await stored()).toEqual(before);
    await until('no upload folder left', () => uploadDirs().length === 0);
  });

  it('the 413 message is Vietnamese by default', async () => {
    const f = new FormData();
    f.append('directive', D);
    f.append('obligation', 'drill');
    f.append('unit', UNIT);
    f.append('report', new Blob([Buffer.alloc(MAX_EVIDENCE_BYTES + 1)], { type: 'application/pdf' }), 'report.pdf');
    const r = await fetch(`${base}/api/v1/submissions`, { method: 'POST', headers: { authorization: `Bearer ${officer}` }, body: f });
    const json = (await r.json()) as { error: { code: string; message: string } };
    expect(r.status).toBe(413);
    expect(json.error.message).toMatch(/không lưu gì/);
  });

  it('an upload cut off halfway leaves no row and no upload folder', async () => {
    const before = await stored();
    const size = MB;
    const boundary = `----chithi${randomBytes(8).toString('hex')}`;
    const { head, length } = multipartHead(boundary, size);
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write(
      `POST /api/v1/submissions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${officer}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${length}\r\n\r\n`,
    );
    socket.write(head);
    await new Promise<void>((r) => socket.write(randomBytes(size / 2), () => r()));
    // The server has begun the upload (its private folder exists) before the client goes away.
    await until('the upload under way', () => uploadDirs().length > 0, 5_000);
    socket.destroy();
    await until('the upload folder removed', () => uploadDirs().length === 0);
    expect(await stored()).toEqual(before);
  });

  it('a normal upload is stored with the sha256 of the bytes sent and downloads back the same', async () => {
    const bytes = randomBytes(300 * 1024);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const f = new FormData();
    f.append('directive', D);
    f.append('obligation', 'drill');
    f.append('unit', UNIT);
    f.append('report', new Blob([bytes], { type: 'application/pdf' }), 'report.pdf');
    const r = await fetch(`${base}/api/v1/submissions`, { method: 'POST', headers: { authorization: `Bearer ${officer}` }, body: f });
    const text = await r.text();
    expect(r.status, text).toBe(201);
    const result = JSON.parse(text) as { submissionId: string; sha256: Record<string, string> };
    expect(result.sha256.report).toBe(sha);
    const { rows } = await h.db.pool.query<{ sha256: string }>("SELECT sha256 FROM evidence WHERE submission_id = $1 AND name = 'report'", [result.submissionId]);
    expect(rows.map((x) => x.sha256)).toEqual([sha]);

    const d = await fetch(`${base}/api/v1/submissions/${result.submissionId}/evidence/report`, { headers: { authorization: `Bearer ${officer}` } });
    expect(d.status).toBe(200);
    expect(d.headers.get('x-content-sha256')).toBe(sha);
    const back = Buffer.from(await d.arrayBuffer());
    expect(back.equals(bytes)).toBe(true);
    expect(uploadDirs()).toEqual([]);
  });

  it('the OpenAPI document is OpenAPI 3 and lists the API', async () => {
    const r = await fetch(`${base}/api/v1/openapi.json`);
    expect(r.status).toBe(200);
    const doc = JSON.parse(await r.text()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of ['/api/v1/submissions', '/api/v1/reviews', '/api/v1/extensions', '/api/v1/events', '/api/v1/directives', '/api/v1/inbox']) {
      expect(Object.keys(doc.paths), p).toContain(p);
    }
  });
});
