import type { DocumentRecord, DocumentText, VaultClient } from '../vault';
import { readDocumentBytes } from './intake';
import { extractAndStoreOfficeText } from './office';
import { pageTextOf } from './viewers/find-in-text';
import { pdfXfaOf, type PdfXfa } from './viewers/pdf-status';
import { openPdf, pdfjs, type PdfDocument } from './viewers/pdfjs';

/** Above this, text is not extracted at intake (the whole file would sit in memory). */
const MAX_EXTRACT_BYTES = 256 * 1024 * 1024;

/** A PDF's text as stored: each page's text (joined as the viewer and anchoring join it), and its XFA form if any. */
export function pdfDocumentText(pages: readonly { text: string }[], xfa: PdfXfa): DocumentText {
  return {
    extractor: `pdf.js ${pdfjs.version}`,
    pages: pages.map(({ text }) => ({ text, hasText: text.trim().length > 0 })),
    ...(xfa === 'none' ? {} : { xfa }),
  };
}

/** Every page's text of an open document, as pdf.js extracts it. */
export async function extractOpenPdfText(document: PdfDocument): Promise<DocumentText> {
  const pages: { text: string }[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const page = await document.getPage(number);
    const content = await page.getTextContent();
    pages.push(pageTextOf({ items: content.items.filter((item) => 'str' in item) }));
    page.cleanup();
  }
  return pdfDocumentText(pages, await pdfXfaOf(document));
}

/** Every page's text as pdf.js extracts it. A password-protected PDF fails (it is opened without a password). */
export async function extractPdfText(bytes: Uint8Array): Promise<DocumentText> {
  const { promise, destroy } = openPdf(bytes);
  try {
    return await extractOpenPdfText(await promise);
  } finally {
    await destroy();
  }
}

/**
 * Extracts a document's text (per PDF page, or the whole text or office file) and
 * stores it, encrypted, for annotation anchoring and search. A PDF pdf.js
 * cannot open simply gets no text; the document itself is kept regardless.
 * A password-protected PDF gets its text when it is first opened with its
 * password in the reader (storeUnlockedPdfText).
 */
export async function extractAndStoreText(vault: VaultClient, document: DocumentRecord): Promise<DocumentText | null> {
  if (document.size === 0 || document.size > MAX_EXTRACT_BYTES) return null;
  // DOCX, ODT, XLSX: read from their XML (office/); any other file of no known kind has no text.
  if (document.kind === 'other') return extractAndStoreOfficeText(vault, document);
  if (document.kind !== 'pdf' && document.kind !== 'text') return null;
  const bytes = await readDocumentBytes(vault, document);
  let text: DocumentText;
  try {
    text =
      document.kind === 'pdf'
        ? await extractPdfText(bytes)
        : { extractor: 'utf-8', pages: [{ text: new TextDecoder().decode(bytes), hasText: true }] };
  } catch {
    return null;
  } finally {
    // pdf.js took (detached) the buffer it was given; a text file's bytes are wiped here.
    if (bytes.byteLength > 0) bytes.fill(0);
  }
  await vault.saveDocumentText(document.caseId, document.id, text);
  return text;
}

/**
 * Stores the text of a password-protected PDF the reader has just opened with its password: the pages' texts the
 * viewer read from the open document (the password itself never leaves the viewer). Nothing is written when the
 * document already has its text. Returns whether it was written.
 */
export async function storeUnlockedPdfText(
  vault: VaultClient,
  document: DocumentRecord,
  pages: readonly { text: string }[],
  xfa: PdfXfa,
): Promise<boolean> {
  if ((await vault.getDocumentText(document.caseId, document.id)) !== null) return false;
  await vault.saveDocumentText(document.caseId, document.id, pdfDocumentText(pages, xfa));
  return true;
}
