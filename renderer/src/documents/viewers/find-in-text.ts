/**
 * Find-in-document over the text pdf.js extracts, page by page, as tolerant
 * as pdf.js's own find: both the page text and the query are folded
 * (NFKC, case, diacritics, typographic quotes, runs of whitespace, U+0000 and
 * invisible format characters, words hyphenated across a line end) and the
 * folded query is looked for in the folded page. Folding is for matching
 * only: every folded unit remembers the offset of the original character it
 * came from, and matches are reported as offsets in the original page text,
 * so the viewer marks the document's own characters in the text layer.
 *
 * Khmer typed alone is matched with the tolerance of vault-wide search (its
 * consonant skeleton, search-text.ts), since pdf.js often extracts Khmer in
 * visual order, with U+0000 for the subscripts it cannot map: the page text
 * (pdf-text) puts back what it can, and a subscript it cannot is missing.
 */
import {
  COENG,
  isKhmerLetter,
  isKhmerMark,
  khmerDigitAsAscii,
  khmerSkeleton,
  khmerSkeletonWithOrigins,
} from '../../vault/search-text';

export interface TextMatch {
  /** 1-based page number. */
  page: number;
  /** Offsets in that page's text, end exclusive. */
  start: number;
  end: number;
}

export interface FindOptions {
  /** Upper and lower case differ (pdf.js's "Match case"). */
  matchCase?: boolean;
  /** Accents and other diacritics differ, and Khmer is matched sign for sign (pdf.js's "Match diacritics"). */
  matchDiacritics?: boolean;
}

interface Normalized {
  text: string;
  /** For each UTF-16 unit of `text`, the original offset it came from. */
  origin: number[];
}

/**
 * Stands, in folded text, for a hyphen at a line end between two letters:
 * the query may go on with or without the hyphen ("evi-⏎dence" is found by
 * "evidence"; "long-⏎standing" by "long-standing" and "longstanding").
 */
const LINE_END_HYPHEN = '\u0001';
const HYPHENS = new Set(['-', '\u2010', '\u00ad']);

/**
 * Diacritics folded away by default: the combining accents of Latin, Greek
 * and Cyrillic (all vault-wide search folds), Hebrew points and Arabic
 * harakat. Not the vowel signs of Khmer and other abugidas: they are letters
 * of the word, not accents on it.
 */
const DIACRITIC_RANGES: [number, number][] = [
  [0x0300, 0x036f], // Combining Diacritical Marks (Latin, Greek, Cyrillic)
  [0x1ab0, 0x1aff], // their extended, supplement and half-mark blocks
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
  [0x0591, 0x05c7], // Hebrew points and cantillation (the marks among them)
  [0x0610, 0x061a], // Arabic signs and harakat
  [0x064b, 0x065f],
  [0x0670, 0x0670],
  [0x06d6, 0x06ed],
];
const isFoldedDiacritic = (mark: string) => {
  const code = mark.codePointAt(0)!;
  return DIACRITIC_RANGES.some(([first, last]) => code >= first && code <= last);
};
/** `text` without the diacritics find folds away (a decomposed text: accents are separate marks). */
const withoutDiacritics = (text: string) => text.replace(/\p{M}/gu, (mark) => (isFoldedDiacritic(mark) ? '' : mark));
/** Typographic quotes and the hyphen U+2010 as typed on a keyboard (pdf.js folds the same ones). */
const TYPED_FORMS = new Map([
  ['\u2010', '-'],
  ['\u2018', "'"],
  ['\u2019', "'"],
  ['\u201a', "'"],
  ['\u201b', "'"],
  ['\u201c', '"'],
  ['\u201d', '"'],
  ['\u201e', '"'],
  ['\u201f', '"'],
]);
const KHMER_DIGIT = /[\u17e0-\u17e9]/g;
/** Format characters (zero-width space, joiners, soft hyphen…), and U+0000, which pdf.js leaves in some Khmer text. */
const isInvisible = (char: string) => char === '\u0000' || /^\p{Cf}$/u.test(char);
const WHITESPACE = /^\s$/u;
const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;
/** Lines in Chinese and Japanese text wrap without a space; pdf.js joins them, and so does find. */
const CJK = /^[\p{Ideographic}\u3040-\u30ff]$/u;

