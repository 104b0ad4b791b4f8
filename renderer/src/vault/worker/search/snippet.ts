/**
 * Search snippets in the record's own words. Matching is done on folded text
 * (search-text.ts: NFKC, case, Latin accents, Khmer digits as ASCII, no
 * U+0000 or format characters), but a snippet quotes the original text
 * exactly: every folded unit remembers which original characters it came
 * from, so what is marked is the very substring of the source that matched
 * ("enregistrées" found by "enregistrees", "៤៩៤" by "494", "ﺑﺎﺏ" by "باب").
 * A quote that differs from its source cannot serve as evidence.
 *
 * Nothing here is kept: the text is folded only for the few results shown,
 * from the record re-read when they are shown (the index keeps no text).
 */
import type { SearchSnippet } from '../../api';
import {
  COENG,
  isKhmerLetter,
  isKhmerMark,
  khmerSkeleton,
  khmerSkeletonWithOrigins,
  normaliseForSearch,
} from '../../search-text';

/** A part of an entry's text that belongs to one named field (hearings): [start, end) and its i18n label key. */
export interface SnippetField {
  label: string;
  start: number;
  end: number;
}

/** Text folded as search folds it, with where each folded UTF-16 unit came from in the original. */
export interface FoldedText {
  folded: string;
  /** Start, in the original, of the characters each folded unit came from. */
  starts: Uint32Array;
  /** End (exclusive) of those characters. */
  ends: Uint32Array;
}

/** Original characters kept before the first match, and the length a snippet aims at (UTF-16 units). */
const CONTEXT_BEFORE = 60;
const SNIPPET_LENGTH = 200;
/** About how long the pieces are that the text is folded in (see chunkBoundaries). */
const CHUNK_CHARS = 512;
/** How far a snippet's edge moves to reach a space rather than cut a word. */
const WORD_EDGE_REACH = 16;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const MARK = /^\p{M}$/u;
const SPACE = /\s/;
const isKhmer = (char: string) => char >= '\u1780' && char <= '\u17ff';

const markCache = new Map<number, boolean>();
function isCombiningMark(code: number): boolean {
  if (code < 0x300) return false;
  let mark = markCache.get(code);
  if (mark === undefined) markCache.set(code, (mark = MARK.test(String.fromCodePoint(code))));
  return mark;
}

/** Folded forms of the character sequences met so far: a vault has few distinct ones. */
const foldCache = new Map<string, string>();
const FOLD_CACHE_LIMIT = 50_000;
function foldSequence(sequence: string): string {
  let folded = foldCache.get(sequence);
  if (folded === undefined) {
    if (foldCache.size >= FOLD_CACHE_LIMIT) foldCache.clear();
    foldCache.set(sequence, (folded = normaliseForSearch(sequence)));
  }
  return folded;
}

/**
 * `text` folded as `normaliseForSearch` folds it, one character and its
 * combining marks at a time (normalisation composes within such a sequence,
 * so the pieces join up to the same folded text), with the origin of every
 * folded unit.
 */
export function foldWithOrigins(text: string): FoldedText {
  let folded = '';
  // Folding rarely lengthens a text much (a ligature, an Arabic presentation form): grown if it does.
  let starts = new Uint32Array(text.length + 16);
  let ends = new Uint32Array(text.length + 16);
  let length = 0;
  for (let at = 0; at < text.length;) {
    const unit = text.charCodeAt(at);
    const code = unit >= 0xd800 && unit <= 0xdbff ? text.codePointAt(at)! : unit;
    let end = at + (code > 0xffff ? 2 : 1);
    for (let next = text.charCodeAt(end); next >= 0x300 && isCombiningMark(text.codePointAt(end)!);) {
      end += text.codePointAt(end)! > 0xffff ? 2 : 1;
      next = text.charCodeAt(end);
    }
    // ASCII alone folds to its lower case (U+0000 to nothing): most of a Latin text, without a lookup.
    const piece =
      end === at + 1 && code < 0x80
        ? code === 0
          ? ''
          : code >= 0x41 && code <= 0x5a
            ? String.fromCharCode(code + 32)
            : text[at]!
        : foldSequence(text.slice(at, end));
    if (length + piece.length > starts.length) {
      const grown = Math.max(starts.length * 2, length + piece.length);
      const grownStarts = new Uint32Array(grown);
      const grownEnds = new Uint32Array(grown);
      grownStarts.set(starts);
      grownEnds.set(ends);
      starts = grownStarts;
      ends = grownEnds;
    }
    folded += piece;
    for (let index = 0; index < piece.length; index++) {
      starts[length] = at;
      ends[length] = end;
      length++;
    }
    at = end;
  }
  return { folded, starts, ends };
}

