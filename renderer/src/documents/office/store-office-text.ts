import type { DocumentRecord, DocumentText } from '../../vault';
import { extractOfficeTextInWorker } from './extract-in-worker';
import { mayHaveOfficeText } from './office-text';

/** What extraction needs of the vault (its client, or its service in-process). */
interface OfficeTextVault {
  readDocument(caseId: string, documentId: string): Promise<Uint8Array>;
  saveDocumentText(caseId: string, documentId: string, text: DocumentText): Promise<void>;
}

/**
 * Extracts an office file's text and stores it (encrypted, as a PDF's text is) for search and annotation; null
 * when the document is not an office file. The text is read in a worker of its own (extract-in-worker.ts), not on
 * the page's thread. Throws an OfficeTextError (nothing stored) when its text cannot be read.
 */
export async function extractAndStoreOfficeText(
  vault: OfficeTextVault,
  document: Pick<DocumentRecord, 'caseId' | 'id' | 'kind' | 'mimeType'>,
): Promise<DocumentText | null> {
  if (!mayHaveOfficeText(document)) return null;
  const bytes = await vault.readDocument(document.caseId, document.id);
  let text: DocumentText | null;
  try {
    text = await extractOfficeTextInWorker(bytes);
  } finally {
    // Emptied (detached) when moved to the worker; wiped here if it never got there.
    if (bytes.byteLength > 0) bytes.fill(0);
  }
  if (text) await vault.saveDocumentText(document.caseId, document.id, text);
  return text;
}
