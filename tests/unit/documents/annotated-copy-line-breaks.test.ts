/** Where the summary page's lines break: Khmer has no spaces between words, and a subscript never leaves its base. */
import { describe, expect, it } from 'vitest';
import {
  graphemePieces,
  wordPieces,
  wrapLine,
} from '../../../renderer/src/documents/annotated-copy/page-text/line-breaks';

/** A width of one unit per UTF-16 code unit: the tests choose the page's width in characters. */
const length = (text: string) => text.length;

describe('breaking the summary page’s lines', () => {
  it('breaks Khmer between words (ICU’s dictionary) and after zero-width spaces, never inside Latin', () => {
    expect(wordPieces('សាក្សីបាននិយាយថា')).toEqual(['សាក្សី', 'បាន', 'និយាយ', 'ថា']);
    expect(wordPieces('ក្រម\u200Bព្រហ្មទណ្ឌ')).toEqual(['ក្រម\u200B', 'ព្រហ្មទណ្ឌ']);
    expect(wordPieces('ឯកសារ.pdf')).toEqual(['ឯកសារ.pdf']);
    expect(wordPieces('judgment-2026.pdf')).toEqual(['judgment-2026.pdf']);
  });

  it('never cuts right after a coeng, so a subscript stays with the consonant above it', () => {
    const pieces = graphemePieces('ស្ត្រីក្រម');
    expect(pieces.join('')).toBe('ស្ត្រីក្រម');
    for (const piece of pieces) expect(piece.endsWith('\u17D2')).toBe(false);
    expect(pieces[0]).toBe('ស្ត្រី');
  });

  it('fills lines to the width, keeps every character, and cuts a word wider than the line by clusters', () => {
    const text = 'សាក្សីបាននិយាយថា ការសវនាការមិនបើកចំហ';
    const lines = wrapLine(text, 12, length);
    expect(lines).toEqual(['សាក្សីបាន', 'និយាយថា ការ', 'សវនាការមិន', 'បើកចំហ']);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(12);

    const hash = 'SHA-256: ' + 'ab'.repeat(32);
    expect(wrapLine(hash, 40, length)).toEqual(['SHA-256:', 'ab'.repeat(20), 'ab'.repeat(12)]);
    // Two spaces between columns stay two.
    expect(wrapLine('#7  2026-01-02', 40, length)).toEqual(['#7  2026-01-02']);
  });
});
