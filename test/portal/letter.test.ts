/**
 * Văn bản đôn đốc đơn vị chậm trễ (PDF và DOCX) qua máy chủ thật (inject): đọc lại nội dung tệp như
 * người nhận đọc nó — quốc hiệu, kính gửi, tên đơn vị, số chỉ thị, từng điểm quá hạn với hạn
 * dd/mm/yyyy và số ngày quá hạn; khổ A4, phông Tinos nhúng trong PDF, Times New Roman trong DOCX.
 * Cán bộ bị 403; đơn vị không có gì quá hạn nhận 409 với lời giải thích.
 * The reminder letter to a late unit, PDF and DOCX, through the server harness (inject) on the
 * fixture directive plus a clause due earlier for so-gd only, in a registry whose people's committee
 * has its full name (so the date line gets its place): the files are read back as their reader
 * would — the national motto, "Kính gửi", the unit's name, the directive's number, each overdue
 * clause with its due date (dd/mm/yyyy) and days overdue; A4; Tinos embedded in the PDF, Times New
 * Roman in the DOCX. An officer gets 403; a unit with nothing overdue 409 saying so. The dashboard
 * shows the links only to whoever may draft a letter, only for units with something overdue.
 * One sample of each is saved in .data/letters/ for a reviewer to open.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInstances } from '../../activities/store/instances.js';
import { DATA_DIR } from '../../common/config.js';
import type { Plan } from '../../compiler/plan.js';
import { deploy } from '../../service/deploy.js';
import { plannedInstances } from '../../service/instances.js';
import { buildLetter, dateWords, parseNumber, placeOf } from '../../server/portal/letter.js';
import { directiveYaml, REGISTRY_YAML } from '../client/fixtures.js';
import { startServerHarness, type ServerHarness } from '../server/harness.js';
import { pdfText } from './pdf-text.js';

const D = 'letter-directive';
const TZ = 'Asia/Ho_Chi_Minh';
// so-gd: late on 1.a (27/02/2026) and 1.e (30/01/2026); so-y-te on 1.a; so-tttt has 1.b only, due 2027.
const YAML = directiveYaml({ id: D, planAssignees: ['so-y-te', 'so-gd', 'so-tttt'] })
  .replace('registry: registry.yaml', 'registry: letter-registry.yaml')
  .replace(
    '  - id: report-attack\n',
    `  - id: budget
    clause: "1.e"
    title: { vi: "Báo cáo kinh phí", en: "Budget report" }
    assignees: [{ units: [so-gd] }]
    kind: deadline
    due: 2026-01-30
  - id: report-attack
`,
  );
const REGISTRY = REGISTRY_YAML.replace('name: { vi: "UBND tỉnh", en: "Provincial People\'s Committee" }', 'name: { vi: "Ủy ban nhân dân tỉnh Ninh Bình", en: "Ninh Binh Provincial People\'s Committee" }');

let h: ServerHarness;
let plan: Plan;
const t = {} as Record<'leadership' | 'author' | 'officer' | 'otherLeadership', string>;
const pdfOf = (unit: string) => `/tong-quan/${D}/don-vi/${unit}/don-doc.pdf`;
const docxOf = (unit: string) => `/tong-quan/${D}/don-vi/${unit}/don-doc.docx`;

/** Today on the directive's clock and the days from a due date to it, computed here, not by the server. */
const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
const daysLate = (due: string) => Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000);
const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');
const weekLater = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);

/** word/document.xml and its text (each paragraph and cell separated by a space, entities decoded). */
async function docx(body: Buffer): Promise<{ xml: string; text: string }> {
  const zip = await JSZip.loadAsync(body);
  const xml = await zip.file('word/document.xml')!.async('string');
  const text = xml
    .replace(/<\/w:p>|<\/w:tc>|<w:tab\/>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
  return { xml, text };
}

/** What the reader of so-gd's letter must find, in either format. */
function expectLetterToSoGd(text: string): void {
  expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
  expect(text).toContain('ỦY BAN NHÂN DÂN TỈNH NINH BÌNH');
  // The number blank for the clerk, with the symbol of the directive's issuer.
  expect(text).toMatch(/Số: +\/TEST /);
  expect(text).toContain('V/v đôn đốc thực hiện Chỉ thị số 1/CT-TEST');
  // Place from the issuer's name, date in words; a day below 10 and January/February take a zero.
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  expect(text).toContain(`Ninh Bình, ngày ${String(d).padStart(2, '0')} tháng ${m <= 2 ? `0${m}` : m} năm ${y}`);
  expect(text).toContain('Kính gửi: Sở Giáo dục và Đào tạo.');
  expect(text).toContain('Ngày 02/01/2026, Ủy ban nhân dân tỉnh Ninh Bình ban hành Chỉ thị số 1/CT-TEST về việc chỉ thị thử nghiệm');
  expect(text).toContain(`đến ngày ${ddmmyyyy(today)}, Sở Giáo dục và Đào tạo còn 2 nhiệm vụ đã quá thời hạn`);
  // The table: a row per overdue task, in the directive's clause order, due date and days overdue.
  expect(text).toContain('STT Điểm Nhiệm vụ Thời hạn Số ngày quá hạn');
  expect(text).toContain(`1 1.a Gửi thông tin đầu mối 27/02/2026 ${daysLate('2026-02-27')}`);
  expect(text).toContain(`2 1.e Báo cáo kinh phí 30/01/2026 ${daysLate('2026-01-30')}`);
  expect(text).not.toContain('Xây dựng kế hoạch 2027'); // in progress, not late
  expect(text).toContain(`báo cáo kết quả về Ủy ban nhân dân tỉnh Ninh Bình (qua Sở Thông tin và Truyền thông) trước ngày ${ddmmyyyy(weekLater)}`);
  expect(text).toContain('đôn đốc');
  expect(text).toContain('Đề nghị Sở Giáo dục và Đào tạo nghiêm túc thực hiện./.');
  expect(text).toContain('Nơi nhận: - Như trên; - Sở Thông tin và Truyền thông (để theo dõi); - Lưu: VT.');
  expect(text).toContain('TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH');
}

function save(name: string, body: Buffer): void {
  const dir = join(DATA_DIR, 'letters');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), body);
}