/** Where a Khmer match that starts at letter `start` and ends with letter `last` begins and ends, whole clusters. */
function khmerSpan(text: string, start: number, last: number): [number, number] {
  // U+0000 before the first letter stands for a sign pdf.js could not map (a subscript drawn first).
  while (start > 0 && text.charCodeAt(start - 1) === 0) start--;
  let end = last + 1;
  for (let afterCoeng = false; end < text.length; end++) {
    const code = text.charCodeAt(end);
    if (afterCoeng && isKhmerLetter(code)) afterCoeng = false;
    else if (isKhmerMark(code)) afterCoeng = code === COENG;
    else break;
  }
  return [start, end];
}

/**
 * Where the text may be cut into pieces that fold on their own: before a
 * space, every CHUNK_CHARS or so. No term holds a space, and nothing folds
 * together across one, so a piece folds and matches as it would in the whole.
 */
function chunkBoundaries(text: string): number[] {
  const bounds = [0];
  const space = /\s/g;
  for (let at = CHUNK_CHARS; at < text.length;) {
    space.lastIndex = at;
    const found = space.exec(text);
    if (!found) break;
    bounds.push(found.index);
    at = found.index + CHUNK_CHARS;
  }
  if (bounds.at(-1) !== text.length) bounds.push(text.length);
  return bounds;
}

/**
 * Where the terms occur in text[from, to) (a run of whole pieces), as
 * [start, end) in the original text. A typed prefix is marked to the end of
 * its word ("cour" marks "court"), except inside unspaced Khmer, where a word
 * has no visible end.
 */
function directMatches(text: string, from: number, to: number, terms: Iterable<string>): [number, number][] {
  const { folded, starts, ends } = foldWithOrigins(text.slice(from, to));
  const found: [number, number][] = [];
  for (const term of terms)
    for (let at = folded.indexOf(term); at >= 0;) {
      let end = at + term.length;
      if (!isKhmer(term.at(-1) ?? ''))
        while (end < folded.length && WORD_CHAR.test(folded[end]!) && !isKhmer(folded[end]!)) end++;
      found.push([from + starts[at]!, from + ends[end - 1]!]);
      at = folded.indexOf(term, end);
    }
  return found;
}

/**
 * Where Khmer terms not found as typed occur by their skeleton (pdf.js gives
 * Khmer with spaces, U+0000 or in visual order), as the index found them.
 */
function skeletonMatches(text: string, terms: readonly string[]): [number, number][] {
  const needles = terms.map((term) => khmerSkeleton(term)).filter((needle) => needle !== '');
  if (needles.length === 0) return [];
  const { skeleton, origins } = khmerSkeletonWithOrigins(text);
  const found: [number, number][] = [];
  for (const needle of needles)
    for (let at = skeleton.indexOf(needle); at >= 0; at = skeleton.indexOf(needle, at + needle.length))
      found.push(khmerSpan(text, origins[at]!, origins[at + needle.length - 1]!));
  return found;
}