/** One character as find compares it: NFKC, then case and diacritics folded unless asked to match them. */
function foldCharacter(char: string, options: FindOptions): string {
  let folded = (TYPED_FORMS.get(char) ?? char).normalize('NFKC');
  if (!options.matchCase) folded = folded.toLowerCase();
  // Decomposed, so "é" typed and "e" + U+0301 extracted compare equal when accents count.
  folded = folded.normalize('NFD');
  if (!options.matchDiacritics) folded = withoutDiacritics(folded);
  return folded.replace(KHMER_DIGIT, khmerDigitAsAscii);
}

type CharacterKind = 'invisible' | 'space' | 'hyphen' | 'text';
/** What each character is and folds to, per combination of options: a document has few distinct characters. */
const foldCaches = new Map<string, Map<string, { kind: CharacterKind; folded: string }>>();

function foldCache(options: FindOptions) {
  const key = `${options.matchCase ? 'case' : ''}/${options.matchDiacritics ? 'diacritics' : ''}`;
  let cache = foldCaches.get(key);
  if (!cache) foldCaches.set(key, (cache = new Map<string, { kind: CharacterKind; folded: string }>()));
  return cache;
}

function classify(char: string, options: FindOptions): { kind: CharacterKind; folded: string } {
  if (HYPHENS.has(char)) return { kind: 'hyphen', folded: char === '\u00ad' ? '' : '-' };
  if (isInvisible(char)) return { kind: 'invisible', folded: '' };
  if (WHITESPACE.test(char)) return { kind: 'space', folded: ' ' };
  return { kind: 'text', folded: foldCharacter(char, options) };
}

export function normalizeForFind(text: string, options: FindOptions = {}): Normalized {
  const cache = foldCache(options);
  const chars = Array.from(text);
  let out = '';
  const origin: number[] = [];
  // The last character folded so far (tested instead of `out`: a regular expression anchored at the end of a long string is slow).
  let last = '';
  const push = (folded: string, at: number) => {
    if (folded === '') return;
    out += folded;
    const lastUnit = folded.charCodeAt(folded.length - 1);
    last = lastUnit >= 0xdc00 && lastUnit <= 0xdfff ? folded.slice(-2) : folded.slice(-1);
    for (let unit = 0; unit < folded.length; unit++) origin.push(at);
  };
  let offset = 0;
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    const at = offset;
    offset += char.length;
    let entry = cache.get(char);
    if (!entry) cache.set(char, (entry = classify(char, options)));
    if (entry.kind === 'invisible') continue;
    if (entry.kind === 'hyphen' && chars[index + 1] === '\n' && last !== '' && last !== ' ') {
      // A hyphen ending a line: pdf.js joins the word it broke, and keeps any other hyphen without the line break.
      const after = chars[index + 2];
      push(after && LETTER.test(after) && LETTER.test(last) ? LINE_END_HYPHEN : entry.folded, at);
      offset += 1;
      index += 1;
      continue;
    }
    if (entry.kind === 'space') {
      if (last === '' || last === ' ') continue;
      if (char === '\n' && CJK.test(last)) continue;
    }
    push(entry.folded, at);
  }
  return { text: out, origin };
}

const escapeForRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** The folded query as a pattern over folded page text: a line-end hyphen may sit between any two characters. */
function queryPattern(needle: string, options: FindOptions): RegExp {
  const parts = Array.from(needle, (char) => (char === '-' ? `[-${LINE_END_HYPHEN}]` : escapeForRegExp(char)));
  // With diacritics matched, "e" must not stop on the "e" of "é" (pdf.js's rule too).
  const end = options.matchDiacritics ? '(?!\\p{M})' : '';
  return new RegExp(parts.join(`${LINE_END_HYPHEN}?`) + end, 'gu');
}

/** Whether the query is Khmer alone: letters, signs and spaces, nothing search's Khmer skeleton would leave out. */
function isKhmerOnly(query: string): boolean {
  const visible = query.replaceAll('\u0000', '');
  return /[\u1780-\u17b3]/.test(visible) && /^[\u1780-\u17d3\u17dd\s\p{Cf}]+$/u.test(visible);
}

