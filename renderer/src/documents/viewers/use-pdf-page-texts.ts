import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { useEffect, useState } from 'react';
import { pageBoxOf, type PdfPageBox } from '../pdf-source-facts';
import { pageTextOf } from './find-in-text';
import type { PdfDocument } from './pdfjs';

/** One page's text as find and anchoring see it, and where each pdf.js text item starts in it. */
export interface PageText {
  text: string;
  itemStarts: number[];
  itemLengths: number[];
  /** The page's box in user space (pdf.js `page.view`), stored with the text of a PDF opened with its password. */
  box: PdfPageBox | undefined;
}

/**
 * Every page's text, extracted once per open document in the background
 * (after the first page is painted), for find and annotation anchoring.
 * Anchoring works on this extracted text, never on the rendered DOM.
 */
export function usePdfPageTexts(document: PdfDocument | null) {
  const [state, setState] = useState<{ document: PdfDocument; texts: PageText[]; done: boolean } | null>(null);

  useEffect(() => {
    if (!document) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void (async () => {
        const texts: PageText[] = [];
        for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber++) {
          const page = await document.getPage(pageNumber);
          const content = await page.getTextContent();
          if (cancelled) return;
          const items = content.items.filter((item): item is TextItem => 'str' in item);
          const { text, itemStarts } = pageTextOf({ items });
          texts.push({
            text,
            itemStarts,
            itemLengths: items.map((item) => item.str.length),
            box: pageBoxOf(page.view),
          });
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