beforeAll(async () => {
  h = await startServerHarness();
  writeFileSync(join(h.dir, 'letter-registry.yaml'), REGISTRY);
  writeFileSync(join(h.dir, 'letter.yaml'), YAML);
  plan = await h.compile(join(h.dir, 'letter.yaml'));
  expect(plan.units.ubnd!.name.vi).toBe('Ủy ban nhân dân tỉnh Ninh Bình');
  await deploy(plan, { client: h.env.client, pool: h.db.pool, by: 'test' });
  await h.until('instances recorded', () => listInstances(h.db.pool, D), (rows) => rows.length >= plannedInstances(plan).length, 60_000);
  t.leadership = await h.account('lanh-dao.chu-tich', 'chu-tich', ['leadership']);
  t.author = await h.account('soan-thao', 'ubnd', ['author']);
  t.officer = await h.account('can-bo.so-gd', 'so-gd', ['officer']);
  // Leadership of a unit the directive does not name (named-in: no).
  t.otherLeadership = await h.account('lanh-dao.so-y-te', 'so-y-te', ['leadership']);
}, 180_000);

afterAll(async () => {
  await h?.close();
});

describe('the reminder letter (văn bản đôn đốc)', () => {
  it('as PDF: A4, Tinos embedded, and the letter a late unit must receive', async () => {
    const r = await h.request(t.leadership, 'GET', pdfOf('so-gd'));
    expect(r.statusCode, r.body.slice(0, 400)).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="don-doc-${D}-so-gd.pdf"`);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.rawPayload;
    save(`don-doc-${D}-so-gd.pdf`, body);
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');

    const { text, pages } = await pdfText(body);
    for (const view of pages) expect(view).toEqual([0, 0, 595.28, 841.89]);
    expectLetterToSoGd(text);

    // Every font the PDF uses is an embedded subset of Tinos: no standard font the reader would substitute.
    const fonts = [...body.toString('latin1').matchAll(/\/BaseFont \/([A-Z]{6}\+)?([\w-]+)/g)].map((m) => m[2]);
    expect(new Set(fonts)).toEqual(new Set(['Tinos-Regular', 'Tinos-Bold', 'Tinos-Italic', 'Tinos-BoldItalic']));
    expect(body.toString('latin1')).toMatch(/\/FontFile2 /);
  });

  it('as DOCX: A4, Decree 30 margins, Times New Roman, the same text', async () => {
    const r = await h.request(t.leadership, 'GET', docxOf('so-gd'));
    expect(r.statusCode, r.body.slice(0, 400)).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="don-doc-${D}-so-gd.docx"`);
    expect(r.headers['cache-control']).toBe('no-store');
    save(`don-doc-${D}-so-gd.docx`, r.rawPayload);

    const { xml, text } = await docx(r.rawPayload);
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    // 20 mm top and bottom, 30 mm left, 15 mm right, in twips.
    expect(xml).toMatch(/<w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701"/);
    expect(xml).toContain('w:ascii="Times New Roman"');
    expect(xml).not.toMatch(/w:ascii="(?!Times New Roman")/);
    expectLetterToSoGd(text);
  });

  it("lists only the addressed unit's overdue tasks", async () => {
    const { text } = await pdfText((await h.request(t.leadership, 'GET', pdfOf('so-y-te'))).rawPayload);
    expect(text).toContain('Kính gửi: Sở Y tế.');
    expect(text).toContain('Sở Y tế còn 1 nhiệm vụ đã quá thời hạn');
    expect(text).toContain(`1 1.a Gửi thông tin đầu mối 27/02/2026 ${daysLate('2026-02-27')}`);
    expect(text).not.toContain('Báo cáo kinh phí');
  });

  it('the policy author may draft it; an officer, even of the unit, and leadership not named in the directive get 403', async () => {
    expect((await h.request(t.author, 'GET', docxOf('so-gd'))).statusCode).toBe(200);
    for (const who of [t.officer, t.otherLeadership]) {
      for (const url of [pdfOf('so-gd'), docxOf('so-gd')]) {
        const r = await h.request(who, 'GET', url);
        expect(r.statusCode, url).toBe(403);
        expect(r.headers['content-type']).toMatch(/^text\/html/);
        expect(r.body).toContain('không được soạn văn bản đôn đốc đơn vị chậm trễ');
      }
    }
  });

  it('a unit with nothing overdue gets 409 and a page saying so; an unknown unit 404', async () => {
    for (const url of [pdfOf('so-tttt'), docxOf('so-tttt')]) {
      const r = await h.request(t.leadership, 'GET', url);
      expect(r.statusCode, url).toBe(409);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.body).toContain('Đơn vị không có nhiệm vụ quá hạn');
      expect(r.body).toContain('Sở Thông tin và Truyền thông không còn nhiệm vụ nào quá hạn');
    }
    expect((await h.request(t.leadership, 'GET', pdfOf('khong-co'))).statusCode).toBe(404);
  });

  it('the dashboard links to the letters only for whoever may draft them, only for late units', async () => {
    const unitPage = async (who: string, unit: string) => (await h.request(who, 'GET', `/tong-quan/${D}/don-vi/${unit}`)).body;
    const gd = await unitPage(t.leadership, 'so-gd');
    expect(gd).toContain(`href="${pdfOf('so-gd')}"`);
    expect(gd).toContain(`href="${docxOf('so-gd')}"`);
    expect(gd).toContain('Tạo văn bản đôn đốc (PDF)');
    expect(gd).toContain('Tạo văn bản đôn đốc (DOCX)');
    expect(await unitPage(t.leadership, 'so-tttt')).not.toContain('don-doc.');
    expect(await unitPage(t.officer, 'so-gd')).not.toContain('don-doc.');

    const directive = (await h.request(t.leadership, 'GET', `/tong-quan/${D}`)).body;
    const ranking = /<table id="ranking">[\s\S]*?<\/table>/.exec(directive)?.[0] ?? '';
    for (const unit of ['so-gd', 'so-y-te']) {
      expect(ranking).toContain(`href="${pdfOf(unit)}"`);
      expect(ranking).toContain(`href="${docxOf(unit)}"`);
    }
    expect(ranking).toContain('Văn bản đôn đốc');
    expect(directive).not.toContain(pdfOf('so-tttt'));
  });
});

