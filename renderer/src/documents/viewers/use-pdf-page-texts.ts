import { useEffect, useState } from 'react';
import { readPdfPageTexts, type PdfPageText } from '../pdf-page-texts';
import type { PdfDocument } from './pdfjs';

export type { PdfPageText };

/**
 * Every page's text, extracted once per open document in the background
 * (from when `start` is true: the viewer waits for its first page to be
 * drawn), for find and annotation anchoring. Anchoring works on this
 * extracted text, never on the rendered DOM.
 */
export function usePdfPageTexts(document: PdfDocument | null, start: boolean) {
  const [state, setState] = useState<{ document: PdfDocument; texts: PdfPageText[]; done: boolean } | null>(null);

  useEffect(() => {
    if (!document || !start) return;
    let cancelled = false;
    void (async () => {
      const read = await readPdfPageTexts(document, {
        cancelled: () => cancelled,
        onPages: (sofar) => !cancelled && setState({ document, texts: sofar, done: false }),
      });
      if (read && !cancelled) setState({ document, texts: read.pages, done: true });
    })().catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [document, start]);

  const current = state !== null && state.document === document ? state : null;
  return {
    /** All pages once done, else null. */
    texts: current?.done ? current.texts : null,
    read: current?.texts.length ?? 0,
  };
}
