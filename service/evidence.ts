import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { EvidenceRequirement, PlanObligation } from '../compiler/plan.js';
import type { EvidenceItemRef } from '../workflows/types.js';
import { UserError } from '../common/errors.js';

export interface EvidenceInput {
  /** `name=path`, or a bare path when the obligation asks for exactly one document. */
  files: string[];
  /** Field, link and attestation values by requirement name. */
  fields: [string, string][];
  /**
   * The media type each file was sent with, by its path as in `files` (the API's multipart parts);
   * the store keeps it only as far as the file's bytes agree (activities/media-type.ts).
   */
  mediaTypes?: Record<string, string>;
}

/** What the store receives: documents by path (it reads, hashes and size-checks them). */
export interface PreparedEvidence {
  items: { name: string; kind: EvidenceItemRef['kind']; value?: string; path?: string; mediaType?: string }[];
}

const FORMAT: Record<string, { test: (v: string) => boolean; vi: string; en: string }> = {
  text: { test: (v) => v.trim() !== '', vi: 'một đoạn chữ không rỗng', en: 'non-empty text' },
  email: { test: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), vi: 'một địa chỉ thư điện tử (ví dụ ten@so.example)', en: 'an e-mail address (e.g. name@dept.example)' },
  // Vietnamese numbers: 0xx… or +84xx…, 9 to 11 digits, with optional spaces, dots or dashes.
  phone: { test: (v) => /^(\+84|0)[\d .-]{8,14}$/.test(v.trim()) && (v.replace(/\D/g, '').length >= 9 && v.replace(/\D/g, '').length <= 12), vi: 'một số điện thoại (ví dụ 024 3825 1234 hoặc +84 912 345 678)', en: 'a phone number (e.g. 024 3825 1234 or +84 912 345 678)' },
  date: { test: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)), vi: 'một ngày dạng YYYY-MM-DD', en: 'a date YYYY-MM-DD' },
  number: { test: (v) => v.trim() !== '' && Number.isFinite(Number(v)), vi: 'một số', en: 'a number' },
  uri: { test: isUrl, vi: 'một địa chỉ URL (http/https)', en: 'a URL (http/https)' },
};

function isUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Giá trị hợp lệ cho từng định dạng trường, như cán bộ gõ: cho buổi diễn tập (service/rehearse.ts)
 * và các benchmark (bench/evidence.ts), một chỗ duy nhất.
 * Values that pass each field format, as an officer would type them: for rehearsals
 * (service/rehearse.ts) and the benchmarks (bench/evidence.ts), from one place.
 */
const SAMPLE: Record<string, string> = {
  text: 'Nguyễn Văn A',
  email: 'attt@unit.example',
  phone: '024 3825 1234',
  date: '2022-12-09',
  number: '1',
  uri: 'https://unit.example/bao-cao',
};

/** The value a unit gives for a field, link or attestation requirement (documents are files). */
export function sampleValue(r: Exclude<EvidenceRequirement, { kind: 'document' }>): string {
  if (r.kind === 'field') return SAMPLE[r.format] ?? 'x';
  if (r.kind === 'link') return 'https://unit.example/minh-chung';
  return 'yes';
}

const YES = new Set(['yes', 'true', '1', 'co', 'có', 'x']);

function fieldError(o: PlanObligation, name: string, vi: string, en: string): UserError {
  return new UserError({ vi: `Minh chứng "${name}" của nghĩa vụ ${o.id}: ${vi}`, en: `Evidence "${name}" of obligation ${o.id}: ${en}` });
}

function describe(reqs: EvidenceRequirement[]): string {
  return reqs.map((r) => `${r.name} (${r.kind}${r.required ? ', *' : ''})`).join(', ') || '—';
}

