import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKhmerInVisualOrder, readableKhmer } from '../../../renderer/src/documents/pdf-text';
import {
  drawing,
  drawingOrder,
  drawnEndsInConsonant,
  syllable,
  writtenOrder,
  type Syllable,
} from '../../support/khmer-drawing-order';

/**
 * Words of well-formed syllables. A syllable with the subscript ro does not follow one whose drawing ends in a
 * consonant: drawn, "ក" + "្រខ" and "ក្រ" + "ខ" are the same text, and no reader can tell them apart.
 */
const word = fc
  .array(fc.tuple(syllable, drawing), { minLength: 1, maxLength: 6 })
  .filter((parts) =>
    parts.every(([current], index) => index === 0 || !current.ro || !drawnEndsInConsonant(parts[index - 1]![0])),
  );

const written = (parts: [Syllable, unknown][]) => parts.map(([part]) => writtenOrder(part)).join('');

describe('Khmer in drawing order put back in written order', () => {
  it('gives back every well-formed word from its drawing order', () => {
    fc.assert(
      fc.property(word, (parts) => {
        const drawn = parts.map(([part, how]) => drawingOrder(part, how)).join('');
        expect(readableKhmer(drawn, true).text).toBe(written(parts));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves text in written order as it is, and does not take it for drawing order', () => {
    fc.assert(
      fc.property(word, (parts) => {
        const text = written(parts);
        expect(isKhmerInVisualOrder(text)).toBe(false);
        expect(readableKhmer(text, false)).toEqual({ text, offsets: [...Array(text.length + 1).keys()], dropped: [] });
      }),
      { numRuns: 1000 },
    );
  });

  it('tells drawing order from a left vowel drawn first', () => {
    fc.assert(
      fc.property(word, (parts) => {
        const [first, how] = parts[0]!;
        // A vowel with a left part, and that part drawn first (a ro drawn before it is a consonant it may follow).
        fc.pre(/[\u17be-\u17c5]/u.test(first.vowel) && !(first.ro && how.roFirst));
        expect(isKhmerInVisualOrder(parts.map(([part, drawn]) => drawingOrder(part, drawn)).join(''))).toBe(true);
      }),
    );
  });

  it('maps every offset forward, never backward, and each cluster start to its start', () => {
    fc.assert(
      fc.property(word, fc.string(), (parts, latin) => {
        const drawn = latin + parts.map(([part, how]) => drawingOrder(part, how)).join('') + latin;
        const { text, offsets } = readableKhmer(drawn, true);
        expect(offsets).toHaveLength(drawn.length + 1);
        expect(offsets[0]).toBe(0);
        expect(offsets.at(-1)).toBe(text.length);
        offsets.forEach((offset, index) => index > 0 && expect(offset).toBeGreaterThanOrEqual(offsets[index - 1]!));
      }),
    );
  });

  it('reads what pdf.js gives for the Khmer note (tests/fixtures/khmer-hearing-note.pdf)', () => {
    const read = (text: string, starts: number[] = []) => readableKhmer(text, true, new Set(starts)).text;
    // ចោទ: េ drawn first, ចា one glyph.
    expect(read('េចាទ')).toBe('ចោទ');
    // ត្រា: the subscript ro is a glyph without text (U+0000), drawn left of ត.
    expect(read('\u0000តា')).toBe('ត្រា');
    // ខេត្ត ព្រះ: the subscript of ត (U+0000) is dropped; the next item's U+0000 is a ro.
    expect(read('េខត\u0000\u0000ពះ', [4])).toBe('ខេតព្រះ');
    // នៃក្រម: the item starting with U+0000 begins a cluster even after a consonant.
    expect(read('ៃន\u0000កម', [2])).toBe('នៃក្រម');
    // នៅពេល: ន with ៅ is one glyph without text; the េ drawn before it belongs to nothing left.
    expect(read('េ\u0000េពល', [2])).toBe('ពេល');
    // A dotted circle next to Khmer stands for a glyph too; elsewhere it is text.
    expect(read('ក\u25cc ◌ x')).toBe('ក ◌ x');
    // So does a private-use character (Chrome's for the top of ើ in សំណើ; which vowel it was is lost).
    expect(read('សំេណ\uf155រប', [2, 4, 5])).toBe('សំណេរប');
    expect(read('\uf155 x')).toBe('\uf155 x');
    // Written order left alone (a page not in drawing order): only U+0000 goes.
    expect(readableKhmer('ចោទ ក\u0000ម', false).text).toBe('ចោទ កម');
  });
});
