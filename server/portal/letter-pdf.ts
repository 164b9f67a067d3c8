/**
 * Văn bản đôn đốc dạng PDF (pdfkit): khổ A4, lề và cỡ chữ theo Nghị định 30/2020/NĐ-CP, phông Tinos
 * nhúng trong tệp (cùng số đo với Times New Roman; PDF phải mang theo phông của nó để dấu tiếng Việt
 * hiện đúng ở mọi máy).
 * The reminder letter as PDF (pdfkit): A4, Decree 30's margins and type sizes, with Tinos embedded
 * (Times New Roman's metrics; a PDF must carry its font, or the Vietnamese diacritics depend on the
 * reader's machine). The font ships in assets/fonts/ (SIL OFL 1.1).
 */
import { join } from 'node:path';
import { openSync, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import { ROOT } from '../../common/config.js';
import { LETTER_LAYOUT as L, type Letter } from './letter.js';

const FONTS = join(ROOT, 'assets', 'fonts');
const STYLES = { regular: 'Tinos-Regular', bold: 'Tinos-Bold', italic: 'Tinos-Italic', 'bold-italic': 'Tinos-BoldItalic' } as const;

/**
 * Phông được đọc một lần cho cả tiến trình: lần dàn chữ đầu tiên của mỗi phông tốn ~150 ms.
 * The fonts, parsed once per process (fontkit, pdfkit's own parser): the first layout with each
 * font reads its tables, ~150 ms a style, which every letter paid again when pdfkit got the paths
 * (~600 ms a PDF, ~40 ms with the fonts kept). Each document still embeds its own subset.
 */
let parsed: Record<keyof typeof STYLES, Font> | undefined;
function tinos(): Record<keyof typeof STYLES, Font> {
  parsed ??= Object.fromEntries(
    Object.entries(STYLES).map(([style, file]) => {
      const font = openSync(join(FONTS, `${file}.ttf`));
      if (!('layout' in font)) throw new Error(`${file}.ttf is a font collection, not a font`);
      return [style, font];
    }),
  ) as Record<keyof typeof STYLES, Font>;
  return parsed;
}
const MM = 72 / 25.4;
/** Extra space between the lines of a paragraph: about 1.15 line spacing at 14 pt (Decree 30: single to 1.5). */
const LINE_GAP = 2;

export function letterPdf(letter: Letter): Promise<Buffer> {
  const margins = { top: L.marginMm.top * MM, bottom: L.marginMm.bottom * MM, left: L.marginMm.left * MM, right: L.marginMm.right * MM };
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    // Pages are kept until the end so that the page numbers (from page 2 on) can be written last.
    bufferPages: true,
    lang: 'vi-VN',
    displayTitle: true,
    info: { Title: letter.meta.title, Author: letter.meta.author, Subject: letter.subject, Creator: 'chithi' },
  });
  // pdfkit takes a parsed fontkit font as it takes a file (0.20: "Accept already-parsed fontkit Font instances").
  for (const [style, font] of Object.entries(tinos())) doc.registerFont(style, font as unknown as PDFKit.Mixins.PDFFontSource);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const x0 = margins.left;
  const width = doc.page.width - margins.left - margins.right;
  const leftW = width * L.issuerColumn;
  const rightX = x0 + leftW;
  const rightW = width - leftW;
  const rule = (cx: number, y: number, w: number) => doc.moveTo(cx - w / 2, y).lineTo(cx + w / 2, y).lineWidth(0.6).stroke();

  // ---- header: the issuer (left) and the national name and motto (right), each with its rule
  let y = margins.top;
  doc.font('bold').fontSize(L.size.issuer);
  for (const line of letter.issuer) {
    doc.text(line, x0, y, { width: leftW, align: 'center' });
    y = doc.y;
  }
  const lastIssuer = Math.min(doc.widthOfString(letter.issuer.at(-1) ?? ''), leftW);
  // Under the issuer's name: a rule a third to a half as long as the line, centred.
  rule(x0 + leftW / 2, y + 2, Math.max(lastIssuer * 0.45, 40));
  const leftBottom = y + 2;

  doc.font('bold').fontSize(L.size.nation).text(letter.nation, rightX, margins.top, { width: rightW, align: 'center' });
  doc.fontSize(L.size.motto).text(letter.motto, rightX, doc.y, { width: rightW, align: 'center' });
  // Under the motto: a rule as long as the line.
  rule(rightX + rightW / 2, doc.y + 1, doc.widthOfString(letter.motto));
  const rightBottom = doc.y + 1;

  // ---- the number and the subject (left), on the line of the place and date (right)
  const row = Math.max(leftBottom, rightBottom) + 8;
  doc.font('regular').fontSize(L.size.number).text(letter.number, x0, row, { width: leftW, align: 'center' });
  doc.fontSize(L.size.subject).text(letter.subject, x0, doc.y + 2, { width: leftW, align: 'center' });
  const leftEnd = doc.y;
  doc.font('italic').fontSize(L.size.placeDate).text(letter.placeDate, rightX, row, { width: rightW, align: 'center' });
  y = Math.max(leftEnd, doc.y) + 18;

  // ---- Kính gửi
  doc.font('regular').fontSize(L.size.salutation).text(`${letter.salutation.label} ${letter.salutation.to}`, x0, y, { width, align: 'center' });
  doc.y += 10;

  // ---- body
  const paragraph = (p: string) =>
    doc.font('regular').fontSize(L.size.body).text(p, x0, doc.y, { width, align: 'justify', indent: L.indentMm * MM, lineGap: LINE_GAP, paragraphGap: L.paragraphAfterPt });
  letter.intro.forEach(paragraph);

  const cols = letter.table.columns;
  // The cells take the document's current font (a cell's own `font` overrides it: the header row's).
  doc.font('regular').fontSize(L.size.table);
  doc.table({
    position: { x: x0, y: doc.y + 2 },
    maxWidth: width,
    columnStyles: cols.map((c) => ({ width: c.width * width, align: { x: c.align, y: 'center' } })),
    defaultStyle: { padding: [3, 4, 3, 4], border: 0.6 },
    data: [
      cols.map((c) => ({ text: c.title, type: 'TH' as const, font: { src: 'bold', size: L.size.table }, align: { x: 'center' as const, y: 'center' as const } })),
      ...letter.table.rows,
    ],
  });
  doc.y += 8;
  letter.closing.forEach(paragraph);

  // ---- Nơi nhận (left) and the signature (right), kept together on one page
  const signatureSpace = 25 * MM;
  doc.font('bold').fontSize(L.size.signature);
  const blockHeight = (letter.signature.authority.length + 1) * doc.currentLineHeight(true) + signatureSpace;
  if (doc.y + 12 + blockHeight > doc.page.maxY()) doc.addPage();
  const top = doc.y + 12;
  doc.font('bold-italic').fontSize(L.size.copiesTitle).text(letter.copies.title, x0, top, { width: leftW });
  doc.font('regular').fontSize(L.size.copies);
  for (const line of letter.copies.lines) doc.text(line, x0, doc.y, { width: leftW });
  doc.font('bold').fontSize(L.size.signature);
  let sy = top;
  for (const line of letter.signature.authority) {
    doc.text(line, rightX, sy, { width: rightW, align: 'center' });
    sy = doc.y;
  }
  // The name stays blank: the signer writes it (a draft); the space above it is for the signature.
  if (letter.signature.name) doc.text(letter.signature.name, rightX, sy + signatureSpace, { width: rightW, align: 'center' });

  // ---- page numbers from the second page on, centred in the top margin (Decree 30)
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    doc.font('regular').fontSize(L.size.body).text(String(i + 1), x0, margins.top / 2, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}
