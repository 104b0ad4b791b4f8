import { describe, expect, it } from 'vitest';
import { itemRanges, pageOffsetOf, pageTextOf, type PageTextItem } from '../../../renderer/src/documents/pdf-text';

/** An item of `size` points at (x, y), every character 0.5 em wide. */
const at = (str: string, x: number, y = 700, size = 10, hasEOL = false): PageTextItem => ({
  str,
  hasEOL,
  transform: [size, 0, 0, size, x, y],
  width: str.length * size * 0.5,
});

describe('a PDF page’s text from its items', () => {
  it('puts a space where items are apart on a line, and nothing where they touch', () => {
    // "office" ends at 30; "flow" 3 points (0.3 em) later; "ing" right after "flow".
    const page = pageTextOf({ items: [at('office', 0), at('flow', 33), at('ing', 53)] });
    expect(page.text).toBe('office flowing');
    expect(page.itemStarts).toEqual([0, 7, 11]);
  });

  it('starts a line at the next line of a column read after the column beside it', () => {
    const page = pageTextOf({ items: [at('affidavit', 400, 660, 11), at('shuffle', 62, 655, 9)] });
    expect(page.text).toBe('affidavit\nshuffle');
    // Back on the same baseline (text drawn out of order): a space.
    expect(pageTextOf({ items: [at('second', 200), at('first', 62)] }).text).toBe('second first');
  });

  it('keeps what pdf.js already separated, and items without a position, as they are', () => {
    expect(pageTextOf({ items: [at('the ', 0), at('court', 40)] }).text).toBe('the court');
    expect(pageTextOf({ items: [at('Hearing', 0, 700, 10, true), at('note', 0, 688)] }).text).toBe('Hearing\nnote');
    expect(
      pageTextOf({
        items: [
          { str: 'ab', hasEOL: false },
          { str: 'cd', hasEOL: false },
        ],
      }).text,
    ).toBe('abcd');
  });

  it('puts no space between pieces of Khmer, however far apart', () => {
    expect(pageTextOf({ items: [at('ការ', 0), at('ពារ', 25)] }).text).toBe('ការពារ');
    expect(pageTextOf({ items: [at('ណ', 0), at('\u0000', 5), at('។', 9)] }).text).toBe('ណ។');
    // A mark drawn back over the glyph before it is no new word.
    expect(pageTextOf({ items: [at('ab', 0), at('\u0301', 5)] }).text).toBe('ab\u0301');
    expect(pageTextOf({ items: [at('ab', 0), at('\u0301', -20)] }).text).toBe('ab\u0301');
    // Right-to-left pieces side by side, and a word apart.
    expect(pageTextOf({ items: [at('كتا', 100), at('ب', 95)] }).text).toBe('كتاب');
    expect(pageTextOf({ items: [at('باب', 100), at('لا', 80)] }).text).toBe('باب لا');
  });

  it('maps places in pdf.js’s item strings to the readable text and back', () => {
    // ចោទ, then ខេត្ត ព្រះ, as Chrome's PDF gives them: "េចាទ"; "េខ", "ត" + U+0000, U+0000 + "ពះ".
    const items = [at('េចាទ', 0, 720, 10, true), at('តុលាការ', 0), at('េខ', 35), at('ត\u0000', 45), at('\u0000ពះ', 50)];
    const page = pageTextOf({ items });
    expect(page.text).toBe('ចោទ\nតុលាការខេតព្រះ');
    expect(page.itemStarts).toEqual([0, 4, 11, 13, 14]);
    // A selection from the start of "េខ" to the end of "\0ពះ".
    expect(pageOffsetOf(page, 2, 0)).toBe(11);
    expect(pageOffsetOf(page, 4, 3)).toBe(18);
    // Inside a reordered cluster: its start.
    expect(pageOffsetOf(page, 2, 1)).toBe(11);
    // A match on ព្រះ marks the whole item; one on ខេ the whole "េខ"; one on ចោទ all of "េចាទ".
    expect(itemRanges({ start: 14, end: 18 }, page)).toEqual([[4, 0, 3]]);
    expect(itemRanges({ start: 11, end: 13 }, page)).toEqual([[2, 0, 2]]);
    expect(itemRanges({ start: 0, end: 3 }, page)).toEqual([[0, 0, 4]]);
    // Items left as they were map one to one.
    expect(itemRanges({ start: 4, end: 7 }, page)).toEqual([[1, 0, 3]]);
    expect(page.itemOffsets[1]).toBeNull();
  });
});