/** In reading order, overlaps joined: one mark per stretch of matched text. */
function merged(found: [number, number][]): [number, number][] {
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: [number, number][] = [];
  for (const [start, end] of found) {
    const previous = out.at(-1);
    if (previous && start <= previous[1]) previous[1] = Math.max(previous[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** Whether `at` is inside a character (between surrogates, or before a combining mark): no edge there. */
function insideCharacter(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return false;
  const code = text.charCodeAt(at);
  return (code >= 0xdc00 && code <= 0xdfff) || isCombiningMark(text.codePointAt(at)!);
}

/** A snippet's start moved back to the start of its word (if a space is near) and never inside a character. */
function startEdge(text: string, at: number, limit: number): number {
  for (let back = at; back > Math.max(limit, at - WORD_EDGE_REACH); back--)
    if (SPACE.test(text[back - 1]!)) return back;
  while (at > limit && insideCharacter(text, at)) at--;
  return at;
}

/** A snippet's end moved on to the end of its word (if a space is near) and never inside a character. */
function endEdge(text: string, at: number, limit: number): number {
  for (let on = at; on < Math.min(limit, at + WORD_EDGE_REACH); on++) if (SPACE.test(text[on]!)) return on;
  while (at < limit && insideCharacter(text, at)) at++;
  return at;
}

/**
 * The original text around the first match, with every match in it marked
 * ([start, end) in the snippet's text). Where the entry's text is made of
 * named fields (a hearing), the snippet stays inside the field of its first
 * match and names it; without a match it shows the start of the text.
 *
 * Only the pieces around the first match are folded with their origins (the
 * slow part); the rest is folded as the index folds it, to find that match.
 */
export function snippet(text: string, terms: readonly string[], fields: readonly SnippetField[] = []): SearchSnippet {
  const wanted = [...new Set(terms.filter((term) => term !== ''))];
  const bounds = chunkBoundaries(text);
  const present = new Set<string>();
  let firstPiece = -1;
  for (let piece = 0; piece + 1 < bounds.length && present.size < wanted.length; piece++) {
    const folded = normaliseForSearch(text.slice(bounds[piece], bounds[piece + 1]));
    for (const term of wanted)
      if (!present.has(term) && folded.includes(term)) {
        present.add(term);
        if (firstPiece < 0) firstPiece = piece;
      }
  }
  const byskeleton = merged(
    skeletonMatches(
      text,
      wanted.filter((term) => !present.has(term)),
    ),
  );
  let first: [number, number] | undefined = byskeleton[0];
  if (firstPiece >= 0) {
    const direct = merged(directMatches(text, bounds[firstPiece]!, bounds[firstPiece + 1]!, present))[0];
    if (direct && (first === undefined || direct[0] < first[0])) first = direct;
  }
  const field =
    fields.find((candidate) => first !== undefined && first[0] >= candidate.start && first[0] < candidate.end) ??
    (first === undefined ? fields[0] : undefined);
  const lower = field?.start ?? 0;
  const upper = field?.end ?? text.length;
  const anchor = first?.[0] ?? lower;
  const from = startEdge(text, Math.max(lower, anchor - CONTEXT_BEFORE), lower);
  // Every match that can show: those in the pieces the snippet can reach.
  const reach = Math.max(from + SNIPPET_LENGTH, first?.[1] ?? 0) + WORD_EDGE_REACH;
  const firstFolded = bounds.findLastIndex((bound) => bound <= from);
  const lastFolded = bounds.findIndex((bound) => bound >= Math.min(reach, text.length));
  const matches = merged([
    ...(present.size > 0 ? directMatches(text, bounds[firstFolded]!, bounds[lastFolded]!, present) : []),
    ...byskeleton,
  ]);
  let to = Math.min(upper, Math.max(from + SNIPPET_LENGTH, first?.[1] ?? 0));
  // A match that starts inside is shown whole.
  for (const [start, end] of matches) if (start < to && end > to) to = Math.min(upper, end);
  to = endEdge(text, to, upper);
  return {
    text: text.slice(from, to),
    marks: matches
      .filter(([start, end]) => start >= from && end <= to)
      .map(([start, end]) => [start - from, end - from]),
    cutBefore: from > lower,
    cutAfter: to < upper,
    field: field?.label ?? null,
  };
}
