/**
 * What annotation exports need of a PDF beyond its bytes' hash: its pdf.js fingerprint (a further name of the
 * document) and each page's box (region rectangles are kept in PDF user space, exports count from the top-left).
 * Read where pdf.js opens a document (intake, the viewer) and kept with its extracted text.
 */

/** A PDF page's box in user space, [x0, y0, x1, y1] (pdf.js `page.view`). */
export type PdfPageBox = [number, number, number, number];

/** What names a PDF beyond its bytes' hash, and where its pages lie: kept with its text for annotation exports. */
export interface PdfSourceFacts {
  /** pdf.js's first fingerprint, or null when pdf.js gave none that can be stored. */
  fingerprint: string | null;
  /** Each page's box, in page order (undefined where pdf.js gave none). */
  boxes: (PdfPageBox | undefined)[];
}

/** pdf.js's first fingerprint if it is one the text record can hold (hex, at most 128 bytes' worth). */
export function pdfFingerprintOf(document: { fingerprints: readonly (string | null)[] }): string | null {
  const [fingerprint] = document.fingerprints;
  return typeof fingerprint === 'string' && /^[0-9a-f]{2,256}$/.test(fingerprint) ? fingerprint : null;
}

/** A box pdf.js reports, if it is four finite numbers. */
export function pageBoxOf(view: readonly number[]): PdfPageBox | undefined {
  return view.length === 4 && view.every(Number.isFinite) ? [view[0]!, view[1]!, view[2]!, view[3]!] : undefined;
}
