/**
 * Chữ của một tệp PDF, đọc như người đọc nó (pdfjs-dist, bản legacy chạy trên Node).
 * A PDF's text as its reader reads it (pdfjs-dist's legacy build, which runs on Node), for the
 * tests of the reminder letter: each run of whitespace (line ends, table cell gaps) as one space.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export async function pdfText(body: Uint8Array): Promise<{ text: string; pages: number[][] }> {
  const pdf = await getDocument({ data: new Uint8Array(body), disableFontFace: true, useSystemFonts: false, isEvalSupported: false }).promise;
  let text = '';
  const pages: number[][] = [];
  for (let i = 1; i <= pdf.numPages; i += 1) {
    const page = await pdf.getPage(i);
    pages.push(page.view);
    const content = await page.getTextContent();
    // A line ending in "-" or "/" goes on with the next line's word: pdfkit may break a number like
    // "1/CT-TEST" after its slash or hyphen (as Word breaks after a hyphen) and adds no hyphen of its
    // own (no hyphenation), so the character is the text's and the reader reads one word.
    for (const x of content.items) if ('str' in x) text += x.str + (x.hasEOL && /[-/]$/.test(x.str) ? '' : ' ');
  }
  await pdf.destroy();
  return { text: text.replace(/\s+/g, ' '), pages };
}
