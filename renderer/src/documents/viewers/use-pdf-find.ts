import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { useEffect, useMemo, useRef, useState } from 'react';
import { findInPages, itemRanges, pageTextOf, type TextMatch } from './find-in-text';
import type { ItemMark } from './PdfPage';
import type { PdfDocument } from './pdfjs';

interface PageText {
  text: string;
  itemStarts: number[];
  itemLengths: number[];
}

interface FindResult {
  query: string;
  matches: TextMatch[];
  pages: ReadonlyMap<number, PageText>;
}

const NO_MARKS: readonly ItemMark[] = [];
const NO_MATCHES: TextMatch[] = [];

/**
 * Find-in-document state: the query, its matches across every page (page
 * text is extracted once, on the first search) and which match is current.
 */
export function usePdfFind(document: PdfDocument | null) {
  const pageTexts = useRef(new Map<number, PageText>());
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<FindResult | null>(null);
  const [currentIndex, setCurrentIndex] = useState(0);
  const [scanning, setScanning] = useState<{ query: string; done: number; total: number } | null>(null);

  useEffect(() => {
    if (!document || query.trim() === '') return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void (async () => {
        const total = document.numPages;
        for (let pageNumber = 1; pageNumber <= total; pageNumber++) {
          if (pageTexts.current.has(pageNumber)) continue;
          setScanning({ query, done: pageNumber - 1, total });
          const content = await (await document.getPage(pageNumber)).getTextContent();
          if (cancelled) return;
          const items = content.items.filter((item): item is TextItem => 'str' in item);
          const { text, itemStarts } = pageTextOf({ items });
          pageTexts.current.set(pageNumber, { text, itemStarts, itemLengths: items.map((item) => item.str.length) });
        }
        const texts = Array.from({ length: total }, (_, index) => pageTexts.current.get(index + 1)?.text ?? '');
        setResult({ query, matches: findInPages(texts, query), pages: new Map(pageTexts.current) });
        setCurrentIndex(0);
        setScanning(null);
      })().catch(() => setScanning(null));
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [document, query]);

  // Results of an older query are never shown for a newer one.
  const current = result !== null && result.query === query && query.trim() !== '' ? result : null;
  const matches = current?.matches ?? NO_MATCHES;

  const marksByPage = useMemo(() => {
    const byPage = new Map<number, ItemMark[]>();
    if (!current) return byPage;
    current.matches.forEach((match, index) => {
      const page = current.pages.get(match.page);
      if (!page) return;
      const marks = byPage.get(match.page) ?? [];
      for (const [item, start, end] of itemRanges(match, page.itemStarts, page.itemLengths))
        marks.push([item, start, end, index === currentIndex]);
      byPage.set(match.page, marks);
    });
    return byPage;
  }, [current, currentIndex]);

  return {
    query,
    setQuery,
    matches,
    currentIndex,
    scanning: scanning !== null && scanning.query === query ? scanning : null,
    currentMatch: matches[currentIndex] ?? null,
    marksFor: (page: number) => marksByPage.get(page) ?? NO_MARKS,
    step(direction: 1 | -1) {
      if (matches.length === 0) return;
      setCurrentIndex((index) => (index + direction + matches.length) % matches.length);
    },
  };
}
