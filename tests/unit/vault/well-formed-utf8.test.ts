import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWellFormedUtf8 } from '../../../renderer/src/vault/worker/documents-service';

describe('the UTF-8 check of a remembered PDF password (no string made of it)', () => {
  it('accepts every encoded string: Khmer, accents, astral characters', () => {
    for (const text of ['ខ្មែរ-២០២៥', 'Zqpdfpassword-é', '🔒 pass', 'a', '\u{10FFFF}'])
      expect(isWellFormedUtf8(new TextEncoder().encode(text)), text).toBe(true);
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => isWellFormedUtf8(new TextEncoder().encode(text))));
  });

  it('agrees with Node’s own check on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => isWellFormedUtf8(bytes) === isUtf8(bytes)),
      { numRuns: 20_000 },
    );
    for (const bytes of [
      [0xed, 0xa0, 0x80],
      [0xc0, 0xaf],
      [0xe0, 0x80, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe1, 0x80],
    ])
      expect(isWellFormedUtf8(new Uint8Array(bytes)), bytes.join(' ')).toBe(false);
  });
});
