/**
 * XFA forms. The app opens PDFs with pdf.js's XFA support off (it would need pdf.js's HTML form layer), so an XFA
 * form shows only the PDF pages behind it:
 *
 * - 'dynamic': the form is all XFA (no AcroForm fields). The PDF pages are whatever its author put there for readers
 *   without XFA, most often a single "Please wait..." page: not the document's content.
 * - 'hybrid': the form is XFA and AcroForm. The pages show the AcroForm version, which may differ from the XFA one.
 *
 * With XFA off pdf.js's own `isPureXfa` is always false, so this reads the form facts pdf.js reports in the
 * document's information (from the catalog's AcroForm and its XFA entry).
 */
export type PdfXfa = 'none' | 'hybrid' | 'dynamic';

/** What pdf.js reports of a document's forms (PDFDocumentProxy.getMetadata().info). */
interface FormInfo {
  IsXFAPresent?: unknown;
  IsAcroFormPresent?: unknown;
}

export function xfaOfInfo(info: unknown): PdfXfa {
  const form = (info ?? {}) as FormInfo;
  if (form.IsXFAPresent !== true) return 'none';
  return form.IsAcroFormPresent === true ? 'hybrid' : 'dynamic';
}

/** Whether, and how, an open document is an XFA form. Metadata that cannot be read says nothing: 'none'. */
export async function pdfXfaOf(document: { getMetadata(): Promise<{ info: object }> }): Promise<PdfXfa> {
  try {
    return xfaOfInfo((await document.getMetadata()).info);
  } catch {
    return 'none';
  }
}

/** What the PDF viewer reports of the document it opens, for the reader's details and for storing its text. */
export type PdfViewerStatus =
  /** Password-protected, its password asked for (or refused): not open. */
  | { state: 'locked' }
  /** Open; `unlocked` if it took a password; `fingerprint` is pdf.js's first (null if none can be stored). */
  | { state: 'open'; unlocked: boolean; xfa: PdfXfa; fingerprint: string | null };
