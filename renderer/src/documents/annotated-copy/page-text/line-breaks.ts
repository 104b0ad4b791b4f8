/** Khmer letters, signs and digits (U+1780–17FF) and Khmer symbols (U+19E0–19FF). */
export const KHMER = /[\u1780-\u17FF\u19E0-\u19FF]/u;
const ZWSP = '\u200B';
const COENG = '\u17D2';

const words = new Intl.Segmenter('km', { granularity: 'word' });
const graphemes = new Intl.Segmenter('km', { granularity: 'grapheme' });

/**
 * Where a space-free stretch of text may break: after a zero-width space (how Khmer writers mark word breaks), and
 * between two Khmer words as the segmenter finds them (ICU's Khmer dictionary), never elsewhere, so Latin
 * punctuation stays with its word ("ឯកសារ.pdf" keeps ".pdf").
 */
export function wordPieces(word: string): string[] {
  const pieces: string[] = [];
  for (const part of word.split(new RegExp(`(?<=${ZWSP})`, 'u'))) {
    if (!KHMER.test(part)) {
      pieces.push(part);
      continue;
    }
    let piece = '';
    for (const { segment } of words.segment(part)) {
      if (piece !== '' && !(KHMER.test(piece.at(-1)!) && KHMER.test(segment[0]!))) piece += segment;
      else {
        if (piece !== '') pieces.push(piece);
        piece = segment;
      }
    }
    if (piece !== '') pieces.push(piece);
  }
  return pieces.filter((piece) => piece !== '');
}

/**
 * A piece too wide for a line, cut where it must be: between grapheme clusters, never right after a coeng (U+17D2),
 * which joins the next consonant below the one before it (a segmenter may count them as two clusters).
 */
export function graphemePieces(text: string): string[] {
  const pieces: string[] = [];
  for (const { segment } of graphemes.segment(text)) {
    if (pieces.length > 0 && pieces.at(-1)!.endsWith(COENG)) pieces[pieces.length - 1] += segment;
    else pieces.push(segment);
  }
  return pieces;
}

/**
 * Splits a line to the width: at spaces, between Khmer words and after zero-width spaces where it can, between
 * grapheme clusters where it must (a long hash, a Khmer word wider than the page). `width(text)` measures a line.
 */
export function wrapLine(text: string, maxWidth: number, width: (text: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  const place = (piece: string, separator: string) => {
    const candidate = line === '' ? piece : line + separator + piece;
    if (width(candidate) <= maxWidth) {
      line = candidate;
      return;
    }
    if (line !== '') lines.push(line);
    line = '';
    if (width(piece) <= maxWidth) {
      line = piece;
      return;
    }
    for (const cluster of graphemePieces(piece)) {
      if (line === '' || width(line + cluster) <= maxWidth) line += cluster;
      else {
        lines.push(line);
        line = cluster;
      }
    }
  };
  // An empty word keeps a double space (the custody lines' columns).
  for (const word of text.split(' '))
    for (const [index, piece] of (word === '' ? [''] : wordPieces(word)).entries())
      place(piece, index === 0 ? ' ' : '');
  lines.push(line);
  return lines;
}
