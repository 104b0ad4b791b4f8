import { describe, expect, it } from 'vitest';
import { printable } from '../../../cli/printable';

describe('printable (text from a bundle, before it reaches a terminal)', () => {
  it.each([
    ['C0 and DEL', 'a\u0000\u0007\u001b[2Jb\u007f\n\r\t', 'a\\u{0}\\u{7}\\u{1b}[2Jb\\u{7f}\\u{a}\\u{d}\\u{9}'],
    ['C1, CSI among them', '\u0080x\u009b2J\u009f\u0085', '\\u{80}x\\u{9b}2J\\u{9f}\\u{85}'],
    [
      'bidi embeddings and overrides',
      '\u202a\u202b\u202c\u202d\u202e',
      '\\u{202a}\\u{202b}\\u{202c}\\u{202d}\\u{202e}',
    ],
    ['bidi isolates', '\u2066\u2067\u2068\u2069', '\\u{2066}\\u{2067}\\u{2068}\\u{2069}'],
    ['bidi marks', '\u200e\u200f\u061c', '\\u{200e}\\u{200f}\\u{61c}'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u{2028}b\\u{2029}c'],
    ['unpaired surrogates', 'a\ud800b\udc00', 'a\\u{d800}b\\u{dc00}'],
    ['a backslash, so an escape cannot be faked', 'x\\u{9b}', 'x\\\\u{9b}'],
  ])('escapes %s', (_what, text, expected) => {
    expect(printable(text)).toBe(expected);
  });

  it('leaves ordinary text alone: Khmer, accents, emoji, quotes, joiners', () => {
    const text = 'សុខ ចាន់ "Dara" Ōno 👩‍⚖️ ‘quoted’ ស្រី\u200b';
    expect(printable(text)).toBe(text);
  });
});
