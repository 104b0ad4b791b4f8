/**
 * The annotated copy's summary page in Khmer: what pdf.js (the app's PDF engine, in Node) reads back from it, and
 * how the Khmer font is in the file. What it looks like is checked in Chromium (tests/e2e/khmer-summary-render.spec.ts).
 */
import { readFileSync } from 'node:fs';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFStream,
  type PDFObject,
} from '@cantoo/pdf-lib';
import { describe, expect, it, vi } from 'vitest';
import { writeAnnotatedPdf, type SummaryLine } from '../../../renderer/src/documents/annotated-copy';
import { loadBundledKhmerFonts } from '../../support/khmer-fonts';
import { readPdfPages, type ReadTextItem } from '../../support/read-pdf';

const original = new Uint8Array(readFileSync(new URL('../../fixtures/khmer-hearing-note.pdf', import.meta.url)));
const A4_WIDTH = 595.28;
const MARGIN = 56;
const NOTE = 'ក្រមព្រហ្មទណ្ឌ មាត្រា ៤៩៤ (the criminal code)';

// Coeng subscripts (ក្រ, ព្រ, ហ្ម, ណ្ឌ, ស្ត្រ), pre-base vowels (េ ែ ៀ), split vowels (ោ ើ), marks above and below.
const WORDS = 'ក្រមព្រហ្មទណ្ឌ ស្រី កម្ពុជា ស្ត្រី ប៉ុន្តែ សៀវភៅ ទោស កើត ខ្មែរ';
const LONG = 'សាក្សីបាននិយាយថាការសវនាការមិនបើកចំហ'.repeat(8);
const SUMMARY: SummaryLine[] = [
  { style: 'title', text: 'ច្បាប់ចម្លងមានសម្គាល់' },
  { style: 'heading', text: 'ប្រភពដើម' },
  { style: 'body', text: WORDS },
  { style: 'body', text: `File name: សេចក្តីសម្រេច.pdf, ${WORDS.slice(0, 14)} and Latin` },
  { style: 'mono', text: '#7  2026-01-02 09:30 UTC  បានបន្ថែម  ឯកសារ  0123456789abcdef' },
  { style: 'body', text: LONG },
];

async function write(summary: readonly SummaryLine[], fonts = loadBundledKhmerFonts) {
  const result = await writeAnnotatedPdf(
    {
      original: original.slice(),
      annotations: [
        {
          page: 0,
          subtype: 'Square',
          rect: [100, 100, 250, 180],
          quadPoints: null,
          contents: NOTE,
          color: [1, 0, 0],
          name: 'c'.repeat(32),
          created: Date.UTC(2026, 0, 2),
          modified: Date.UTC(2026, 0, 2),
        },
      ],
      summary,
      summaryNote: summary.map((line) => line.text).join('\n'),
      author: 'Evidence Vault',
    },
    fonts,
  );
  if (!result.ok) throw new Error(result.reason);
  return result.bytes;
}

/** The page's text line by line (items on one baseline, top to bottom), as a reader copies it. */
function lines(items: readonly ReadTextItem[]): { text: string; right: number }[] {
  const byBaseline = new Map<number, ReadTextItem[]>();
  for (const item of items) {
    const y = Math.round(item.y * 10);
    byBaseline.set(y, [...(byBaseline.get(y) ?? []), item]);
  }
  return [...byBaseline.entries()]
    .sort(([a], [b]) => b - a)
    .map(([, row]) => ({
      text: row.map((item) => item.str).join(''),
      right: Math.max(...row.map((item) => item.x + item.width)),
    }))
    .filter((line) => line.text !== '');
}

