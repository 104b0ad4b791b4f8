import { useDeferredValue, useMemo, useState } from 'react';
import { itemRanges, type PageText } from '../pdf-text';
import { type FindOptions, findInPrepared, preparePages } from './find-in-text';
import type { ItemMark } from './PdfPage';

/** Find-in-document state: the query, its matches across every page, and which match is current. */
/** `initial`: a query to start with (from a search result) and the page whose match comes first. */
export function usePdfFind(pages: readonly PageText[] | null, initial?: { query: string; page: number }) {
  const [query, setQuery] = useState(initial?.query ?? '');
  const deferredQuery = useDeferredValue(query);
  // Case and accents ignored unless asked for, as in pdf.js's find bar.
  const [matchCase, setMatchCase] = useState(false);
  const [matchDiacritics, setMatchDiacritics] = useState(false);
  // What the current match index belongs to: a new query or option starts again at its first match.
  const searchKey = `${matchCase ? 'case' : ''}/${matchDiacritics ? 'diacritics' : ''}/${deferredQuery}`;
  // index -1: not stepped yet; start at the first match on the initial page (or after it).
  const [current, setCurrent] = useState({ key: `//${initial?.query ?? ''}`, index: initial ? -1 : 0 });

  // Pages are folded once per document and options, not once per keystroke, and only once find is used.
  const searching = deferredQuery.trim() !== '';
  const prepared = useMemo(() => {
    if (!pages || !searching) return null;
    const options: FindOptions = { matchCase, matchDiacritics };
    return {
      options,
      pages: preparePages(
        pages.map((page) => page.text),
        options,
      ),
    };
  }, [pages, searching, matchCase, matchDiacritics]);
  const matches = useMemo(
    () => (prepared ? findInPrepared(prepared.pages, deferredQuery, prepared.options) : []),
    [prepared, deferredQuery],
  );
  // A new query starts again at its first match.
  const startIndex = Math.max(0, initial ? matches.findIndex((match) => match.page >= initial.page) : 0);
  const currentIndex =
    current.key !== searchKey
      ? 0
      : current.index === -1
        ? startIndex
        : Math.min(current.index, Math.max(0, matches.length - 1));

  const marksByPage = useMemo(() => {
    const byPage = new Map<number, ItemMark[]>();
    if (!pages) return byPage;
    matches.forEach((match, index) => {
      const page = pages[match.page - 1];
      if (!page) return;
      const marks = byPage.get(match.page) ?? [];
      for (const [item, start, end] of itemRanges(match, page))
        marks.push({ item, start, end, className: index === currentIndex ? 'find-match current' : 'find-match' });
      byPage.set(match.page, marks);
    });
    return byPage;
  }, [pages, matches, currentIndex]);

  return {
    query,
    setQuery,
    matchCase,
    setMatchCase,
    matchDiacritics,
    setMatchDiacritics,
    matches,
    currentIndex,
    /** Page text still being read while the user searches. */
    waiting: pages === null && query.trim() !== '',
    currentMatch: matches[currentIndex] ?? null,
    /** Marks per 1-based page; a stable map while the matches do not change. */
    marksByPage,
    step(direction: 1 | -1) {
      if (matches.length === 0) return;
      setCurrent({ key: searchKey, index: (currentIndex + direction + matches.length) % matches.length });
    },
  };
}