/** A page's text folded for find (and, once a Khmer query needs it, its skeleton), worked out once per page. */
export interface PreparedPage {
  text: string;
  folded: Normalized;
  khmer: (ReturnType<typeof khmerSkeletonWithOrigins> & { visualOrder: boolean }) | null;
}

export function preparePages(pages: readonly string[], options: FindOptions = {}): PreparedPage[] {
  return pages.map((text) => ({ text, folded: normalizeForFind(text, options), khmer: null }));
}

/** Every match of `query` in prepared pages (in reading order), at most `limit`. */
export function findInPrepared(
  pages: PreparedPage[],
  query: string,
  options: FindOptions = {},
  limit = 1000,
): TextMatch[] {
  if (!options.matchDiacritics && isKhmerOnly(query)) return findKhmer(pages, khmerSkeleton(query), limit);
  const needle = normalizeForFind(query, options).text.trim();
  if (needle.length === 0) return [];
  const pattern = queryPattern(needle, options);
  const matches: TextMatch[] = [];
  pages.forEach((page, index) => {
    const { text, origin } = page.folded;
    pattern.lastIndex = 0;
    for (let found = pattern.exec(text); found && matches.length < limit; found = pattern.exec(text)) {
      const lastOrigin = origin[found.index + found[0].length - 1]!;
      matches.push({ page: index + 1, start: origin[found.index]!, end: endAfter(page.text, lastOrigin) });
    }
  });
  return matches;
}

/** Where the original character at `at` ends, with the accents folded away after it (they belong to the match). */
function endAfter(text: string, at: number): number {
  let end = at + String.fromCodePoint(text.codePointAt(at)!).length;
  for (let next = text.codePointAt(end); next !== undefined; next = text.codePointAt(end)) {
    const char = String.fromCodePoint(next);
    if (!MARK.test(char) || withoutDiacritics(char.normalize('NFD')) !== '') break;
    end += char.length;
  }
  return end;
}

/**
 * Whether pdf.js gave this page's Khmer in visual order: a vowel sign drawn
 * left of its consonant (U+17C1-U+17C3) comes before it, so it follows
 * something other than a consonant. In logical order it always follows one.
 */
const isVisualOrder = (text: string) => /(?:^|[^\u1780-\u17b3])[\u17c1-\u17c3]/.test(text);
const isLeftVowel = (code: number) => code >= 0x17c1 && code <= 0x17c3;

/**
 * Khmer found as vault-wide search finds it: the query's skeleton inside the
 * page's. A match runs from its first base letter to the end of its last
 * cluster (signs, subscripts and the U+0000 pdf.js leaves for glyphs it
 * cannot map). In visual order, what is drawn left of the first consonant
 * (a vowel sign, U+0000 for a subscript such as ្រ) comes before it and
 * belongs to the match, and a left vowel after the last consonant belongs to
 * the next cluster.
 */
function findKhmer(pages: PreparedPage[], needle: string, limit: number): TextMatch[] {
  const matches: TextMatch[] = [];
  if (needle === '') return matches;
  pages.forEach((page, index) => {
    const text = page.text;
    page.khmer ??= { ...khmerSkeletonWithOrigins(text), visualOrder: isVisualOrder(text) };
    const { skeleton, origins, visualOrder: visual } = page.khmer;
    for (let at = skeleton.indexOf(needle); at !== -1 && matches.length < limit;) {
      let start = origins[at]!;
      for (let code = text.charCodeAt(start - 1); start > 0 && (code === 0 || (visual && isLeftVowel(code)));) {
        start--;
        code = text.charCodeAt(start - 1);
      }
      let end = origins[at + needle.length - 1]! + 1;
      for (let afterCoeng = false; end < text.length; end++) {
        const code = text.charCodeAt(end);
        if (afterCoeng && isKhmerLetter(code)) afterCoeng = false;
        else if (isKhmerMark(code) && !(visual && isLeftVowel(code))) afterCoeng = code === COENG;
        else break;
      }
      matches.push({ page: index + 1, start, end });
      at = skeleton.indexOf(needle, at + needle.length);
    }
  });
  return matches;
}

/** Every match of `query` in `pages` (in reading order), at most `limit`. */
export function findInPages(
  pages: readonly string[],
  query: string,
  options: FindOptions = {},
  limit = 1000,
): TextMatch[] {
  return findInPrepared(preparePages(pages, options), query, options, limit);
}
