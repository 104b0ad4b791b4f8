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
 * Every place a term occurs, as [start, end) in the original text. A typed
 * prefix is marked to the end of its word ("cour" marks "court"), except
 * inside unspaced Khmer, where a word has no visible end. A Khmer term not
 * found as typed (pdf.js gives Khmer with spaces, U+0000 or in visual order)
 * is found by its skeleton, as the index found it.
 */
function matchesOf(text: string, { folded, starts, ends }: FoldedText, terms: readonly string[]): [number, number][] {
  const found: [number, number][] = [];
  let skeleton: ReturnType<typeof khmerSkeletonWithOrigins> | null = null;
  for (const term of terms) {
    if (term === '') continue;
    let any = false;
    for (let at = folded.indexOf(term); at >= 0;) {
      let end = at + term.length;
      if (!isKhmer(term.at(-1) ?? ''))
        while (end < folded.length && WORD_CHAR.test(folded[end]!) && !isKhmer(folded[end]!)) end++;
      found.push([starts[at]!, ends[end - 1]!]);
      any = true;
      at = folded.indexOf(term, end);
    }
    const needle = any ? '' : khmerSkeleton(term);
    if (needle === '') continue;
    skeleton ??= khmerSkeletonWithOrigins(text);
    for (
      let at = skeleton.skeleton.indexOf(needle);
      at >= 0;
      at = skeleton.skeleton.indexOf(needle, at + needle.length)
    )
      found.push(khmerSpan(text, skeleton.origins[at]!, skeleton.origins[at + needle.length - 1]!));
  }
  // In reading order, overlaps joined: one mark per stretch of matched text.
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of found) {
    const previous = merged.at(-1);
    if (previous && start <= previous[1]) previous[1] = Math.max(previous[1], end);
    else merged.push([start, end]);
  }
  return merged;
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
 */
export function snippet(text: string, terms: readonly string[], fields: readonly SnippetField[] = []): SearchSnippet {
  const matches = matchesOf(text, foldWithOrigins(text), terms);
  const first = matches[0];
  const field =
    fields.find((candidate) => first !== undefined && first[0] >= candidate.start && first[0] < candidate.end) ??
    (first === undefined ? fields[0] : undefined);
  const lower = field?.start ?? 0;
  const upper = field?.end ?? text.length;
  const anchor = first?.[0] ?? lower;
  const from = startEdge(text, Math.max(lower, anchor - CONTEXT_BEFORE), lower);
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
