/**
 * How much of the Khmer PDF's text the stored extraction gives back word for word: the Khmer note
 * (tests/fixtures/khmer-hearing-note.pdf, printed by Chrome) against the text it was printed from (its .txt).
 * The words are the source's, as ICU's Khmer dictionary segments them; a word counts when it is found exactly as
 * written, in order, in the same line of the extracted text (the n-th line with Khmer in both).
 *
 * The goal is 95 %. 43 of 43 are found since each cluster's /ActualText is read (pdf-text/actual-text/); before,
 * 30 (69.8 %), and 18 (41.9 %) before Khmer was put in written order: 13 words hold a subscript other than ro, or a
 * vowel, that Chrome drew with a glyph its /ToUnicode map gives no text (U+0000), and their text is only in the
 * /ActualText of the marked-content span around the cluster, which pdf.js's getTextContent does not read. The test
 * holds the figure reached, so a change that loses a word fails.
 */
import '../../support/pdfjs-in-node';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const { extractPdfText } = await import('../../../renderer/src/documents/extract-text');
const { openPdf } = await import('../../../renderer/src/documents/viewers/pdfjs');

/** Words recovered now (of 43). */
const BEST_REACHED = 43;

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));
const khmerLines = (text: string) => text.split('\n').filter((line) => /[\u1780-\u17ff]/u.test(line));
const segmenter = new Intl.Segmenter('km', { granularity: 'word' });

/** The Khmer words of a line, in order. */
const khmerWords = (line: string) =>
  [...segmenter.segment(line)]
    .filter(({ segment, isWordLike }) => isWordLike && /[\u1780-\u17ff]/u.test(segment))
    .map(({ segment }) => segment);

/** The source line's words found in the extracted line, each looked for after the last one found; and the others. */
function recovered(source: string, extracted: string): { found: number; missing: string[] } {
  let found = 0;
  const missing: string[] = [];
  let from = 0;
  for (const word of khmerWords(source)) {
    const at = extracted.indexOf(word, from);
    if (at === -1) missing.push(word);
    else {
      found++;
      from = at + word.length;
    }
  }
  return { found, missing };
}

describe('Khmer from a PDF', () => {
  it('gives back the source text word for word (share measured, printed and held)', async () => {
    const source = khmerLines(fixture('khmer-hearing-note.txt').toString('utf8'));
    const text = await extractPdfText(new Uint8Array(fixture('khmer-hearing-note.pdf')));
    const extracted = khmerLines(text.pages.map((page) => page.text).join('\n'));
    expect(extracted).toHaveLength(source.length);
    const lines = source.map((line, index) => recovered(line, extracted[index]!));
    const total = source.reduce((sum, line) => sum + khmerWords(line).length, 0);
    const found = lines.reduce((sum, line) => sum + line.found, 0);
    const share = found / total;
    console.log(
      `Khmer words recovered exactly: ${found}/${total} (${(share * 100).toFixed(1)} %); missing: ${lines
        .flatMap((line) => line.missing)
        .join(' ')}`,
    );
    expect(total).toBe(43);
    expect(share).toBeGreaterThanOrEqual(0.95);
    expect(found).toBeGreaterThanOrEqual(BEST_REACHED);
    // Every Khmer line of the source is in the page's text exactly as written.
    for (const line of source) expect(text.pages[0]!.text).toContain(line.trim());
  });

  it('puts no space between pieces of Khmer that pdf.js returns apart', async () => {
    const bytes = fixture('khmer-hearing-note.pdf');
    const { promise, destroy } = openPdf(new Uint8Array(bytes));
    let items: string[];
    try {
      const content = await (await (await promise).getPage(1)).getTextContent();
      items = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''));
    } finally {
      await destroy();
    }
    const text = await extractPdfText(new Uint8Array(bytes));
    const spaces = (line: string) => line.match(/\s/gu)?.length ?? 0;
    // The page has Khmer items 0.2–0.4 em apart (where a subscript or a vowel is drawn): no space is added there.
    expect(spaces(text.pages[0]!.text)).toBe(spaces(items.join('')));
  });
});
