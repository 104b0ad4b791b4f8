import search from 'approx-string-match';
import { textKey, type TextKey } from './text-key';

/**
 * Anchoring text annotations to extracted page text, after the W3C Web
 * Annotation selectors and Hypothesis's re-anchoring: each segment of a
 * selection (one per page) keeps its page, a position and the quote with
 * context. Resolving trusts the position only when the text there still is
 * the quote; otherwise it searches for the quote, fuzzily, starting at the
 * expected page and moving outward; when nothing scores well enough the
 * segment is orphaned (shown with its quote, never dropped).
 *
 * Offsets in stored selectors count Unicode code points (as W3C does);
 * JavaScript strings index UTF-16 units, so conversions are explicit.
 */

/** Code points of context kept on each side of a quote. */
export const CONTEXT_LENGTH = 32;

export interface TextQuote {
  exact: string;
  prefix: string;
  suffix: string;
}

/** One page's part of a text selection. Offsets are code points into that page's extracted text. */
export interface TextSegment {
  /** 0-based page index (0 for plain text documents). */
  page: number;
  start: number;
  end: number;
  quote: TextQuote;
}

export type AnchorStatus = 'anchored' | 'reanchored' | 'orphaned';

export interface ResolvedSegment {
  status: AnchorStatus;
  /** Where the quote is now (the stored place when orphaned). */
  page: number;
  start: number;
  end: number;
  /** 0–1: how well the found text matches the quote and its context. */
  score: number;
}

// Hypothesis's weights: the quote matters most, context next, position breaks ties.
const WEIGHT = { quote: 50, prefix: 20, suffix: 20, position: 2 };
const TOTAL_WEIGHT = WEIGHT.quote + WEIGHT.prefix + WEIGHT.suffix + WEIGHT.position;
/** Below this the quote is not considered found. */
export const MIN_SCORE = 0.5;
/** A candidate must match at least this share of the quote itself. */
const MIN_QUOTE_SIMILARITY = 0.7;

// ── code points and UTF-16 units ───────────────────────────────────────────

export function unitToCodePoint(text: string, unit: number): number {
  return [...text.slice(0, unit)].length;
}

export function codePointToUnit(text: string, codePoint: number): number {
  let unit = 0;
  let seen = 0;
  for (const char of text) {
    if (seen === codePoint) return unit;
    unit += char.length;
    seen += 1;
  }
  return unit;
}

function sliceCodePoints(text: string, start: number, end: number): string {
  return text.slice(codePointToUnit(text, start), codePointToUnit(text, end));
}

// ── grapheme clusters ─────────────────────────────────────────────────────

const segmenters = new Map<string, Intl.Segmenter>();

/** Widens [start, end) (UTF-16 units) to whole grapheme clusters, so a Khmer cluster is never cut. */
export function snapToGraphemes(text: string, start: number, end: number, locale = 'km'): [number, number] {
  let segmenter = segmenters.get(locale);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'grapheme' });
    segmenters.set(locale, segmenter);
  }
  let snappedStart = start;
  let snappedEnd = end;
  for (const { index, segment } of segmenter.segment(text)) {
    const segmentEnd = index + segment.length;
    if (index <= start && start < segmentEnd) snappedStart = index;
    if (index < end && end <= segmentEnd) snappedEnd = segmentEnd;
    if (index >= end) break;
  }
  return [snappedStart, snappedEnd];
}

// ── making selectors ──────────────────────────────────────────────────────

/** The segment for [startUnit, endUnit) of a page's text, snapped to grapheme clusters. */
export function describeSegment(pageText: string, page: number, startUnit: number, endUnit: number): TextSegment {
  const [start, end] = snapToGraphemes(pageText, startUnit, endUnit);
  const startCp = unitToCodePoint(pageText, start);
  const endCp = unitToCodePoint(pageText, end);
  const all = [...pageText];
  return {
    page,
    start: startCp,
    end: endCp,
    quote: {
      exact: all.slice(startCp, endCp).join(''),
      prefix: all.slice(Math.max(0, startCp - CONTEXT_LENGTH), startCp).join(''),
      suffix: all.slice(endCp, endCp + CONTEXT_LENGTH).join(''),
    },
  };
}

// ── resolving ─────────────────────────────────────────────────────────────

function similarity(found: string, expected: string): number {
  if (expected.length === 0) return 1;
  if (found === expected) return 1;
  const [best] = search(found, expected, Math.ceil(expected.length / 2)).sort((a, b) => a.errors - b.errors);
  return best ? 1 - best.errors / expected.length : 0;
}

interface Candidate {
  start: number;
  end: number;
  errors: number;
}

function candidatesIn(page: TextKey, quote: string): Candidate[] {
  const exact: Candidate[] = [];
  for (let at = page.key.indexOf(quote); at !== -1; at = page.key.indexOf(quote, at + 1))
    exact.push({ start: at, end: at + quote.length, errors: 0 });
  if (exact.length > 0) return exact;
  const maxErrors = Math.min(256, Math.floor(quote.length * (1 - MIN_QUOTE_SIMILARITY)));
  return search(page.key, quote, maxErrors);
}

