/**
 * How text is cut into search terms, the same way for what is indexed and
 * for what is typed: NFKC; no U+0000 (pdf.js puts it inside Khmer clusters)
 * or format characters; Latin case and diacritics folded; Khmer digits read
 * as ASCII digits; words found by ICU's segmenter with the Khmer locale,
 * which splits unspaced Khmer runs into dictionary words.
 */
const segmenter = new Intl.Segmenter('km', { granularity: 'word' });

const KHMER_ZERO = 0x17e0;

export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .replaceAll(String.fromCharCode(0), '')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .replace(/[\u17e0-\u17e9]/g, (digit) => String(digit.charCodeAt(0) - KHMER_ZERO));
}

export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(normaliseForSearch(text)))
    if (isWordLike) terms.push(segment);
  return terms;
}

const COENG = 0x17d2;
const isKhmerLetter = (code: number) => code >= 0x1780 && code <= 0x17b3;
/** Signs, vowels and the coeng that sit on a consonant, and what pdf.js leaves for glyphs it cannot map. */
const isKhmerMark = (code: number) =>
  (code >= 0x17b4 && code <= 0x17d3) || code === 0x17dd || code === 0 || /[\s\p{Cf}]/u.test(String.fromCodePoint(code));

/**
 * Khmer text reduced to its skeleton, run by run: base consonants and
 * independent vowels only (no subscripts, dependent vowels, spaces or U+0000).
 * pdf.js often returns Khmer in visual order, with spaces between clusters
 * and U+0000 for subscripts; the skeleton of what it returns still equals the
 * skeleton of the word typed. Runs are separated by a space.
 */
export function khmerSkeleton(text: string): string {
  let out = '';
  let afterCoeng = false;
  let inRun = false;
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0)!;
    if (afterCoeng) {
      afterCoeng = false;
      if (isKhmerLetter(code)) continue;
    }
    if (code === COENG) {
      afterCoeng = true;
      continue;
    }
    if (isKhmerLetter(code)) {
      out += char;
      inRun = true;
    } else if (isKhmerMark(code)) continue;
    else if (inRun) {
      out += ' ';
      inRun = false;
    }
  }
  return out.trim();
}

/** Overlapping three-letter pieces of each skeleton run (a short run is its own piece). */
export function skeletonTrigrams(skeleton: string): string[] {
  const grams: string[] = [];
  for (const run of skeleton.split(' ')) {
    const letters = [...run];
    if (letters.length === 0) continue;
    if (letters.length < 3) grams.push(run);
    else for (let index = 0; index + 3 <= letters.length; index++) grams.push(letters.slice(index, index + 3).join(''));
  }
  return grams;
}
