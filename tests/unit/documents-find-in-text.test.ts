import { describe, expect, it } from 'vitest';
import { itemRanges, pageTextOf } from '../../renderer/src/documents/pdf-text';
import { findInPages, normalizeForFind } from '../../renderer/src/documents/viewers/find-in-text';

describe('find in document', () => {
  it('ignores case and runs of whitespace, and reports original offsets', () => {
    const pages = ['The  Court\nheard the DEFENCE.', 'no match here', 'defence  lawyer absent'];
    const matches = findInPages(pages, 'the defence');
    expect(matches).toEqual([{ page: 1, start: 17, end: 28 }]);
    expect(pages[0]!.slice(17, 28)).toBe('the DEFENCE');
    expect(findInPages(pages, 'DEFENCE lawyer')).toEqual([{ page: 3, start: 0, end: 15 }]);
  });

  it('finds every occurrence in reading order, up to the limit', () => {
    const pages = ['art. 494 and art. 495', 'art. 494'];
    expect(findInPages(pages, 'art. 49').map((match) => match.page)).toEqual([1, 1, 2]);
    expect(findInPages(pages, 'art', {}, 2)).toHaveLength(2);
  });

  it('matches Khmer across the U+0000 pdf.js leaves in extracted text', () => {
    const page = 'សេចក្តី\u0000ថ្លែងការណ៍';
    const [match] = findInPages([page], 'សេចក្តីថ្លែង');
    expect(match).toBeDefined();
    expect(page.slice(match!.start, match!.end).replace('\u0000', '')).toBe('សេចក្តីថ្លែង');
  });

  it('treats a blank query as no search', () => {
    expect(findInPages(['anything'], '   ')).toEqual([]);
  });

  it('keeps offsets right when folding changes length', () => {
    // "İ" lower-cased is "i" + U+0307; the dot is an accent, folded away unless accents are matched.
    expect(normalizeForFind('İstanbul court').text.startsWith('istanbul')).toBe(true);
    const { text, origin } = normalizeForFind('İstanbul court', { matchDiacritics: true });
    expect(text.startsWith('i\u0307stanbul')).toBe(true);
    expect(origin[0]).toBe(0);
    expect(origin[1]).toBe(0);
    expect(findInPages(['İstanbul court'], 'court')).toEqual([{ page: 1, start: 9, end: 14 }]);
    expect(findInPages(['İstanbul court'], 'istanbul')).toEqual([{ page: 1, start: 0, end: 8 }]);
  });

  it('maps a match onto the text items it spans', () => {
    const page = pageTextOf({
      items: [
        { str: 'Hearing of', hasEOL: true },
        { str: '12 March', hasEOL: false },
      ],
    });
    expect(page.text).toBe('Hearing of\n12 March');
    const [match] = findInPages([page.text], 'of 12');
    expect(itemRanges(match!, page)).toEqual([
      [0, 8, 10],
      [1, 0, 2],
    ]);
  });

  it('folds accents by default, and matches them exactly when asked', () => {
    const page = 'Café, décès: Élysée (e) and e\u0301te\u0301';
    const found = (query: string, options = {}) =>
      findInPages([page], query, options).map((match) => page.slice(match.start, match.end));
    expect(found('e')).toHaveLength(9);
    expect(found('cafe')).toEqual(['Café']);
    expect(found('DECES')).toEqual(['décès']);
    // Decomposed accents (e + U+0301) belong to the match, and are found by a precomposed "é".
    expect(found('ete')).toEqual(['e\u0301te\u0301']);
    expect(found('été', { matchDiacritics: true })).toEqual(['e\u0301te\u0301']);
    // Exact: "e" no longer stops on "é", nor "cafe" on "Café"; case still folds unless asked.
    expect(found('e', { matchDiacritics: true })).toEqual(['e', 'e']);
    expect(found('cafe', { matchDiacritics: true })).toEqual([]);
    expect(found('CAFÉ', { matchDiacritics: true })).toEqual(['Café']);
    expect(found('élysée', { matchCase: true })).toEqual([]);
    expect(found('Elysee', { matchCase: true })).toEqual(['Élysée']);
  });

  it('matches compatibility forms through NFKC: ligatures, Arabic presentation forms, full width', () => {
    const page = 'The ﬁnal ﬂag. ＡＢＣ ﻻ ﺑﺎﺏ';
    const found = (query: string, options = {}) =>
      findInPages([page], query, options).map((match) => page.slice(match.start, match.end));
    expect(found('final')).toEqual(['ﬁnal']);
    expect(found('fl')).toEqual(['ﬂ']);
    expect(found('abc')).toEqual(['ＡＢＣ']);
    // U+FEFB is the lam-alef ligature; U+FE91 U+FE8E U+FE8F are the joined forms of باب.
    expect(found('لا')).toEqual(['ﻻ']);
    expect(found('باب')).toEqual(['ﺑﺎﺏ']);
    // And the other way round: a presentation form typed finds the base letters.
    expect(findInPages(['باب'], 'ﺑﺎﺏ')).toEqual([{ page: 1, start: 0, end: 3 }]);
    // Arabic harakat are diacritics: folded by default, matched when asked.
    expect(findInPages(['كِتاب'], 'كتاب')).toHaveLength(1);
    expect(findInPages(['كِتاب'], 'كتاب', { matchDiacritics: true })).toEqual([]);
  });

  it('joins a word hyphenated at a line end, typed with or without its hyphen', () => {
    const page = 'the evi-\ndence of long-\nstanding 20-\n21 abuses';
    const found = (query: string) => findInPages([page], query).map((match) => page.slice(match.start, match.end));
    expect(found('evidence')).toEqual(['evi-\ndence']);
    expect(found('longstanding')).toEqual(['long-\nstanding']);
    expect(found('long-standing')).toEqual(['long-\nstanding']);
    // Not between letters: the hyphen stays and the line break goes, as in pdf.js.
    expect(found('20-21')).toEqual(['20-\n21']);
    // A hyphen mid-line is a hyphen.
    expect(findInPages(['evi-dence'], 'evidence')).toEqual([]);
  });

  it('finds typographic quotes with the ones on the keyboard, and drops invisible characters', () => {
    const page = 'the court’s “ruling” was in\u200bvalid';
    expect(findInPages([page], "court's")).toEqual([{ page: 1, start: 4, end: 11 }]);
    expect(findInPages([page], '"ruling"')).toHaveLength(1);
    expect(findInPages([page], 'invalid')).toEqual([{ page: 1, start: 25, end: 33 }]);
  });

  it('finds Khmer as vault-wide search does, in what pdf.js extracts from the Khmer PDF', () => {
    // Page 1 of tests/fixtures/khmer-hearing-note.pdf as pdf.js extracts it (visual order, U+0000 for subscripts).
    const page = 'តាម\u0000មា\u0000តា ៤៩៤ និង ៤៩៥ ៃន\u0000កម\u0000ពហ\u0000ទណ\u0000។\nជនជាប់េចាទ ក';
    const [match, ...others] = findInPages([page], 'ក្រមព្រហ្មទណ្ឌ');
    expect(others).toEqual([]);
    // From the subscript drawn left of the first consonant to the last subscript, not the full stop after it.
    expect(page.slice(match!.start, match!.end)).toBe('\u0000កម\u0000ពហ\u0000ទណ\u0000');
    // A vowel sign drawn left of its consonant comes first in visual order, and belongs to the match.
    const [accused] = findInPages([page], 'ចោទ');
    expect(page.slice(accused!.start, accused!.end)).toBe('េចាទ');
    // Khmer digits are digits, as in vault-wide search.
    expect(findInPages([page], '494')).toHaveLength(1);
    // Sign for sign (accents matched), the extraction has no such word.
    expect(findInPages([page], 'ក្រមព្រហ្មទណ្ឌ', { matchDiacritics: true })).toEqual([]);
  });

  it('keeps a Khmer match to its own clusters in text in logical order', () => {
    const page = 'នៃក្រមព្រហ្មទណ្ឌ។ ក្រមរដ្ឋប្បវេណី';
    const matches = findInPages([page], 'ក្រមព្រហ្មទណ្ឌ');
    expect(matches.map((match) => page.slice(match.start, match.end))).toEqual(['ក្រមព្រហ្មទណ្ឌ']);
    const [code] = findInPages([page], 'ក្រម');
    expect(page.slice(code!.start, code!.end)).toBe('ក្រម');
  });
});
