import { useDeferredValue, useMemo, useState } from 'react';
import { findInPages, itemRanges } from './find-in-text';
import type { ItemMark } from './PdfPage';
import type { PageText } from './use-pdf-page-texts';

/** Find-in-document state: the query, its matches across every page, and which match is current. */
/** `initial`: a query to start with (from a search result) and the page whose match comes first. */
export function usePdfFind(pages: readonly PageText[] | null, initial?: { query: string; page: number }) {
  const [query, setQuery] = useState(initial?.query ?? '');
  const deferredQuery = useDeferredValue(query);
  // index -1: not stepped yet; start at the first match on the initial page (or after it).
  const [current, setCurrent] = useState({ query: initial?.query ?? '', index: initial ? -1 : 0 });

  const matches = useMemo(
    () =>
      pages && deferredQuery.trim() !== ''
        ? findInPages(
            pages.map((page) => page.text),
            deferredQuery,
          )
        : [],
    [pages, deferredQuery],
  );
  // A new query starts again at its first match.
  const startIndex = Math.max(0, initial ? matches.findIndex((match) => match.page >= initial.page) : 0);
  const currentIndex =
    current.query !== deferredQuery
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
      for (const [item, start, end] of itemRanges(match, page.itemStarts, page.itemLengths))
        marks.push({ item, start, end, className: index === currentIndex ? 'find-match current' : 'find-match' });
      byPage.set(match.page, marks);
    });
    return byPage;
  }, [pages, matches, currentIndex]);

  return {
    query,
    setQuery,
    matches,
    currentIndex,
    /** Page text still being read while the user searches. */
    waiting: pages === null && query.trim() !== '',
    currentMatch: matches[currentIndex] ?? null,
    /** Marks per 1-based page; a stable map while the matches do not change. */
    marksByPage,
    step(direction: 1 | -1) {
      if (matches.length === 0) return;
      setCurrent({ query: deferredQuery, index: (currentIndex + direction + matches.length) % matches.length });
    },
  };
}
