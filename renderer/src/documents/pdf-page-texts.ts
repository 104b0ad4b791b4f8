import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { pageTextOf, type PageText } from './pdf-text';
import { alignActualText, readPdfMarksIsolated, type MarkedContentItem } from './pdf-text/actual-text';
import { pageBoxOf, type PdfPageBox } from './pdf-source-facts';
import type { PdfDocument } from './viewers/pdfjs';

/** A page's readable text (pdf-text/page-text.ts) and its box in user space (pdf.js `page.view`). */
export type PdfPageText = PageText & { box: PdfPageBox | undefined };

/**
 * Text whose glyphs may not carry it: U+0000 (a glyph its font maps to no
 * text), Khmer (Chrome draws clusters apart), the private-use area, U+FFFD.
 * Only a page with one of these, and a marked-content span, has the PDF read
 * again for /ActualText: most PDFs never are.
 */
const MAYBE_UNMAPPED = /[\u1780-\u17ff\ue000-\uf8ff\ufffd]/u;
const maybeUnmapped = (text: string) => text.includes('\u0000') || MAYBE_UNMAPPED.test(text);

type PageItems = { items: MarkedContentItem<TextItem>[]; box: PdfPageBox | undefined };

function needsActualText({ items }: PageItems): boolean {
  const hasSpan = items.some(
    (item) => 'type' in item && item.type === 'beginMarkedContentProps' && item.tag === 'Span',
  );
  return hasSpan && items.some((item) => 'str' in item && maybeUnmapped(item.str));
}

/**
 * Every page's readable text: what find, anchoring and the stored text
 * (search) all read. Pages are read in order; `onPages` sees the texts so
 * far every 25 pages (without /ActualText yet). Where pdf.js leaves a span's
 * text out (needsActualText), the PDF's bytes are read once more in a worker
 * for the /ActualText of those pages, and their texts made with it. Null
 * when `cancelled` says so.
 */
export async function readPdfPageTexts(
  document: PdfDocument,
  options: { onPages?: (texts: PdfPageText[]) => void; cancelled?: () => boolean } = {},
): Promise<PdfPageText[] | null> {
  const pages: PageItems[] = [];
  const texts: PdfPageText[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const page = await document.getPage(number);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const box = pageBoxOf(page.view);
    page.cleanup();
    if (options.cancelled?.()) return null;
    const items = content.items as MarkedContentItem<TextItem>[];
    pages.push({ items, box });
    texts.push({ ...pageTextOf(alignActualText(items, null)), box });
    if (number % 25 === 0) options.onPages?.([...texts]);
  }
  const wanted = pages.flatMap((page, index) => (needsActualText(page) ? [index] : []));
  if (wanted.length === 0) return texts;
  const marks = await readPdfMarksIsolated(await document.getData(), wanted);
  if (options.cancelled?.()) return null;
  wanted.forEach((index, position) => {
    const pageMarks = marks?.[position] ?? null;
    if (pageMarks)
      texts[index] = { ...pageTextOf(alignActualText(pages[index]!.items, pageMarks)), box: pages[index]!.box };
  });
  return texts;
}
