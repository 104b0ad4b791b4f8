/**
 * Find in document marks the text layer's own strings (pdf.js's items), not the folded text it matches in: a match
 * found in folded page text goes back to page-text offsets (find-in-text's origins), then to parts of items
 * (itemRanges). These cases check the marked parts are exactly the source text that matched, no character more or
 * less, where folding or the page text changes lengths.
 */
import { describe, expect, it } from 'vitest';
import { itemRanges, pageTextOf, type PageTextItem } from '../../../renderer/src/documents/pdf-text';
import { type FindOptions, findInPages } from '../../../renderer/src/documents/viewers/find-in-text';

/** An item of 10-point text at (x, y), every character 0.5 em wide. */
const at = (str: string, x: number, y = 700, hasEOL = false): PageTextItem => ({
  str,
  hasEOL,
  transform: [10, 0, 0, 10, x, y],
  width: str.length * 5,
});

/** What the text layer marks for each match of `query`: per match, the marked part of each item it spans. */
function marked(items: PageTextItem[], query: string, options: FindOptions = {}): string[][] {
  const page = pageTextOf({ items });
  return findInPages([page.text], query, options).map((match) =>
    itemRanges(match, page).map(([item, start, end]) => items[item]!.str.slice(start, end)),
  );
}

describe('find in document marks exactly the text that matched', () => {
  it('a ligature NFKC expands: the whole ligature, and the letters after it', () => {
    const items = [at('the ﬁnal ruling', 0)];
    expect(marked(items, 'final')).toEqual([['ﬁnal']]);
    // Part of a ligature cannot be marked: the ligature is.
    expect(marked(items, 'inal')).toEqual([['ﬁnal']]);
    expect(marked(items, 'nal ruling')).toEqual([['nal ruling']]);
    // pdf.js gives "fi" for the ligature in the app's text (normalised): one to one.
    expect(marked([at('the final ruling', 0)], 'inal')).toEqual([['inal']]);
  });

  it('an accent composed or decomposed, typed or not', () => {
    const decomposed = [at('the cafe\u0301 owner', 0)];
    expect(marked(decomposed, 'cafe')).toEqual([['cafe\u0301']]);
    expect(marked(decomposed, 'café')).toEqual([['cafe\u0301']]);
    expect(marked(decomposed, 'café', { matchDiacritics: true })).toEqual([['cafe\u0301']]);
    expect(marked(decomposed, 'owner')).toEqual([['owner']]);
    const composed = [at('the café owner', 0)];
    expect(marked(composed, 'cafe')).toEqual([['café']]);
    expect(marked(composed, 'e\u0301', { matchDiacritics: true })).toEqual([['é']]);
    expect(marked(composed, 'owner')).toEqual([['owner']]);
  });

  it('a word hyphenated at a line end: both halves, the hyphen with them', () => {
    const items = [at('the evi-', 0, 700, true), at('dence was heard', 0, 688)];
    expect(marked(items, 'evidence')).toEqual([['evi-', 'dence']]);
    expect(marked(items, 'dence was')).toEqual([['dence was']]);
    expect(marked(items, 'the evi')).toEqual([['the evi']]);
  });

  it('words pdf.js gives as separate items: the space between them is the page text’s own', () => {
    const items = [at('office', 0), at('flow', 33), at('ing', 53), at('rules', 75)];
    expect(marked(items, 'flowing rules')).toEqual([['flow', 'ing', 'rules']]);
    expect(marked(items, 'ce flow')).toEqual([['ce', 'flow']]);
  });

  it('Arabic presentation forms, and the lam-alef ligature', () => {
    const items = [at('ﺑﺎﺏ ﻻ كِتاب', 0)];
    expect(marked(items, 'باب')).toEqual([['ﺑﺎﺏ']]);
    expect(marked(items, 'لا')).toEqual([['ﻻ']]);
    expect(marked(items, 'كتاب')).toEqual([['كِتاب']]);
    expect(marked(items, 'تاب')).toEqual([['تاب']]);
  });

  // Page 1 of tests/fixtures/khmer-hearing-note.pdf as pdf.js gives it: Khmer in drawing order, one item per
  // cluster that needs one, U+0000 for the subscripts the font does not name.
  const khmer = [
    at('តុ', 0),
    at('លាការ', 10),
    at('េខ', 35),
    at('ត\u0000', 45),
    at('\u0000ពះ', 50),
    at('វិ', 65, 700, true),
    at('ៃន', 0, 680),
    at('\u0000ក', 10, 680),
    at('ម', 20, 680),
    at('\u0000ព', 25, 680),
    at('ហ\u0000', 35, 680),
    at('ទ', 45, 680),
    at('ណ', 50, 680),
    at('\u0000', 55, 680),
    at('។', 56, 680),
  ];

  it('Khmer: the subscripts pdf.js has no text for are marked with their cluster', () => {
    expect(pageTextOf({ items: khmer }).text).toBe('តុលាការខេតព្រះវិ\nនៃក្រមព្រហទណ។');
    // ព្រហ្មទណ្ឌ: the ្ម drawn in "ហ\0" and the ្ឌ drawn alone after ណ are the word's, not left out.
    expect(marked(khmer, 'ក្រមព្រហ្មទណ្ឌ')).toEqual([['\u0000ក', 'ម', '\u0000ព', 'ហ\u0000', 'ទ', 'ណ', '\u0000']]);
    // ខេត្ត: the ្ត after ត.
    expect(marked(khmer, 'ខេត្ត')).toEqual([['េខ', 'ត\u0000']]);
    // ព្រះ: the subscript ro drawn first, put back after ព.
    expect(marked(khmer, 'ព្រះ', { matchDiacritics: true })).toEqual([['\u0000ពះ']]);
  });

  it('Khmer: a placeholder only next to the match is not marked', () => {
    // ទណ្ឌ begins after "ហ\0": that ្ម is ហ's.
    expect(marked(khmer, 'ទណ្ឌ')).toEqual([['ទ', 'ណ', '\u0000']]);
    // Sign for sign too: the ្ឌ drawn after ណ is ណ's cluster, which the match ends on.
    expect(marked(khmer, 'ទណ', { matchDiacritics: true })).toEqual([['ទ', 'ណ', '\u0000']]);
    // Latin after a placeholder: a placeholder is only a Khmer cluster's.
    expect(marked([at('ab\u0000 cd', 0)], 'ab')).toEqual([['ab']]);
    expect(marked([at('ab\u0000cd', 0)], 'cd')).toEqual([['cd']]);
  });
});
