/**
 * The annotated copy as a reader sees it: pdf.js (the app's own PDF engine, in Node) reads the annotations back,
 * and pdf-lib compares the original's pages with the copy's. Fixtures: a Khmer PDF with a classic cross-reference
 * table, and a PDF written here with object streams and a cross-reference stream (as most PDFs made today are).
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import {
  PDFArray,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  StandardFonts,
  type PDFPage,
} from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { writeAnnotatedPdf, type PdfAnnotationSpec } from '../../../renderer/src/documents/annotated-copy';
import { loadBundledKhmerFonts } from '../../support/khmer-fonts';
import { readPdfPages } from '../../support/read-pdf';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const EARLIER = 'A note the PDF came with';
const NOTE = 'សាក្សីបាននិយាយថា ការសវនាការមិនបើកចំហ (the witness said the hearing was closed)';
const highlight: PdfAnnotationSpec = {
  page: 0,
  subtype: 'Highlight',
  rect: [72, 686, 172, 712],
  quadPoints: [72, 712, 172, 712, 72, 700, 172, 700, 72, 698, 112, 698, 72, 686, 112, 686],
  contents: NOTE,
  color: [1, 0.84, 0],
  name: 'a'.repeat(32),
  created: Date.UTC(2026, 0, 2),
  modified: Date.UTC(2026, 0, 3),
};
const region: PdfAnnotationSpec = {
  ...highlight,
  subtype: 'Square',
  rect: [100, 100, 250, 180],
  quadPoints: null,
  contents: 'Stamp of the court\n\n“តុលាការ”',
  name: 'b'.repeat(32),
};

async function writeCopy(original: Uint8Array, annotations: PdfAnnotationSpec[]) {
  const result = await writeAnnotatedPdf(
    {
      original: original.slice(),
      annotations,
      summary: [
        { style: 'title', text: 'Annotated copy' },
        { style: 'body', text: 'File name: សេចក្តីសម្រេច.pdf' },
        { style: 'mono', text: `SHA-256: ${sha256(original)}` },
        { style: 'body', text: 'A long line. '.repeat(40) },
      ],
      summaryNote: 'File name: សេចក្តីសម្រេច.pdf',
      author: 'Evidence Vault',
    },
    loadBundledKhmerFonts,
  );
  if (!result.ok) throw new Error(result.reason);
  return result;
}

function contentStreams(page: PDFPage): Uint8Array[] {
  const contents = page.node.Contents();
  const streams =
    contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  return streams.map((stream) => {
    if (!(stream instanceof PDFRawStream)) throw new Error('A content stream that is not raw.');
    return stream.getContents();
  });
}

/**
 * A PDF as most tools write them now: objects in object streams, a cross-reference stream; its first page already
 * has a note, in an /Annots array that is an object of its own (the copy must add to that array, not replace it).
 */
async function modernPdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.TimesRoman);
  for (const words of ['First page of the judgment', 'Second page']) {
    document.addPage([612, 792]).drawText(words, { x: 72, y: 700, size: 14, font });
  }
  const context = document.context;
  const earlier = context.register(
    context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [10, 10, 30, 30], Contents: PDFHexString.fromText(EARLIER) }),
  );
  document.getPage(0).node.set(PDFName.of('Annots'), context.register(context.obj([earlier])));
  return document.save({ useObjectStreams: true });
}

describe('writing an annotated copy', () => {
  it.each([
    ['khmer-hearing-note.pdf', () => fixture('khmer-hearing-note.pdf')],
    ['a PDF with a cross-reference stream', modernPdf],
  ])(
    '%s: the original is the copy’s first bytes; pdf.js reads the highlight, region and notes back',
    async (_, make) => {
      const original = await make();
      const copy = await writeCopy(original, [highlight, region]);
      expect(copy.written).toBe(2);
      expect(copy.sha256).toBe(sha256(copy.bytes));
      // The original, byte for byte, then the incremental update.
      expect(sha256(copy.bytes.subarray(0, original.byteLength))).toBe(sha256(original));

      const before = await PDFDocument.load(original);
      const after = await PDFDocument.load(copy.bytes);
      expect(after.getPageCount()).toBe(before.getPageCount() + 1);
      for (const [index, page] of before.getPages().entries())
        expect(contentStreams(after.getPage(index))).toEqual(contentStreams(page));

      const pages = await readPdfPages(copy.bytes);
      const first = pages[0]!.annotations;
      const read = first.find((annotation) => annotation.subtype === 'Highlight')!;
      expect(read.contentsObj.str).toBe(NOTE);
      expect([...read.rect]).toEqual(highlight.rect);
      expect(Array.from(read.quadPoints!)).toEqual(highlight.quadPoints);
      expect(read.titleObj.str).toBe('Evidence Vault');
      // What the page had before is still there.
      const before0 = (await readPdfPages(original))[0]!.annotations.map((annotation) => annotation.contentsObj.str);
      expect(first.map((annotation) => annotation.contentsObj.str)).toEqual([...before0, NOTE, region.contents]);
      const square = first.find((annotation) => annotation.subtype === 'Square')!;
      expect(square.contentsObj.str).toBe(region.contents);
      expect([...square.rect]).toEqual(region.rect);

      const summary = pages.at(-1)!;
      expect(summary.text).toContain(sha256(original));
      // The Khmer name in the bundled Khmer font, read back as written (the Latin around it in Helvetica).
      expect(summary.items.map((item) => item.str).join('')).toContain('File name: សេចក្តីសម្រេច.pdf');
      expect(summary.annotations.map((annotation) => [annotation.subtype, annotation.contentsObj.str])).toEqual([
        ['Text', 'File name: សេចក្តីសម្រេច.pdf'],
      ]);
    },
  );

  it('leaves out an annotation whose page is not in the PDF, and says so', async () => {
    const copy = await writeCopy(fixture('khmer-hearing-note.pdf'), [highlight, { ...region, page: 40 }]);
    expect([copy.written, copy.skipped]).toEqual([1, 1]);
  });

  it('refuses an encrypted PDF and one it cannot read, writing nothing', async () => {
    const write = (original: Uint8Array) =>
      writeAnnotatedPdf(
        { original, annotations: [highlight], summary: [], summaryNote: '', author: 'x' },
        loadBundledKhmerFonts,
      );
    expect(await write(fixture('password-khmer-aes256.pdf'))).toEqual({ ok: false, reason: 'encrypted' });
    expect(await write(fixture('encrypted-password-protected.pdf'))).toEqual({ ok: false, reason: 'encrypted' });
    expect(await write(fixture('corrupt-garbage.pdf'))).toEqual({ ok: false, reason: 'unreadable' });
  });
});
