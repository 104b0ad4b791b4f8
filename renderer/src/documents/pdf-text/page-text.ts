/**
 * A PDF page's text from pdf.js's text items: the one text that find in
 * document, annotation anchoring and the stored extraction (search) share.
 * The text layer keeps pdf.js's own item strings; this text is made readable
 * from them, and remembers where each item went, so a place in the text
 * layer (a selection) becomes a place in this text and back (a highlight).
 *
 * Readable means two things pdf.js's items do not give:
 * - Khmer in written order (khmer-order.ts);
 * - items that are separate words kept apart: pdf.js joins items with
 *   nothing between them, so words it returns as separate items (each in its
 *   own marked-content span, as Chrome prints ligatures and clusters) run
 *   together. A gap between items on a line, wider than pdf.js's own measure
 *   of a space, becomes a space (either way: right-to-left text comes in
 *   reading order, each item left of the one before); an item on a lower line after one that did
 *   not end its line starts a new line, and so does an item that starts
 *   well to the left and a little lower (the next line of a column, after
 *   pdf.js read a block of the column beside it). Never a space between two
 *   pieces of Khmer:
 *   Khmer has no spaces between words, and its items split inside words with
 *   gaps where a subscript or a vowel is drawn.
 */
import type { ActualTextSpan } from './actual-text/align';
import { isKhmerInVisualOrder, readableKhmer } from './khmer-order';

/** One pdf.js text item, as getTextContent gives it (position and width optional: without them no gap is seen). */
export interface PageTextItem {
  str: string;
  hasEOL: boolean;
  /** The item's text matrix [a, b, c, d, e, f]: font size and direction in a–d, start at (e, f). */
  transform?: readonly number[];
  /** Its advance along the line, in the page's units. */
  width?: number;
}

/** A page's readable text and where each text item is in it. */
export interface PageText {
  text: string;
  /** Where each item's text starts in `text`. */
  itemStarts: number[];
  /** Each item's length as pdf.js gives it (its string in the text layer). */
  itemLengths: number[];
  /**
   * For an item whose text changed (Khmer reordered, placeholders dropped): for each offset 0…length in pdf.js's
   * string, the offset it became in the item's text here. Null when the item's text is pdf.js's as it is.
   */
  itemOffsets: (readonly number[] | null)[];
  /**
   * For an item with text left out of the page's text (placeholders pdf.js gives for glyphs it cannot name, such as
   * many Khmer subscripts): the offsets in pdf.js's string of what was left out. Null when nothing was.
   */
  itemDropped: (readonly number[] | null)[];
}

/** A gap wider than this share of the font size is a space (pdf.js's own measure of a space in a line: 0.102). */
const SPACE_GAP = 0.102;
/** A shift of more than this share of the font size from one item to the next is a new line (a superscript's is less). */
const LINE_SHIFT = 0.6;
/** Going back to the left and down by more than this share of the font size is going to the next line. */
const LINE_SHIFT_SMALL = 0.1;
/**
 * Khmer, and what stands for its glyphs (a dotted circle, a private-use character, a zero-width space or joiner,
 * U+0000): no space is ever put between two of these.
 */
const KHMER_LIKE = /[\u1780-\u17ff\u19e0-\u19ff\u25cc\ue000-\uf8ff\u200b-\u200d]/u;
const isKhmerLike = (char: string) => char === '\u0000' || KHMER_LIKE.test(char);

/** Font size and position of an item written left to right, horizontally; null for anything else (no gaps are read). */
function horizontal(item: PageTextItem): { size: number; x: number; end: number; y: number } | null {
  const [a, b, c, d, e, f] = item.transform ?? [];
  if (a === undefined || b === undefined || c === undefined || d === undefined || e === undefined || f === undefined)
    return null;
  if (item.width === undefined || a <= 0 || Math.abs(b) > 1e-3 * a || Math.abs(c) > 1e-3 * Math.abs(d)) return null;
  return { size: Math.hypot(c, d), x: e, end: e + item.width, y: f };
}

