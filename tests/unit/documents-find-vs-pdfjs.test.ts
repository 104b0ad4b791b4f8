/**
 * Find in document against pdf.js's own find (the PDFFindController of
 * pdf.js's viewer, the find bar of Firefox's PDF viewer), run on the same
 * fixture PDFs with the same queries. pdf.js runs in Node: its legacy build,
 * with the few browser globals its viewer module touches when it loads
 * stubbed (no page is drawn), a link service that is only a page count, and
 * matches counted once every page is searched.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageTextOf } from '../../renderer/src/documents/pdf-text';
import { type FindOptions, findInPages } from '../../renderer/src/documents/viewers/find-in-text';

// Node 20 has neither; pdf.js's API uses the first, its viewer module reads the others when it loads.
const promiseStatics = Promise as unknown as { withResolvers?: () => unknown };
promiseStatics.withResolvers ??= () => {
  let resolve!: (value: unknown) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
};
Object.assign(globalThis, {
  document: { documentElement: { style: {} }, createElement: () => ({ style: {} }) },
  window: { requestAnimationFrame: () => 0 },
});

const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
Object.assign(globalThis, { pdfjsLib: pdfjs });
const { EventBus, PDFFindController } = await import('pdfjs-dist/legacy/web/pdf_viewer.mjs');

type PdfLoading = ReturnType<typeof pdfjs.getDocument>;

interface Opened {
  loading: PdfLoading;
  /** Each page's text as the app extracts it for find (use-pdf-page-texts.ts). */
  pages: string[];
  /** Each page's text as pdf.js's find extracts it: without pdf.js's own normalisation (of ligatures, for one). */
  rawPages: string[];
  /** pdf.js's number of matches for a query, searched as its find bar searches. */
  pdfjsCount: (query: string, options?: FindOptions) => Promise<number>;
}

async function open(file: string): Promise<Opened> {
  const data = new Uint8Array(readFileSync(`tests/fixtures/${file}`));
  const loading = pdfjs.getDocument({
    data,
    useSystemFonts: false,
    // What the app bundles under /pdfjs/, read from the package here.
    cMapUrl: 'node_modules/pdfjs-dist/cmaps/',
    cMapPacked: true,
    standardFontDataUrl: 'node_modules/pdfjs-dist/standard_fonts/',
  });
  const document = await loading.promise;
  const pages: string[] = [];
  const rawPages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const page = await document.getPage(number);
    const content = await page.getTextContent();
    pages.push(pageTextOf({ items: content.items.filter((item) => 'str' in item) }).text);
    const raw = await page.getTextContent({ disableNormalization: true });
    rawPages.push(pageTextOf({ items: raw.items.filter((item) => 'str' in item) }).text);
  }
  const eventBus = new EventBus();
  const finder = new PDFFindController({
    linkService: { pagesCount: document.numPages, page: 1 } as never,
    eventBus,
    delay: 0,
    // Counts are announced once, after the last page is searched.
    updateMatchesCountOnProgress: false,
  });
  finder.setDocument(document);
  const pdfjsCount = (query: string, options: FindOptions = {}) =>
    new Promise<number>((resolve) => {
      const counted = ({ matchesCount }: { matchesCount: { total: number } }) => {
        eventBus.off('updatefindmatchescount', counted);
        resolve(matchesCount.total);
      };
      eventBus.on('updatefindmatchescount', counted);
      // Type "" is a new query typed in the find bar: it always searches again.
      eventBus.dispatch('find', {
        source: null,
        type: '',
        query,
        caseSensitive: options.matchCase ?? false,
        matchDiacritics: options.matchDiacritics ?? false,
        entireWord: false,
        highlightAll: true,
        findPrevious: false,
      });
    });
  return { loading, pages, rawPages, pdfjsCount };
}

const ourCount = (pages: string[], query: string, options: FindOptions = {}) =>
  findInPages(pages, query, options, 100_000).length;

