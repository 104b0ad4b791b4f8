import type { DocumentRecord, DocumentText, VaultClient } from '../vault';
import { readDocumentBytes } from './intake';
import { extractAndStoreOfficeText } from './office';
import { readPdfPageTexts } from './pdf-page-texts';
import { pdfXfaOf, type PdfXfa } from './viewers/pdf-status';
import { openPdf, pdfjs, type PdfDocument } from './viewers/pdfjs';
import { pageBoxOf, pdfFingerprintOf, type PdfPageBox, type PdfSourceFacts } from './pdf-source-facts';

/** Above this, text is not extracted at intake (the whole file would sit in memory). */
export const MAX_EXTRACT_BYTES = 256 * 1024 * 1024;

/**
 * What a PDF's page texts (pdf-page-texts.ts) are made by, as stored with the text and with each text
 * annotation. "readable": Khmer in written order and items apart kept apart; "ActualText": a marked-content span's
 * /ActualText stands for its items. Text stored before ("pdf.js <version>": pdf.js's items joined as they are;
 * "…, readable": without /ActualText) stays so (search and anchoring read every kind).
 */
export const PDF_TEXT_EXTRACTOR = `pdf.js ${pdfjs.version}, readable, ActualText`;
/** The same, where a page needed /ActualText that could not be read (not in time, a password-protected PDF). */
export const PDF_TEXT_EXTRACTOR_WITHOUT_ACTUAL_TEXT = `pdf.js ${pdfjs.version}, readable`;

/** A PDF's text as stored: each page's readable text and its box, its XFA form if any, and its fingerprint. */
export function pdfDocumentText(
  pages: readonly { text: string; box?: PdfPageBox | undefined }[],
  xfa: PdfXfa,
  fingerprint: string | null,
  actualTextRead = true,
): DocumentText {
  return {
    extractor: actualTextRead ? PDF_TEXT_EXTRACTOR : PDF_TEXT_EXTRACTOR_WITHOUT_ACTUAL_TEXT,
    pages: pages.map(({ text, box }) => ({ text, hasText: text.trim().length > 0, ...(box ? { box } : {}) })),
    ...(xfa === 'none' ? {} : { xfa }),
    ...(fingerprint === null ? {} : { fingerprint }),
  };
}

/** Every page's readable text of an open document (pdf-page-texts.ts), with each page's box. */
export async function extractOpenPdfText(document: PdfDocument): Promise<DocumentText> {
  const { pages, actualTextRead } = (await readPdfPageTexts(document))!;
  return pdfDocumentText(
    pages.map(({ text, box }) => ({ text, box })),
    await pdfXfaOf(document),
    pdfFingerprintOf(document),
    actualTextRead,
  );
}

/** Every page's readable text. A password-protected PDF fails (it is opened without a password). */
export async function extractPdfText(bytes: Uint8Array): Promise<DocumentText> {
  const { promise, destroy } = openPdf(bytes);
  try {
    return await extractOpenPdfText(await promise);
  } finally {
    await destroy();
  }
}

/**
 * The fingerprint and page boxes of a PDF whose stored text predates them (read when its annotations are exported).
 * A PDF pdf.js cannot open without a password gives null.
 */
export async function readPdfSourceFacts(bytes: Uint8Array): Promise<PdfSourceFacts | null> {
  const { promise, destroy } = openPdf(bytes);
  try {
    const document = await promise;
    const boxes: (PdfPageBox | undefined)[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      boxes.push(pageBoxOf(page.view));
      page.cleanup();
    }
    return { fingerprint: pdfFingerprintOf(document), boxes };
  } catch {
    return null;
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
  pages: readonly { text: string; box?: PdfPageBox | undefined }[],
  xfa: PdfXfa,
  fingerprint: string | null,
): Promise<boolean> {
  if ((await vault.getDocumentText(document.caseId, document.id)) !== null) return false;
  // Its /ActualText is never read (that needs the password in a second parser): labelled without it.
  await vault.saveDocumentText(document.caseId, document.id, pdfDocumentText(pages, xfa, fingerprint, false));
  return true;
}