describe('the letter model (server/portal/letter.ts)', () => {
  it('reads the document type and the issuer symbol from the number as Decree 30 writes it', () => {
    expect(parseNumber('24/CT-UBND')).toEqual({ type: 'Chỉ thị', issuer: 'UBND' });
    expect(parseNumber('3968/UBND-KGVX')).toEqual({ type: 'Văn bản', issuer: 'UBND', symbol: 'UBND-KGVX' });
    expect(parseNumber('12/KH-UBND').type).toBe('Kế hoạch');
  });

  it('takes the place from a people\'s committee\'s name, else leaves dots for the clerk', () => {
    expect(placeOf('Ủy ban nhân dân thành phố Hà Nội')).toBe('Hà Nội');
    expect(placeOf('UBND tỉnh Bình Thuận')).toBe('Bình Thuận');
    expect(placeOf('UBND tỉnh')).toBeUndefined();
    expect(placeOf('Sở Y tế')).toBeUndefined();
    const letter = buildLetter({ plan: { ...plan, units: { ...plan.units, ubnd: { ...plan.units.ubnd!, name: { vi: 'Văn phòng Chính phủ' }, kind: 'office' } } }, unitId: 'so-gd', tasks: [{ clause: '1.a', title: 'X', due: '2026-02-27', days: 3 }], today: '2026-03-02' });
    expect(letter.placeDate).toBe('……………, ngày 02 tháng 3 năm 2026');
    expect(letter.issuer).toEqual(['VĂN PHÒNG CHÍNH PHỦ']);
    expect(letter.signature.authority).toEqual(['KT. THỦ TRƯỞNG CƠ QUAN', 'PHÓ THỦ TRƯỞNG CƠ QUAN']);
  });

  it('writes dates in words with the leading zeros Decree 30 asks for', () => {
    expect(dateWords('2026-01-05')).toBe('ngày 05 tháng 01 năm 2026');
    expect(dateWords('2026-11-26')).toBe('ngày 26 tháng 11 năm 2026');
    expect(dateWords('2026-03-09')).toBe('ngày 09 tháng 3 năm 2026');
  });
});
