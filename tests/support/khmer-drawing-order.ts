/**
 * Khmer syllables in written (Unicode) order, and a model of what pdf.js gives for them from a PDF: the text of each
 * glyph in the order the glyphs are drawn (a left vowel and the subscript ro before the consonant, a split vowel as
 * េ before it and its right part after). For property tests of pdf-text/khmer-order.ts.
 */
import fc from 'fast-check';

const COENG = '\u17d2';
const RO = '\u179a';

export interface Syllable {
  base: string;
  /** Subscript consonants other than ro, in order. */
  subscripts: string[];
  /** Whether the subscript ro comes last (as it is typed). */
  ro: boolean;
  /** A register shifter (៉ ៊), written before the vowel. */
  shifter: string;
  vowel: string;
  signs: string[];
}

const char = (code: number) => String.fromCharCode(code);
const consonant = fc.integer({ min: 0x1780, max: 0x17a2 }).map(char);
const subscript = consonant.filter((letter) => letter !== RO);

export const syllable: fc.Arbitrary<Syllable> = fc.record({
  base: consonant,
  subscripts: fc.array(subscript, { maxLength: 2 }),
  ro: fc.boolean(),
  shifter: fc.constantFrom('', '\u17c9', '\u17ca'),
  vowel: fc.oneof(fc.constant(''), fc.integer({ min: 0x17b6, max: 0x17c5 }).map(char)),
  // Nikahit, reahmuk, bantoc.
  signs: fc.subarray(['\u17c6', '\u17c7', '\u17cb'], { maxLength: 1 }),
});

/** Whether a syllable's drawing ends in a consonant (its base or a subscript): nothing is drawn after them. */
export const drawnEndsInConsonant = (syllable: Syllable) =>
  syllable.shifter === '' && vowelParts(syllable.vowel)[1] === '' && syllable.signs.length === 0;

export function writtenOrder(syllable: Syllable): string {
  return (
    syllable.base +
    syllable.subscripts.map((letter) => COENG + letter).join('') +
    (syllable.ro ? COENG + RO : '') +
    syllable.shifter +
    syllable.vowel +
    syllable.signs.join('')
  );
}

/** The vowel's part drawn left of the consonant, and its part drawn after it (as a PDF's /ToUnicode names them). */
function vowelParts(vowel: string): [left: string, right: string] {
  if (vowel >= '\u17c1' && vowel <= '\u17c3') return [vowel, ''];
  if (vowel === '\u17c4') return ['\u17c1', '\u17b6']; // ោ: េ … ា
  if (vowel === '\u17be') return ['\u17c1', '\u17b8']; // ើ: េ … ី
  if (vowel === '\u17bf' || vowel === '\u17c0' || vowel === '\u17c5') return ['\u17c1', vowel]; // ឿ ៀ ៅ: េ … the vowel
  return ['', vowel];
}

export interface Drawing {
  /** The subscript ro as U+0000 (a glyph without text) rather than as ្រ. */
  roAsPlaceholder: boolean;
  /** The subscript ro drawn before the left vowel rather than after it. */
  roFirst: boolean;
}

export const drawing: fc.Arbitrary<Drawing> = fc.record({ roAsPlaceholder: fc.boolean(), roFirst: fc.boolean() });

export function drawingOrder(syllable: Syllable, how: Drawing): string {
  const [left, right] = vowelParts(syllable.vowel);
  const ro = syllable.ro ? (how.roAsPlaceholder ? '\u0000' : COENG + RO) : '';
  return (
    (how.roFirst ? ro + left : left + ro) +
    syllable.base +
    syllable.subscripts.map((letter) => COENG + letter).join('') +
    syllable.shifter +
    right +
    syllable.signs.join('')
  );
}