/** What goes between two consecutive items of a line pdf.js did not end: a space, a line break, or nothing. */
function separator(previous: PageTextItem, next: PageTextItem): string {
  const before = horizontal(previous);
  const after = horizontal(next);
  if (!before || !after) return '';
  const size = Math.max(before.size, after.size);
  if (size <= 0) return '';
  // PDF y grows upwards: a drop is a positive `lower`.
  const lower = before.y - after.y;
  if (Math.abs(lower) > LINE_SHIFT * size) return lower > 0 ? '\n' : '';
  const gap = after.x - before.end;
  const backGap = before.x - after.end;
  if (gap <= SPACE_GAP * size) {
    // Wholly left of the item before, and apart from it: right-to-left text drawn in reading order, or the next
    // block of text (a little lower: the next line of a column read after the column beside it). Not a mark put
    // back over the glyph before it.
    if (backGap <= SPACE_GAP * size || /^\p{M}/u.test(next.str)) return '';
    if (lower > LINE_SHIFT_SMALL * size) return '\n';
  }
  const last = previous.str.at(-1)!;
  const first = next.str[0]!;
  return isKhmerLike(last) && isKhmerLike(first) ? '' : ' ';
}

/**
 * The page's readable text and where each item is in it. Items pdf.js put
 * side by side with nothing between them are made readable together (a
 * Khmer cluster may start in one item and end in the next); a line end or a
 * separator ends such a run.
 *
 * `spans` (actual-text/align.ts) give the text of runs of items whose
 * glyphs do not carry it: a span's items become its text, whole (a place
 * inside them is the span's start, their end its end), with no separator
 * or line end inside, and are not reordered.
 */
export function pageTextOf({
  items,
  spans = [],
}: {
  items: readonly PageTextItem[];
  spans?: readonly ActualTextSpan[];
}): PageText {
  const spanOf = new Map<number, ActualTextSpan>();
  for (const span of spans) for (let index = span.first; index <= span.last; index++) spanOf.set(index, span);
  const visualOrder = isKhmerInVisualOrder(
    items
      .map((item, index) => {
        const span = spanOf.get(index);
        return span ? (span.first === index ? span.text : '') : item.str;
      })
      .join(''),
  );
  let text = '';
  const itemStarts: number[] = new Array<number>(items.length);
  const itemLengths = items.map((item) => item.str.length);
  const itemOffsets: (readonly number[] | null)[] = new Array<readonly number[] | null>(items.length);
  const itemDropped: (readonly number[] | null)[] = new Array<readonly number[] | null>(items.length);
  const identity = (offsets: readonly number[]) => offsets.every((at, offset) => at === offset);
  /** Items side by side, none of a span: reordered together. */
  const addPlain = (indexes: readonly number[]) => {
    const starts: number[] = [];
    let raw = '';
    for (const index of indexes) {
      starts.push(raw.length);
      raw += items[index]!.str;
    }
    const readable = readableKhmer(raw, visualOrder, new Set(starts.slice(1)));
    // `dropped` rises: walked once with the items, not filtered for each (a run may hold many thousands of items).
    let droppedAt = 0;
    indexes.forEach((index, position) => {
      const rawStart = starts[position]!;
      const first = readable.offsets[rawStart]!;
      const offsets = readable.offsets.slice(rawStart, rawStart + itemLengths[index]! + 1).map((at) => at - first);
      itemStarts[index] = text.length + first;
      itemOffsets[index] = identity(offsets) ? null : offsets;
      const dropped: number[] = [];
      while (droppedAt < readable.dropped.length && readable.dropped[droppedAt]! < rawStart) droppedAt++;
      for (
        ;
        droppedAt < readable.dropped.length && readable.dropped[droppedAt]! < rawStart + itemLengths[index]!;
        droppedAt++
      )
        dropped.push(readable.dropped[droppedAt]! - rawStart);
      itemDropped[index] = dropped.length > 0 ? dropped : null;
    });
    text += readable.text;
  };
  let run: number[] = [];
  const endRun = () => {
    let plain: number[] = [];
    for (const index of run) {
      const span = spanOf.get(index);
      if (!span) {
        plain.push(index);
        continue;
      }
      if (plain.length > 0) addPlain(plain);
      plain = [];
      if (index === span.first) text += span.text;
      const offsets = new Array<number>(itemLengths[index]! + 1).fill(0);
      offsets[itemLengths[index]!] = span.text.length;
      itemStarts[index] = text.length - span.text.length;
      itemOffsets[index] = identity(offsets) ? null : offsets;
      itemDropped[index] = null;
    }
    if (plain.length > 0) addPlain(plain);
    run = [];
  };
  // The last item with text, unless it ended its line.
  let previous: PageTextItem | null = null;
  items.forEach((item, index) => {
    const span = spanOf.get(index);
    const insideSpan = span !== undefined && index !== span.first;
    if (!insideSpan && previous && item.str !== '' && !/\s$/u.test(previous.str) && !/^\s/u.test(item.str)) {
      const between = separator(previous, item);
      if (between !== '') {
        endRun();
        text += between;
      }
    }
    run.push(index);
    if (item.hasEOL && (span === undefined || index === span.last)) {
      endRun();
      text += '\n';
      previous = null;
    } else if (item.str !== '') previous = item;
  });
  endRun();
  return { text, itemStarts, itemLengths, itemOffsets, itemDropped };
}

