import { MAX_EXTRACT_BYTES, readPdfSourceFacts } from '../documents/extract-text';
import { readDocumentBytes } from '../documents/intake';
import type { DocumentRecord, VaultClient } from '../vault';
import type { AnnotatedSource } from './web-annotation';

/**
 * What an annotation export (or an import of regions from other tools) needs of each document: its kind and format,
 * and for a PDF its pdf.js fingerprint and page boxes. Those are kept with the document's extracted text; for a PDF
 * whose text was stored before they were kept, the PDF is opened here to read them (nothing is written: an export
 * changes nothing). A PDF that cannot be opened without its password goes without (its regions then name only the page).
 */
export async function annotatedSources(
  vault: VaultClient,
  documents: readonly DocumentRecord[],
  { readMissing }: { readMissing: boolean },
): Promise<Map<string, AnnotatedSource>> {
  const sources = new Map<string, AnnotatedSource>();
  for (const document of documents) {
    const source: AnnotatedSource = { kind: document.kind, mimeType: document.mimeType };
    sources.set(document.id, source);
    if (document.kind !== 'pdf') continue;
    const text = await vault.getDocumentText(document.caseId, document.id);
    source.fingerprint = text?.fingerprint;
    source.pageBoxes = text?.pages.map((page) => page.box);
    const complete = text?.fingerprint !== undefined && text.pages.every((page) => page.box !== undefined);
    if (complete || !readMissing || document.size === 0 || document.size > MAX_EXTRACT_BYTES) continue;
    const facts = await readPdfSourceFacts(await readDocumentBytes(vault, document));
    if (!facts) continue;
    source.fingerprint = facts.fingerprint ?? undefined;
    source.pageBoxes = facts.boxes;
  }
  return sources;
}