/** Checks the submission against the plan before anything is stored: a rejected input changes nothing. */
export function prepareEvidence(obligation: PlanObligation, input: EvidenceInput, cwd: string): PreparedEvidence {
  const reqs = obligation.evidence;
  const byName = new Map(reqs.map((r) => [r.name, r]));
  const items: PreparedEvidence['items'] = [];
  const given = new Set<string>();
  const unknown = (name: string) =>
    new UserError({
      vi: `Nghĩa vụ ${obligation.id} không yêu cầu minh chứng "${name}". Các minh chứng: ${describe(reqs)}`,
      en: `Obligation ${obligation.id} has no evidence "${name}". Evidence: ${describe(reqs)}`,
    });
  const once = (name: string) => {
    if (given.has(name)) throw fieldError(obligation, name, 'được nhập hai lần.', 'given twice.');
    given.add(name);
  };

  for (const raw of input.files) {
    const at = raw.indexOf('=');
    const named = at > 0 && byName.get(raw.slice(0, at))?.kind === 'document';
    let name: string;
    let path: string;
    if (!named && at > 0 && /^[a-z0-9-]+$/.test(raw.slice(0, at)) && !existsSync(resolve(cwd, raw))) {
      throw unknown(raw.slice(0, at));
    }
    if (named) {
      name = raw.slice(0, at);
      path = raw.slice(at + 1);
    } else {
      const docs = reqs.filter((r) => r.kind === 'document' && !given.has(r.name));
      if (docs.length !== 1 || !docs[0]) {
        throw new UserError({
          vi: `Hãy ghi rõ tệp dành cho minh chứng nào: --file <tên>=<đường-dẫn>. Các minh chứng tài liệu: ${describe(reqs.filter((r) => r.kind === 'document'))}`,
          en: `Say which evidence the file is for: --file <name>=<path>. Document evidence: ${describe(reqs.filter((r) => r.kind === 'document'))}`,
        });
      }
      name = docs[0].name;
      path = raw;
    }
    once(name);
    const full = resolve(cwd, path);
    let isFile = false;
    try {
      isFile = statSync(full).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) throw new UserError({ vi: `Không tìm thấy tệp: ${path}`, en: `File not found: ${path}` });
    const declared = input.mediaTypes?.[path];
    items.push({ name, kind: 'document', value: basename(full), path: full, ...(declared !== undefined && { mediaType: declared }) });
  }

  for (const [name, value] of input.fields) {
    const req = byName.get(name);
    if (!req) throw unknown(name);
    once(name);
    if (req.kind === 'document') {
      throw fieldError(obligation, name, 'là tài liệu; hãy nộp bằng --file.', 'is a document; submit it with --file.');
    }
    if (req.kind === 'field') {
      const f = FORMAT[req.format] ?? FORMAT.text!;
      if (!f.test(value)) throw fieldError(obligation, name, `cần ${f.vi} (nhận được: ${value}).`, `must be ${f.en} (got: ${value}).`);
    } else if (req.kind === 'link' && !isUrl(value)) {
      throw fieldError(obligation, name, `cần một địa chỉ URL (nhận được: ${value}).`, `must be a URL (got: ${value}).`);
    } else if (req.kind === 'attestation' && !YES.has(value.trim().toLowerCase())) {
      throw fieldError(obligation, name, 'là xác nhận; chỉ nhận giá trị yes/có.', 'is an attestation; only yes is accepted.');
    }
    items.push({ name, kind: req.kind, value: req.kind === 'attestation' ? 'yes' : value.trim() });
  }

  const missing = reqs.filter((r) => r.required && !given.has(r.name));
  if (missing.length > 0) {
    const first = missing[0]!;
    throw new UserError({
      vi: `Thiếu minh chứng bắt buộc "${first.name}" (${first.title.vi})${missing.length > 1 ? ` và ${missing.slice(1).map((m) => m.name).join(', ')}` : ''} của nghĩa vụ ${obligation.id}.`,
      en: `Missing required evidence "${first.name}" (${first.title.en ?? first.title.vi})${missing.length > 1 ? ` and ${missing.slice(1).map((m) => m.name).join(', ')}` : ''} of obligation ${obligation.id}.`,
    });
  }
  if (items.length === 0) {
    throw new UserError({ vi: `Chưa có minh chứng nào. Nghĩa vụ ${obligation.id} nhận: ${describe(reqs)}`, en: `No evidence given. Obligation ${obligation.id} takes: ${describe(reqs)}` });
  }
  return { items };
}
