import { describe, expect, it } from 'vitest';
import {
  describeSegment,
  describeSelection,
  resolveSegment,
  resolveSegments,
  snapToGraphemes,
} from '../../../renderer/src/annotations/anchoring';
import { textKey } from '../../../renderer/src/annotations/text-key';

const PAGE_3 =
  'The court heard the case on 12 March. The defence lawyer was absent when the hearing opened, and the judge ' +
  'refused a request for adjournment. The accused was charged under articles 494 and 495 of the Criminal Code ' +
  'for incitement, and remained in pre-trial detention throughout.';
const SENTENCE = 'The defence lawyer was absent when the hearing opened';
const pages = ['Cover page.', 'Table of contents.', 'Summary of the proceedings.', PAGE_3, 'Annex.'];

function segmentOf(text: string, page: number, quote: string) {
  const at = text.indexOf(quote);
  return describeSegment(text, page, at, at + quote.length);
}

describe('anchoring text annotations', () => {
  it('anchors at the stored position when the page text is unchanged', () => {
    const segment = segmentOf(PAGE_3, 3, SENTENCE);
    expect(segment.quote.exact).toBe(SENTENCE);
    expect(segment.quote.prefix).toHaveLength(32);
    expect(resolveSegment(segment, pages)).toMatchObject({ status: 'anchored', page: 3, score: 1 });
  });

  it('re-anchors when characters are inserted before the quote', () => {
    const segment = segmentOf(PAGE_3, 3, SENTENCE);
    const shifted = [...pages];
    shifted[3] = `[Page header added by a new extractor] ${PAGE_3}`;
    const resolved = resolveSegment(segment, shifted);
    expect(resolved.status).toBe('reanchored');
    expect([...shifted[3]].slice(resolved.start, resolved.end).join('')).toBe(SENTENCE);
  });

  it('re-anchors across whitespace changes and a ligature', () => {
    const segment = segmentOf(PAGE_3, 3, 'refused a request for adjournment');
    const changed = [...pages];
    changed[3] = PAGE_3.replace('refused a request for', 'refused  a\nrequest ﬁor');
    const resolved = resolveSegment(segment, changed);
    expect(resolved.status).toBe('reanchored');
    expect([...changed[3]].slice(resolved.start, resolved.end).join('')).toBe('refused  a\nrequest ﬁor adjournment');
  });

  it('re-anchors when the passage moved to another page, searching outward from the expected one', () => {
    const segment = segmentOf(PAGE_3, 3, SENTENCE);
    const moved = ['Cover page.', 'Table of contents.', PAGE_3, 'Summary of the proceedings.', 'Annex.'];
    expect(resolveSegment(segment, moved)).toMatchObject({ status: 'reanchored', page: 2 });
  });

  it('finds a quote with a few characters changed (fuzzy), but not a different sentence', () => {
    const segment = segmentOf(PAGE_3, 3, SENTENCE);
    const edited = [...pages];
    edited[3] = PAGE_3.replace('defence lawyer was absent', 'defense lawyer were absent');
    expect(resolveSegment(segment, edited).status).toBe('reanchored');
    const other = [...pages];
    other[3] = PAGE_3.replace(SENTENCE, 'The prosecutor was present when the session closed');
    expect(resolveSegment(segment, other).status).toBe('orphaned');
  });

  it('re-anchors a quote at the end of a page to the occurrence its context names, not the first one', () => {
    const page = 'the accused spoke first. Later, the judge questioned the accused';
    const at = page.lastIndexOf('the accused');
    const segment = describeSegment(page, 0, at, page.length);
    expect(segment.quote.suffix).toBe('');
    const shifted = `Header. ${page}`;
    const resolved = resolveSegment(segment, [shifted]);
    expect(resolved.status).toBe('reanchored');
    expect(resolved.start).toBe(shifted.lastIndexOf('the accused'));
  });

  it('marks the annotation orphaned when the quote is gone, keeping where it was', () => {
    const segment = segmentOf(PAGE_3, 3, SENTENCE);
    const gone = [...pages];
    gone[3] = 'This page now holds an entirely different text about land titles in Koh Kong province.';
    expect(resolveSegment(segment, gone)).toEqual({
      status: 'orphaned',
      page: 3,
      start: segment.start,
      end: segment.end,
      score: 0,
    });
    expect(resolveSegment(segment, [])).toMatchObject({ status: 'orphaned' });
  });

  it('copes with the U+0000 and visual-order vowels pdf.js leaves in Khmer', () => {
    // Logical Khmer as a .txt holds it, and what pdf.js extracts from the printed PDF.
    const logical = 'កំណត់ត្រាសវនាការ៖ មេធាវីការពារក្តីមិនមានវត្តមាន នៅពេលបើកសវនាការ។';
    const extracted = 'កំណត់\u0000តាសវនាការ៖ េមធាវីការពារក្ដីមិនមានវត្តមាន េ\u0000ពលេបីកសវនាការ។';
    const segment = segmentOf(logical, 0, 'មេធាវីការពារក្តីមិនមានវត្តមាន');
    const resolved = resolveSegment(segment, [extracted]);
    expect(resolved.status).toBe('reanchored');
    expect([...extracted].slice(resolved.start, resolved.end).join('')).toContain('ធាវីការពារ');
    expect(textKey('ក\u0000\u17d2រ').key).toBe('ក');
    // A zero-width space between Khmer words, added or lost by an extractor, does not matter.
    expect(textKey('សវនាការ\u200bថ្ងៃ').key).toBe(textKey('សវនាការថ្ងៃ').key);
  });

  it('round-trips a selection that crosses a page boundary', () => {
    const from = { page: 3, unit: PAGE_3.indexOf('remained') };
    const to = { page: 4, unit: 'Annex'.length };
    const segments = describeSelection(pages, from, to);
    expect(segments.map((segment) => [segment.page, segment.quote.exact])).toEqual([
      [3, 'remained in pre-trial detention throughout.'],
      [4, 'Annex'],
    ]);
    expect(resolveSegments(segments, pages).status).toBe('anchored');
    // The second page changed: the first part stays, the whole is still found.
    const changed = [...pages.slice(0, 4), 'Preface. Annex.'];
    const resolved = resolveSegments(segments, changed);
    expect(resolved.status).toBe('reanchored');
    expect(resolved.segments.map((segment) => segment.status)).toEqual(['anchored', 'reanchored']);
  });

  it('snaps selection ends outward to whole Khmer grapheme clusters', () => {
    const word = 'កំណត់ត្រា'; // clusters: កំ | ណ | ត់ | ត្រា
    // A selection from inside the first cluster to inside the last one.
    expect(snapToGraphemes(word, 1, word.length - 1)).toEqual([0, word.length]);
    const segment = describeSegment(`x ${word} y`, 0, 3, 2 + word.length - 2);
    expect(segment.quote.exact).toBe(word);
  });

  it('counts positions in code points, not UTF-16 units', () => {
    const text = '😀 art. 494 applies';
    const segment = segmentOf(text, 0, 'art. 494');
    expect(segment.start).toBe(2);
    expect(resolveSegment(segment, [text]).status).toBe('anchored');
  });
});