/** The Type 0 fonts of a page's resources, with their descendant CIDFont. */
function type0Fonts(document: PDFDocument, pageIndex: number) {
  const dict = (value: PDFObject | undefined) => document.context.lookup(value, PDFDict);
  const fonts = dict(document.getPage(pageIndex).node.Resources()!.get(PDFName.of('Font')));
  return fonts
    .values()
    .map(dict)
    .filter((font) => font.get(PDFName.of('Subtype')) === PDFName.of('Type0'))
    .map((font) => {
      const descendant = dict(document.context.lookup(font.get(PDFName.of('DescendantFonts')), PDFArray).get(0));
      const descriptor = dict(descendant.get(PDFName.of('FontDescriptor')));
      const fontFile = document.context.lookup(descriptor.get(PDFName.of('FontFile2')), PDFStream);
      return {
        baseFont: font.get(PDFName.of('BaseFont'))!.toString(),
        subtype: descendant.get(PDFName.of('Subtype'))!.toString(),
        fontFileLength: document.context.lookup(fontFile.dict.get(PDFName.of('Length1')), PDFNumber).asNumber(),
        toUnicode: document.context.lookup(font.get(PDFName.of('ToUnicode'))) instanceof PDFRawStream,
      };
    });
}

describe('the summary page in Khmer', () => {
  it('reads back as written, line by line: Khmer, Khmer beside Latin, a long Khmer line wrapped inside the margins', async () => {
    const copy = await write(SUMMARY);
    const summary = (await readPdfPages(copy)).at(-1)!;
    const read = lines(summary.items);

    // pdf.js takes each glyph's text from the font's ToUnicode: every cluster in logical order, nothing doubled
    // (and, as for any text, it reads a run of spaces as one).
    expect(read.slice(0, 5).map((line) => line.text)).toEqual(
      SUMMARY.slice(0, 5).map((line) => line.text.replace(/ +/gu, ' ')),
    );
    // The long line: several lines, broken between Khmer words, the whole text kept.
    const wrapped = read.slice(5).map((line) => line.text);
    expect(wrapped.length).toBeGreaterThan(2);
    expect(wrapped.join('')).toBe(LONG);
    for (const line of read) expect(line.right).toBeLessThanOrEqual(A4_WIDTH - MARGIN + 0.5);
  });

  it('embeds the bundled Khmer font as a subset, once per weight, and no Khmer font for a Latin-only page', async () => {
    const copy = await PDFDocument.load(await write(SUMMARY));
    const fonts = type0Fonts(copy, copy.getPageCount() - 1);
    const byName = (font: { baseFont: string }) => font.baseFont.split('+')[1];
    expect(fonts.sort((a, b) => byName(a)!.localeCompare(byName(b)!)).map((font) => font.baseFont)).toEqual([
      expect.stringMatching(/^\/[A-Z]{6}\+NotoSansKhmer-Bold$/),
      expect.stringMatching(/^\/[A-Z]{6}\+NotoSansKhmer-Regular$/),
    ]);
    const { regular } = await loadBundledKhmerFonts();
    for (const font of fonts) {
      expect(font.subtype).toBe('/CIDFontType2');
      expect(font.toUnicode).toBe(true);
      // A subset: a fraction of the bundled font (its WOFF file, compressed, is smaller than the font itself).
      expect(font.fontFileLength).toBeLessThan(regular.byteLength / 2);
    }

    const load = vi.fn(loadBundledKhmerFonts);
    const latin = await PDFDocument.load(await write([{ style: 'body', text: 'File name: judgment.pdf' }], load));
    expect(load).not.toHaveBeenCalled();
    expect(type0Fonts(latin, latin.getPageCount() - 1)).toEqual([]);
  });

  it('keeps the notes as UTF-16BE text strings, which readers shape themselves', async () => {
    const copy = await PDFDocument.load(await write(SUMMARY));
    const annots = copy.getPage(0).node.Annots()!;
    const note = copy.context.lookup(annots.get(annots.size() - 1), PDFDict);
    const contents = note.get(PDFName.of('Contents'));
    expect(contents).toBeInstanceOf(PDFHexString);
    // The byte-order mark of UTF-16BE (ISO 32000-1 §7.9.2.2), then ក (U+1780).
    expect((contents as PDFHexString).asString().slice(0, 8).toUpperCase()).toBe('FEFF1780');
    expect((contents as PDFHexString).decodeText()).toBe(NOTE);
  });
});
