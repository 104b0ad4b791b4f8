/**
 * The form text is compared in when anchoring: NFKC, no whitespace, no U+0000,
 * and Khmer reduced to a skeleton. pdf.js and other extractors disagree on
 * spaces, return some Khmer in visual order with U+0000 for unmapped glyphs,
 * and normalise differently between versions; the skeleton (base consonants
 * and independent letters, without coeng + subscript and dependent vowel
 * signs) survives all of that. `origin` maps each key unit back to the raw
 * text, so a match on the key becomes offsets in the real page text.
 */

const COENG = 0x17d2;

function isKhmerConsonant(code: number): boolean {
  return code >= 0x1780 && code <= 0x17a2;
}

/** Dependent vowels and signs that float around a consonant (U+17B6–U+17D1, U+17D3, U+17DD). */
function isKhmerMark(code: number): boolean {
  return (code >= 0x17b4 && code <= 0x17d1) || code === 0x17d3 || code === 0x17dd;
}

export interface TextKey {
  key: string;
  /** For each UTF-16 unit of `key`, the UTF-16 offset in the raw text it came from. */
  origin: number[];
}

export function textKey(raw: string): TextKey {
  let key = '';
  const origin: number[] = [];
  let offset = 0;
  let skipSubscript = false;
  for (const char of raw) {
    const at = offset;
    offset += char.length;
    const code = char.codePointAt(0)!;
    if (skipSubscript) {
      skipSubscript = false;
      if (isKhmerConsonant(code)) continue;
    }
    if (code === COENG) {
      skipSubscript = true;
      continue;
    }
    // Format characters (zero-width space between Khmer words, joiners, soft hyphen) vary between extractors.
    if (code === 0 || isKhmerMark(code) || /[\s\p{Cf}]/u.test(char)) continue;
    const normalised = char.normalize('NFKC');
    key += normalised;
    for (let unit = 0; unit < normalised.length; unit++) origin.push(at);
  }
  return { key, origin };
}