/** Where an offset in an item's pdf.js string (as in the text layer) is in the page's text. */
export function pageOffsetOf(page: PageText, item: number, offset: number): number {
  const offsets = page.itemOffsets[item];
  const start = page.itemStarts[item] ?? 0;
  if (!offsets) return start + offset;
  return start + offsets[Math.min(Math.max(offset, 0), offsets.length - 1)]!;
}

/**
 * The parts of text items a range of the page's text covers: [item index, start, end) within each item's pdf.js
 * string, so the text layer marks exactly the glyphs of the range. Inside an item whose text was reordered, a range
 * widens to the whole clusters it touches. What was left out of the page's text (a placeholder for a subscript pdf.js
 * could not name) belongs to the cluster before it (at an item's start, to the one after it): marked with that
 * cluster, inside the range or at its end, never when it only stands next to the range.
 */
export function itemRanges(range: { start: number; end: number }, page: PageText): [number, number, number][] {
  const ranges: [number, number, number][] = [];
  const { start, end } = range;
  if (start >= end) return ranges;
  // A placeholder just after the range's last character is that cluster's, if it is Khmer (or what stands for it).
  const last = page.text[end - 1];
  const clusterGoesOn = last !== undefined && isKhmerLike(last);
  page.itemStarts.forEach((itemStart, index) => {
    const length = page.itemLengths[index]!;
    const offsets = page.itemOffsets[index];
    if (!offsets) {
      const from = Math.max(start, itemStart) - itemStart;
      const to = Math.min(end, itemStart + length) - itemStart;
      if (from < to) ranges.push([index, from, to]);
      return;
    }
    if (itemStart + offsets[length]! < start || itemStart > end) return;
    const dropped = new Set(page.itemDropped[index] ?? []);
    // pdf.js starts an item at a cluster (Chrome prints each Khmer cluster that needs one in its own span): what was
    // left out at an item's start, before its first letter, belongs to the cluster that follows.
    let leading = 0;
    while (dropped.has(leading)) leading++;
    if (leading === length) leading = 0;
    let first = -1;
    let after = -1;
    for (let at = 0; at < length; at++) {
      const from = itemStart + offsets[at]!;
      const to = itemStart + offsets[at + 1]!;
      const inRange = dropped.has(at)
        ? at < leading
          ? start <= from && from < end
          : start < from && (from < end || (from === end && clusterGoesOn))
        : to > from
          ? from < end && to > start
          : // The start of a reordered cluster (a left vowel, a subscript ro) written after the base that follows.
            start <= from && from < end;
      if (!inRange) continue;
      if (first === -1) first = at;
      after = at + 1;
    }
    if (first === -1) return;
    // Back to the start of the cluster the range begins inside.
    while (first > 0 && !dropped.has(first - 1) && offsets[first - 1] === offsets[first]) first--;
    ranges.push([index, first, after]);
  });
  return ranges;
}