/** Orders pages for the search: the expected page, then outward (p+1, p−1, p+2, …). */
function pagesOutward(expected: number, count: number): number[] {
  const order: number[] = [];
  const first = Math.min(Math.max(expected, 0), count - 1);
  for (let distance = 0; order.length < count; distance++) {
    if (first + distance < count) order.push(first + distance);
    if (distance > 0 && first - distance >= 0) order.push(first - distance);
  }
  return order;
}

/**
 * Finds a segment in the current page texts. `pageTexts[i]` is page i's
 * extracted text, as the segment was described from.
 */
export function resolveSegment(segment: TextSegment, pageTexts: readonly string[]): ResolvedSegment {
  const orphan: ResolvedSegment = {
    status: 'orphaned',
    page: segment.page,
    start: segment.start,
    end: segment.end,
    score: 0,
  };
  const stored = pageTexts[segment.page];
  if (stored !== undefined && sliceCodePoints(stored, segment.start, segment.end) === segment.quote.exact)
    return { status: 'anchored', page: segment.page, start: segment.start, end: segment.end, score: 1 };
  if (pageTexts.length === 0) return orphan;

  const quoteKey = textKey(segment.quote.exact).key;
  if (quoteKey.length === 0) return orphan;
  const prefixKey = textKey(segment.quote.prefix).key;
  const suffixKey = textKey(segment.quote.suffix).key;

  let best: ResolvedSegment = orphan;
  for (const pageIndex of pagesOutward(segment.page, pageTexts.length)) {
    const raw = pageTexts[pageIndex]!;
    const page = textKey(raw);
    const expectedAt = pageIndex === segment.page ? segment.start : null;
    for (const candidate of candidatesIn(page, quoteKey)) {
      const quoteScore = 1 - candidate.errors / quoteKey.length;
      if (quoteScore < MIN_QUOTE_SIMILARITY) continue;
      const before = page.key.slice(Math.max(0, candidate.start - prefixKey.length), candidate.start);
      const after = page.key.slice(candidate.end, candidate.end + suffixKey.length);
      const prefixScore = similarity(before, prefixKey);
      const suffixScore = similarity(after, suffixKey);
      // Raw offsets: from the key back to the page text, then to code points.
      const startUnit = page.origin[candidate.start]!;
      const lastUnit = page.origin[candidate.end - 1]!;
      const endUnit = lastUnit + String.fromCodePoint(raw.codePointAt(lastUnit)!).length;
      const start = unitToCodePoint(raw, startUnit);
      const end = unitToCodePoint(raw, endUnit);
      const positionScore =
        expectedAt === null ? 0 : 1 - Math.min(1, Math.abs(start - expectedAt) / Math.max(1, raw.length));
      const score =
        (WEIGHT.quote * quoteScore +
          WEIGHT.prefix * prefixScore +
          WEIGHT.suffix * suffixScore +
          WEIGHT.position * positionScore) /
        TOTAL_WEIGHT;
      if (score > best.score) best = { status: 'reanchored', page: pageIndex, start, end, score };
      // An exact quote with exact (non-empty) context on one side is as good as it gets;
      // a side without context (page start or end) is no evidence either way.
      const exactPrefix = prefixKey.length > 0 && prefixScore === 1;
      const exactSuffix = suffixKey.length > 0 && suffixScore === 1;
      if (candidate.errors === 0 && (exactPrefix || exactSuffix)) return best;
    }
  }
  return best.score >= MIN_SCORE ? best : orphan;
}

/** A whole (possibly cross-page) selection: anchored only if every segment is; orphaned if none is. */
export function resolveSegments(
  segments: readonly TextSegment[],
  pageTexts: readonly string[],
): { status: AnchorStatus | 'partial'; segments: ResolvedSegment[] } {
  const resolved = segments.map((segment) => resolveSegment(segment, pageTexts));
  const statuses = new Set(resolved.map((segment) => segment.status));
  const status = statuses.size === 1 ? resolved[0]!.status : statuses.has('orphaned') ? 'partial' : 'reanchored';
  return { status, segments: resolved };
}

/** Segments for a selection from (startPage, startUnit) to (endPage, endUnit), one per page it touches. */
export function describeSelection(
  pageTexts: readonly string[],
  from: { page: number; unit: number },
  to: { page: number; unit: number },
): TextSegment[] {
  const segments: TextSegment[] = [];
  for (let page = from.page; page <= to.page; page++) {
    const text = pageTexts[page] ?? '';
    const start = page === from.page ? from.unit : 0;
    const end = page === to.page ? to.unit : text.length;
    if (end > start) segments.push(describeSegment(text, page, start, end));
  }
  return segments;
}
