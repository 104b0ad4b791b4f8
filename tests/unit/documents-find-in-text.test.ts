import { describe, expect, it } from 'vitest';
import {
  findInPages,
  itemRanges,
  normalizeForFind,
  pageTextOf,
} from '../../renderer/src/documents/viewers/find-in-text';

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
    expect(findInPages(pages, 'art', 2)).toHaveLength(2);
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

  it('keeps offsets right when lower-casing changes length', () => {
    const { text, origin } = normalizeForFind('İstanbul court');
    expect(text.startsWith('i̇stanbul')).toBe(true);
    expect(origin[0]).toBe(0);
    expect(origin[1]).toBe(0);
    expect(findInPages(['İstanbul court'], 'court')).toEqual([{ page: 1, start: 9, end: 14 }]);
  });

  it('maps a match onto the text items it spans', () => {
    const { text, itemStarts } = pageTextOf({
      items: [
        { str: 'Hearing of', hasEOL: true },
        { str: '12 March', hasEOL: false },
      ],
    });
    expect(text).toBe('Hearing of\n12 March');
    const [match] = findInPages([text], 'of 12');
    expect(itemRanges(match!, itemStarts, [10, 8])).toEqual([
      [0, 8, 10],
      [1, 0, 2],
    ]);
  });
});
