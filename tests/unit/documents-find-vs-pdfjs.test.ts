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
import { type FindOptions, findInPages, pageTextOf } from '../../renderer/src/documents/viewers/find-in-text';

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
  /** pdf.js's number of matches for a query, searched as its find bar searches. */
  pdfjsCount: (query: string, options?: FindOptions) => Promise<number>;
}

async function open(file: string): Promise<Opened> {
  const data = new Uint8Array(readFileSync(`tests/fixtures/${file}`));
  const loading = pdfjs.getDocument({ data, useSystemFonts: false });
  const document = await loading.promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(pageTextOf({ items: content.items.filter((item) => 'str' in item) }).text);
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
  return { loading, pages, pdfjsCount };
}

const ourCount = (pages: string[], query: string, options: FindOptions = {}) =>
  findInPages(pages, query, options, 100_000).length;

/** Queries where both finds must count the same. */
const SAME: [file: string, query: string, options?: FindOptions][] = [
  // Accents folded by default, and matched exactly when asked.
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'majeste'],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'LESE'],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'e'],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'é'],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'majeste', { matchDiacritics: true }],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'majesté', { matchDiacritics: true }],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'e', { matchDiacritics: true }],
  // Case.
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'cambodia'],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'cambodia', { matchCase: true }],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'Cambodia', { matchCase: true }],
  // Typographic apostrophes found by the one on the keyboard.
  ['hrn-statement-adhoc-defenders-2016-06-08.pdf', "Cambodia's"],
  // Words hyphenated across a line end.
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'rightsmonitoring'],
  ['hrn-statement-adhoc-defenders-2016-06-08.pdf', 'farreaching'],
  ['ipu-decision-cnrp-parliamentarians-2017-10-18.pdf', 'longstanding'],
  ['ipu-decision-cnrp-parliamentarians-2017-10-18.pdf', 'nondiscriminatory'],
  // Latin letters with accents pdf.js does not fold into plain ones (ŝ, ć decompose; both finds fold them).
  ['ipu-decision-cnrp-parliamentarians-2017-10-18.pdf', 'Milosevic'],
  // Runs of whitespace and line ends.
  ['hrn-statement-adhoc-defenders-2016-06-08.pdf', 'of human rights'],
  ['khmer-hearing-note.pdf', 'Criminal Code'],
  // Khmer the extraction kept whole, and Japanese (lines joined without a space).
  ['khmer-hearing-note.pdf', 'សវនាការ'],
  // pdf.js folds Khmer vowel signs away as diacritics ("ចាទ" for "ចោទ" drawn in visual order): so does the skeleton.
  ['khmer-hearing-note.pdf', 'ចោទ'],
  ['cjk-predefined-cmap.pdf', '公判'],
];

/** Queries where find deliberately finds more than pdf.js, and why. */
const MORE: [file: string, query: string, because: string][] = [
  // pdf.js extracts the word as "\0កម\0ពហ\0ទណ\0" (visual order, subscripts unmapped): its find sees no match.
  ['khmer-hearing-note.pdf', 'ក្រមព្រហ្មទណ្ឌ', 'Khmer is matched on its skeleton, as vault-wide search does'],
  // pdf.js drops the hyphen when it joins "long-⏎standing"; typed with its hyphen, the word is found only here.
  ['ipu-decision-cnrp-parliamentarians-2017-10-18.pdf', 'long-standing', 'a line-end hyphen may be typed or not'],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'rights-monitoring', 'a line-end hyphen may be typed or not'],
  ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'lèse-majesté', 'a line-end hyphen may be typed or not'],
  // Khmer digits are read as ASCII digits, as vault-wide search reads them.
  ['khmer-hearing-note.pdf', '494', 'Khmer digits count as digits'],
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
  it.each(SAME)('%s: "%s" %o — the same number of matches', async (file, query, options = {}) => {
    const { pages, pdfjsCount } = opened.get(file)!;
    const theirs = await pdfjsCount(query, options);
    expect(ourCount(pages, query, options)).toBe(theirs);
  });

  it.each(MORE)('%s: "%s" — more matches than pdf.js (%s)', async (file, query) => {
    const { pages, pdfjsCount } = opened.get(file)!;
    const theirs = await pdfjsCount(query);
    expect(ourCount(pages, query)).toBeGreaterThan(theirs);
  });

  it('finds ក្រមព្រហ្មទណ្ឌ in the Khmer PDF, and marks the whole word as pdf.js extracted it', () => {
    const { pages } = opened.get('khmer-hearing-note.pdf')!;
    const matches = findInPages(pages, 'ក្រមព្រហ្មទណ្ឌ');
    expect(matches).toHaveLength(1);
    const [match] = matches;
    expect(pages[0]!.slice(match!.start, match!.end)).toBe('\u0000កម\u0000ពហ\u0000ទណ\u0000');
    // Sign for sign, the extracted text has no such word.
    expect(findInPages(pages, 'ក្រមព្រហ្មទណ្ឌ', { matchDiacritics: true })).toEqual([]);
  });
});