/** Queries where both finds must count the same, and that count (what pdf.js 6.5.438 counted: a change in either shows). */
const SAME: [file: string, query: string, options: FindOptions, count: number][] = [
  // Accents folded by default, and matched exactly when asked.
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'majeste', {}, 4],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'LESE', {}, 4],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'e', {}, 4814],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'é', {}, 4814],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'majeste', { matchDiacritics: true }, 0],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'majesté', { matchDiacritics: true }, 4],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'e', { matchDiacritics: true }, 4806],
  // Case.
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'cambodia', {}, 77],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'cambodia', { matchCase: true }, 8],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'Cambodia', { matchCase: true }, 69],
  // Typographic apostrophes found by the one on the keyboard.
  ['hrn-statement-adhoc-defenders-2016-06-08.pdf', "Cambodia's", {}, 7],
  // Words hyphenated across a line end.
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'rightsmonitoring', {}, 1],
  ['hrn-statement-adhoc-defenders-2016-06-08.pdf', 'farreaching', {}, 1],
  ['ipu-decision-cnrp-parliamentarians-2017-10-18.pdf', 'longstanding', {}, 1],
  ['ipu-decision-cnrp-parliamentarians-2017-10-18.pdf', 'nondiscriminatory', {}, 1],
  // Other Latin accents ("Miloŝević").
  ['ipu-decision-cnrp-parliamentarians-2017-10-18.pdf', 'Milosevic', {}, 3],
  // Runs of whitespace and line ends.
  ['hrn-statement-adhoc-defenders-2016-06-08.pdf', 'of human rights', {}, 11],
  ['khmer-hearing-note.pdf', 'Criminal Code', {}, 1],
  // Khmer the extraction kept whole.
  ['khmer-hearing-note.pdf', 'សវនាការ', {}, 3],
  // pdf.js folds Khmer vowel signs away as diacritics ("ចាទ" for "ចោទ" drawn in visual order): so does the skeleton.
  ['khmer-hearing-note.pdf', 'ចោទ', {}, 3],
  ['cjk-predefined-cmap.pdf', '公判', {}, 1],
  ['cjk-predefined-cmap.pdf', '公判記録', {}, 1],
  // Japanese wraps without a space: the end of one line runs on into the next.
  ['cjk-predefined-cmap.pdf', '記録証人', {}, 1],
  // Compatibility forms, folded by NFKC in both: the "ﬁ" ligature, Arabic presentation forms, full-width Latin.
  ['compatibility-forms.pdf', 'final', {}, 1],
  ['compatibility-forms.pdf', 'ﬁnal', {}, 1],
  ['compatibility-forms.pdf', 'باب', {}, 1],
  ['compatibility-forms.pdf', 'ﺑﺎﺏ', {}, 1],
  ['compatibility-forms.pdf', 'لا', {}, 1],
  ['compatibility-forms.pdf', 'abc', {}, 1],
  ['compatibility-forms.pdf', 'ＡＢＣ', {}, 1],
  // An accent stored as a combining mark, and Arabic harakat: folded by default, matched when asked.
  ['compatibility-forms.pdf', 'cafe', {}, 1],
  ['compatibility-forms.pdf', 'café', {}, 1],
  ['compatibility-forms.pdf', 'cafe', { matchDiacritics: true }, 0],
  ['compatibility-forms.pdf', 'café', { matchDiacritics: true }, 1],
  ['compatibility-forms.pdf', 'كتاب', {}, 1],
  ['compatibility-forms.pdf', 'كتاب', { matchDiacritics: true }, 0],
  ['compatibility-forms.pdf', 'كِتاب', { matchDiacritics: true }, 1],
  ['compatibility-forms.pdf', 'evidence', {}, 1],
];

/** Queries where find deliberately finds more than pdf.js, and why. */
const MORE: [file: string, query: string, pdfjsCount: number, ourCount: number, because: string][] = [
  // pdf.js extracts the word as "\0កម\0ពហ\0ទណ\0" (visual order, subscripts unmapped): its find sees no match.
  ['khmer-hearing-note.pdf', 'ក្រមព្រហ្មទណ្ឌ', 0, 1, 'Khmer is matched on its skeleton, as vault-wide search does'],
  // pdf.js drops the hyphen when it joins "long-⏎standing"; typed with its hyphen, the word is found only here.
  ['ipu-decision-cnrp-parliamentarians-2017-10-18.pdf', 'long-standing', 0, 1, 'a line-end hyphen may be typed'],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'rights-monitoring', 0, 1, 'a line-end hyphen may be typed'],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'lèse-majesté', 3, 4, 'a line-end hyphen may be typed'],
  // Khmer digits are read as ASCII digits, as vault-wide search reads them ("៤៩៤" and "494").
  ['khmer-hearing-note.pdf', '494', 1, 2, 'Khmer digits count as digits'],
];

const files = [...new Set([...SAME, ...MORE].map(([file]) => file))];
const opened = new Map<string, Opened>();

beforeAll(async () => {
  for (const file of files) opened.set(file, await open(file));
}, 60_000);
afterAll(async () => {
  for (const { loading } of opened.values()) await loading.destroy();
});

describe('find in document against pdf.js’s find controller', () => {
  it.each(SAME)('%s: "%s" %o — %i matches, as in pdf.js', async (file, query, options, count) => {
    const { pages, rawPages, pdfjsCount } = opened.get(file)!;
    expect(await pdfjsCount(query, options)).toBe(count);
    expect(ourCount(pages, query, options)).toBe(count);
    // The same on the text pdf.js's find reads (no ligature expanded by pdf.js first): NFKC is find's own.
    expect(ourCount(rawPages, query, options)).toBe(count);
  });

  it.each(MORE)('%s: "%s" — %i matches in pdf.js, %i here (%s)', async (file, query, theirs, ours) => {
    const { pages, rawPages, pdfjsCount } = opened.get(file)!;
    expect(await pdfjsCount(query)).toBe(theirs);
    expect(ourCount(pages, query)).toBe(ours);
    expect(ourCount(rawPages, query)).toBe(ours);
  });

  it('finds ក្រមព្រហ្មទណ្ឌ in the Khmer PDF, and marks the whole word as it is extracted', () => {
    const { pages } = opened.get('khmer-hearing-note.pdf')!;
    const matches = findInPages(pages, 'ក្រមព្រហ្មទណ្ឌ');
    expect(matches).toHaveLength(1);
    const [match] = matches;
    // In written order, with the subscript ro (drawn left of its consonant, U+0000 in the PDF's text) put back; the
    // other subscripts are not in the PDF's text.
    expect(pages[0]!.slice(match!.start, match!.end)).toBe('ក្រមព្រហទណ');
    // Sign for sign, the extracted text has no such word.
    expect(findInPages(pages, 'ក្រមព្រហ្មទណ្ឌ', { matchDiacritics: true })).toEqual([]);
  });
});
