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

/** Every page's readable text, and whether each /ActualText it needed was read (false: not in time, or a password). */
export interface PdfPageTexts {
  pages: PdfPageText[];
  actualTextRead: boolean;
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
): Promise<PdfPageTexts | null> {
  /** The items of the pages that need their /ActualText, kept until it is read; other pages' go at once. */
  const wanted = new Map<number, PageItems>();
  const texts: PdfPageText[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const page = await document.getPage(number);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const box = pageBoxOf(page.view);
    page.cleanup();
    if (options.cancelled?.()) return null;
    const items = content.items as MarkedContentItem<TextItem>[];
    if (needsActualText({ items, box })) wanted.set(number - 1, { items, box });
    texts.push({ ...pageTextOf(alignActualText(items, null)), box });
    if (number % 25 === 0) options.onPages?.([...texts]);
  }
  if (wanted.size === 0) return { pages: texts, actualTextRead: true };
  const indexes = [...wanted.keys()];
  // getData() gives a copy of the bytes: it is moved to the worker, not copied again.
  const marks = await readPdfMarksIsolated(await document.getData(), indexes, options);
  if (options.cancelled?.()) return null;
  let actualTextRead = true;
  indexes.forEach((index, position) => {
    const pageMarks = marks?.[position] ?? null;
    const { items, box } = wanted.get(index)!;
    if (pageMarks) texts[index] = { ...pageTextOf(alignActualText(items, pageMarks)), box };
    else actualTextRead = false;
  });
  return { pages: texts, actualTextRead };
}
