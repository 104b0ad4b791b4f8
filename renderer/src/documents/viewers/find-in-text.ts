/**
 * Find-in-document over the text pdf.js extracts, page by page. Matching
 * ignores case, runs of whitespace and the U+0000 that pdf.js leaves in some
 * Khmer text; matches are reported as offsets in the original page text so
 * the viewer can mark them in the text layer.
 */

export interface TextMatch {
  /** 1-based page number. */
  page: number;
  /** Offsets in that page's text, end exclusive. */
  start: number;
  end: number;
}

interface Normalized {
  text: string;
  /** For each UTF-16 unit of `text`, the original offset it came from. */
  origin: number[];
}

export function normalizeForFind(text: string): Normalized {
  let out = '';
  const origin: number[] = [];
  let offset = 0;
  for (const char of text) {
    const at = offset;
    offset += char.length;
    if (char === '\u0000') continue;
    if (/\s/u.test(char)) {
      if (out.length === 0 || out.endsWith(' ')) continue;
      out += ' ';
      origin.push(at);
      continue;
    }
    const lower = char.toLocaleLowerCase();
    out += lower;
    for (let unit = 0; unit < lower.length; unit++) origin.push(at);
  }
  return { text: out, origin };
}

/** Every match of `query` in `pages` (in reading order), at most `limit`. */
export function findInPages(pages: readonly string[], query: string, limit = 1000): TextMatch[] {
  const needle = normalizeForFind(query).text.trim();
  if (needle.length === 0) return [];
  const matches: TextMatch[] = [];
  pages.forEach((pageText, index) => {
    const { text, origin } = normalizeForFind(pageText);
    for (let at = text.indexOf(needle); at !== -1 && matches.length < limit; at = text.indexOf(needle, at + 1)) {
      const lastOrigin = origin[at + needle.length - 1]!;
      const lastChar = String.fromCodePoint(pageText.codePointAt(lastOrigin)!);
      matches.push({ page: index + 1, start: origin[at]!, end: lastOrigin + lastChar.length });
    }
  });
  return matches;
}

/** A page's text as pdf.js's text layer lays it out: one string per text item. */
export interface PageItems {
  items: readonly { str: string; hasEOL: boolean }[];
}

/** The page text find searches, and where each item starts in it. */
export function pageTextOf({ items }: PageItems): { text: string; itemStarts: number[] } {
  let text = '';
  const itemStarts: number[] = [];
  for (const item of items) {
    itemStarts.push(text.length);
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  return { text, itemStarts };
}

/** The parts of text items a match covers: [item index, start, end) within each item's string. */
export function itemRanges(
  match: { start: number; end: number },
  itemStarts: readonly number[],
  itemLengths: readonly number[],
): [number, number, number][] {
  const ranges: [number, number, number][] = [];
  itemStarts.forEach((itemStart, index) => {
    const itemEnd = itemStart + itemLengths[index]!;
    const start = Math.max(match.start, itemStart);
    const end = Math.min(match.end, itemEnd);
    if (start < end) ranges.push([index, start - itemStart, end - itemStart]);
  });
  return ranges;
}
