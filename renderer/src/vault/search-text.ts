/**
 * How text is cut into search terms, the same way for what is indexed and
 * for what is typed: NFKC; no U+0000 (pdf.js puts it inside Khmer clusters)
 * or format characters; Latin case and diacritics folded; Khmer digits read
 * as ASCII digits; words found by ICU's segmenter with the Khmer locale,
 * which splits unspaced Khmer runs into dictionary words.
 */
const segmenter = new Intl.Segmenter('km', { granularity: 'word' });

const KHMER_ZERO = 0x17e0;

const KHMER_DIGIT = /[\u17e0-\u17e9]/g;
/** A Khmer digit as the ASCII digit search reads it as. */
export const khmerDigitAsAscii = (digit: string) => String(digit.charCodeAt(0) - KHMER_ZERO);

export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .replaceAll(String.fromCharCode(0), '')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .replace(KHMER_DIGIT, khmerDigitAsAscii);
}

/**
 * Scripts written without spaces between words (Khmer, Thai, Lao, Myanmar,
 * CJK): only runs of these go through ICU's dictionary segmenter, which is
 * slow; everything else splits on letters, marks and digits.
 */
const UNSPACED_RUN = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+/g;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

function spacedWords(text: string, terms: string[]): void {
  for (const [word] of text.matchAll(WORD)) terms.push(word);
}

/** Words of the text, in no particular order (the index counts them; it does not need their order). */
export function searchTerms(text: string): string[] {
  const normalised = normaliseForSearch(text);
  const terms: string[] = [];
  const unspaced: string[] = [];
  let from = 0;
  for (const run of normalised.matchAll(UNSPACED_RUN)) {
    spacedWords(normalised.slice(from, run.index), terms);
    unspaced.push(run[0]);
    from = run.index + run[0].length;
  }
  spacedWords(normalised.slice(from), terms);
  // One pass of the segmenter over every unspaced run (a space between runs keeps them apart): each call costs.
  if (unspaced.length > 0)
    for (const { segment, isWordLike } of segmenter.segment(unspaced.join(' '))) if (isWordLike) terms.push(segment);
  return terms;
}

export const COENG = 0x17d2;
export const isKhmerLetter = (code: number) => code >= 0x1780 && code <= 0x17b3;
/** Signs, vowels and the coeng that sit on a consonant, and what pdf.js leaves for glyphs it cannot map. */
export const isKhmerMark = (code: number) => (code >= 0x17b4 && code <= 0x17d3) || code === 0x17dd || code === 0;
const SPACE_OR_FORMAT = /[\s\p{Cf}]/u;
/** Whether a character leaves a Khmer run unbroken: pdf.js puts spaces (and invisible characters) between clusters. */
const isGap = (code: number) =>
  code < 0x80 ? code === 0x20 || (code >= 0x09 && code <= 0x0d) : SPACE_OR_FORMAT.test(String.fromCharCode(code));

/**
 * Khmer text reduced to its skeleton, run by run: base consonants and
 * independent vowels only (no subscripts, dependent vowels, spaces or U+0000).
 * pdf.js often returns Khmer in visual order, with spaces between clusters
 * and U+0000 for subscripts; the skeleton of what it returns still equals the
 * skeleton of the word typed. Runs are separated by a space.
 */
export function khmerSkeleton(text: string): string {
  if (!/[\u1780-\u17b3]/.test(text)) return '';
  return khmerSkeletonWithOrigins(text.normalize('NFC')).skeleton;
}

/**
 * The skeleton of `text` as it stands (no normalisation), with the offset in
 * `text` of each unit of the skeleton (a run separator has the offset of the
 * character that ended the run): find in document marks what it matched in
 * the original text, with the same tolerance as search.
 */
export function khmerSkeletonWithOrigins(text: string): { skeleton: string; origins: number[] } {
  let skeleton = '';
  const origins: number[] = [];
  let runOpen = false;
  let afterCoeng = false;
  // Khmer is in the Basic Multilingual Plane: code units are enough.
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (afterCoeng) {
      afterCoeng = false;
      if (isKhmerLetter(code)) continue;
    }
    if (code === COENG) afterCoeng = true;
    else if (isKhmerLetter(code)) {
      skeleton += text[at];
      origins.push(at);
      runOpen = true;
    } else if (isKhmerMark(code) || isGap(code)) continue;
    else if (runOpen) {
      skeleton += ' ';
      origins.push(at);
      runOpen = false;
    }
  }
  if (skeleton.endsWith(' ')) {
    skeleton = skeleton.slice(0, -1);
    origins.pop();
  }
  return { skeleton, origins };
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
