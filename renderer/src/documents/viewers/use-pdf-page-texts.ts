import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { useEffect, useState } from 'react';
import { pageTextOf, type PageText } from '../pdf-text';
import { pageBoxOf, type PdfPageBox } from '../pdf-source-facts';
import type { PdfDocument } from './pdfjs';

/** A page's readable text as find and anchoring see it, with the page's box in user space (pdf.js `page.view`),
 * stored with the text of a PDF opened with its password. */
export type PdfPageText = PageText & { box: PdfPageBox | undefined };

/**
 * Every page's text, extracted once per open document in the background
 * (after the first page is painted), for find and annotation anchoring.
 * Anchoring works on this extracted text, never on the rendered DOM.
 */
export function usePdfPageTexts(document: PdfDocument | null) {
  const [state, setState] = useState<{ document: PdfDocument; texts: PdfPageText[]; done: boolean } | null>(null);

  useEffect(() => {
    if (!document) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void (async () => {
        const texts: PdfPageText[] = [];
        for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber++) {
          const page = await document.getPage(pageNumber);
          const content = await page.getTextContent();
          if (cancelled) return;
          const items = content.items.filter((item): item is TextItem => 'str' in item);
          texts.push({ ...pageTextOf({ items }), box: pageBoxOf(page.view) });
          if (pageNumber % 25 === 0) setState({ document, texts: [...texts], done: false });
        }
        setState({ document, texts, done: true });
      })().catch(() => undefined);
    }, 50);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [document]);

  const current = state !== null && state.document === document ? state : null;
  return {
    /** All pages once done, else null. */
    texts: current?.done ? current.texts : null,
    read: current?.texts.length ?? 0,
  };
}
