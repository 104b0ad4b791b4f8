import type { DocumentKind, DocumentText } from '../vault';
import type { PdfViewerStatus } from './viewers/pdf-status';

/** What the details' "Extracted text" line says of a document's stored text. */
export type ExtractedTextStatus =
  | { kind: 'loading' }
  /** Not a PDF or text file, or a text file that could not be read. */
  | { kind: 'none' }
  /** A PDF without text that did not ask for a password (damaged, too large, or not opened yet in the reader). */
  | { kind: 'pdf-none' }
  /** A password-protected PDF not opened with its password yet: its text is extracted when it is. */
  | { kind: 'locked' }
  /** Just opened with its password: its text is being stored. */
  | { kind: 'extracting' }
  /** An XFA form: the pages read are not its content (see PdfXfa). */
  | { kind: 'xfa'; xfa: 'hybrid' | 'dynamic'; pages: number }
  | { kind: 'pages'; pages: number; scans: number };

/**
 * Decides the "Extracted text" line from the stored text (undefined while it loads, null when there is none) and,
 * for a PDF, what the reader's viewer found when it opened it (null before it has).
 */
export function extractedTextStatus(
  documentKind: DocumentKind,
  text: DocumentText | null | undefined,
  viewer: PdfViewerStatus | null,
): ExtractedTextStatus {
  if (text === undefined) return { kind: 'loading' };
  if (text === null) {
    if (documentKind !== 'pdf') return { kind: 'none' };
    if (viewer?.state === 'locked') return { kind: 'locked' };
    if (viewer?.state === 'open' && viewer.unlocked) return { kind: 'extracting' };
    return { kind: 'pdf-none' };
  }
  const xfa = text.xfa ?? (viewer?.state === 'open' && viewer.xfa !== 'none' ? viewer.xfa : undefined);
  if (xfa) return { kind: 'xfa', xfa, pages: text.pages.length };
  return { kind: 'pages', pages: text.pages.length, scans: text.pages.filter((page) => !page.hasText).length };
}
