import { PDFDocument, PDFDict, PDFName } from '@cantoo/pdf-lib';
import { marksOfContent, pageContentStreams, type MarkEvent } from './content-marks';

/** Each asked page's marked-content events (null: that page could not be read); `null` for an unreadable PDF. */
export type PdfMarks = (MarkEvent[] | null)[] | null;

/**
 * Reads the marked content of `pages` (0-based) of a PDF with pdf-lib. Runs
 * where a crafted file can only cost a worker's time (marks-in-worker.ts).
 */
export async function readPdfMarks(bytes: Uint8Array, pages: readonly number[], password?: string): Promise<PdfMarks> {
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(bytes, {
      updateMetadata: false,
      throwOnInvalidObject: false,
      ...(password === undefined ? {} : { password }),
    });
  } catch {
    return null;
  }
  const { context } = document;
  let all;
  try {
    all = document.getPages();
  } catch {
    return null;
  }
  return pages.map((index) => {
    const page = all[index];
    if (!page) return null;
    try {
      const streams = pageContentStreams(page.node.get(PDFName.of('Contents')), context);
      if (!streams) return null;
      const resources = page.node.Resources();
      return marksOfContent(streams, resources instanceof PDFDict ? resources : undefined, context);
    } catch {
      return null;
    }
  });
}
