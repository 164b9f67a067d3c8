/**
 * Văn bản đôn đốc dạng DOCX (thư viện docx), để văn phòng sửa rồi trình ký: khổ A4, lề và cỡ chữ theo
 * Nghị định 30/2020/NĐ-CP, phông "Times New Roman" (máy có Word đều có sẵn; tệp không nhúng phông).
 * The reminder letter as DOCX (the docx library), for the office to edit before it is signed: A4,
 * Decree 30's margins and type sizes, font "Times New Roman" named on every run (every Word
 * installation has it; the file embeds no font, unlike the PDF).
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IBorderOptions,
  type IRunOptions,
} from 'docx';
import { LETTER_LAYOUT as L, type Letter } from './letter.js';

const FONT = 'Times New Roman';
/** Millimetres to twips, rounded up: a 20 mm margin must not come out as 19.99 mm. */
const twip = (mm: number) => Math.ceil((mm * 1440) / 25.4);
/** A4 in twips, as Word writes it (w:pgSz w:w="11906" w:h="16838"). */
const A4 = { width: 11906, height: 16838 };
const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'auto' };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };
const LINE: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: '000000' };

/** A run in the letter's font at a size in points (docx counts half-points). */
function run(text: string, size: number, style: Pick<IRunOptions, 'bold' | 'italics' | 'underline'> = {}): TextRun {
  return new TextRun({ text, size: size * 2, font: FONT, ...style });
}

function centred(text: string, size: number, style: Pick<IRunOptions, 'bold' | 'italics' | 'underline'> = {}, after = 0): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 0, after: after * 20 }, children: [run(text, size, style)] });
}

/** A short rule under the issuer's name: a third to a half of the line, centred (a bordered empty paragraph, indented). */
function shortRule(columnTwips: number): Paragraph {
  const indent = Math.round(columnTwips * 0.32);
  return new Paragraph({ indent: { left: indent, right: indent }, spacing: { before: 60, after: 120, line: 120, lineRule: 'exact' }, border: { top: LINE }, children: [] });
}

export function letterDocx(letter: Letter): Promise<Buffer> {
  const textTwips = A4.width - twip(L.marginMm.left) - twip(L.marginMm.right);
  const leftTwips = Math.round(textTwips * L.issuerColumn);
  const rightTwips = textTwips - leftTwips;
  const cell = (children: Paragraph[], w: number) => new TableCell({ children, width: { size: w, type: WidthType.DXA }, borders: { top: NONE, bottom: NONE, left: NONE, right: NONE } });
  const twoColumns = (rows: [Paragraph[], Paragraph[]][]) =>
    new Table({
      width: { size: textTwips, type: WidthType.DXA },
      columnWidths: [leftTwips, rightTwips],
      layout: TableLayoutType.FIXED,
      borders: NO_BORDERS,
      rows: rows.map(([l, r]) => new TableRow({ children: [cell(l, leftTwips), cell(r, rightTwips)] })),
    });

  // ---- header: issuer | national name and motto; number and subject | place and date
  const header = twoColumns([
    [
      [...letter.issuer.map((line) => centred(line, L.size.issuer, { bold: true })), shortRule(leftTwips)],
      // The motto is underlined over its whole length: the rule Decree 30 draws under it.
      [centred(letter.nation, L.size.nation, { bold: true }), centred(letter.motto, L.size.motto, { bold: true, underline: {} }, 6)],
    ],
    [
      [centred(letter.number, L.size.number, {}, 2), centred(letter.subject, L.size.subject)],
      [centred(letter.placeDate, L.size.placeDate, { italics: true })],
    ],
  ]);

  const body = (text: string) =>
    new Paragraph({
      alignment: AlignmentType.JUSTIFIED,
      indent: { firstLine: twip(L.indentMm) },
      spacing: { before: 0, after: L.paragraphAfterPt * 20, line: 276 },
      children: [run(text, L.size.body)],
    });

  const cols = letter.table.columns;
  const colTwips = cols.map((c) => Math.round(c.width * textTwips));
  const align = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;
  const tableCell = (text: string, i: number, head: boolean) =>
    new TableCell({
      width: { size: colTwips[i]!, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins: { top: 40, bottom: 40, left: 80, right: 80 },
      children: [new Paragraph({ alignment: head ? AlignmentType.CENTER : align[cols[i]!.align], children: [run(text, L.size.table, { bold: head })] })],
    });
  const tasks = new Table({
    width: { size: textTwips, type: WidthType.DXA },
    columnWidths: colTwips,
    layout: TableLayoutType.FIXED,
    rows: [
      // The header row repeats on each page the table runs over.
      new TableRow({ tableHeader: true, cantSplit: true, children: cols.map((c, i) => tableCell(c.title, i, true)) }),
      ...letter.table.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((t, i) => tableCell(t, i, false)) })),
    ],
  });

  // ---- Nơi nhận | signature
  const blank = () => centred('', L.size.signature);
  const closingBlock = twoColumns([
    [
      [
        new Paragraph({ spacing: { before: 0, after: 0 }, children: [run(letter.copies.title, L.size.copiesTitle, { bold: true, italics: true })] }),
        ...letter.copies.lines.map((line) => new Paragraph({ spacing: { before: 0, after: 0 }, children: [run(line, L.size.copies)] })),
      ],
      [
        ...letter.signature.authority.map((line) => centred(line, L.size.signature, { bold: true })),
        // Space for the signature, then the signer's name (blank in a draft).
        blank(),
        blank(),
        blank(),
        blank(),
        centred(letter.signature.name, L.size.signature, { bold: true }),
      ],
    ],
  ]);

  const doc = new Document({
    creator: 'chithi',
    title: letter.meta.title,
    subject: letter.subject,
    description: letter.meta.title,
    styles: { default: { document: { run: { font: FONT, size: L.size.body * 2, language: { value: 'vi-VN' } } } } },
    sections: [
      {
        properties: {
          page: {
            size: A4,
            margin: { top: twip(L.marginMm.top), bottom: twip(L.marginMm.bottom), left: twip(L.marginMm.left), right: twip(L.marginMm.right), header: twip(10), footer: twip(10) },
          },
          // Page numbers from the second page on, centred at the top (Decree 30): the first page's header is empty.
          titlePage: true,
        },
        headers: {
          first: new Header({ children: [] }),
          default: new Header({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: L.size.body * 2 })] })] }),
        },
        children: [
          header,
          new Paragraph({ spacing: { before: 240, after: 240 }, alignment: AlignmentType.CENTER, children: [run(`${letter.salutation.label} ${letter.salutation.to}`, L.size.salutation)] }),
          ...letter.intro.map(body),
          tasks,
          new Paragraph({ spacing: { before: 0, after: 120 }, children: [] }),
          ...letter.closing.map(body),
          new Paragraph({ spacing: { before: 0, after: 120 }, children: [] }),
          closingBlock,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
