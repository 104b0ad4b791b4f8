import type { DocumentRecord, DocumentText, VaultClient } from '../vault';
import { readDocumentBytes } from './intake';
import { pageTextOf } from './viewers/find-in-text';
import { openPdf, pdfjs } from './viewers/pdfjs';

/** Above this, text is not extracted at intake (the whole file would sit in memory). */
const MAX_EXTRACT_BYTES = 256 * 1024 * 1024;

/** Every page's text as pdf.js extracts it, joined as the viewer and anchoring join it. */
export async function extractPdfText(bytes: Uint8Array): Promise<DocumentText> {
  const { promise, destroy } = openPdf(bytes);
  try {
    const document = await promise;
    const pages: DocumentText['pages'] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const { text } = pageTextOf({ items: content.items.filter((item) => 'str' in item) });
      pages.push({ text, hasText: text.trim().length > 0 });
      page.cleanup();
    }
    return { extractor: `pdf.js ${pdfjs.version}`, pages };
  } finally {
    await destroy();
  }
}

/**
 * Extracts a document's text (per PDF page, or the whole text file) and
 * stores it, encrypted, for annotation anchoring and search. A PDF pdf.js
 * cannot open simply gets no text; the document itself is kept regardless.
 */
export async function extractAndStoreText(vault: VaultClient, document: DocumentRecord): Promise<DocumentText | null> {
  if (document.size === 0 || document.size > MAX_EXTRACT_BYTES) return null;
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
