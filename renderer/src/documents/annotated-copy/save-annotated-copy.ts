import type { TFunction } from 'i18next';
import { errorMessage } from '../../ui';
import type { Platform } from '../../platform';
import type { DocumentRecord, VaultClient } from '../../vault';
import { readDocumentBytes } from '../intake';
import type { PanelMessage } from '../panel-parts';
import { pdfAnnotationSpecs } from './pdf-annotations';
import { annotatedCopySummary } from './summary';
import { writeAnnotatedPdfInWorker } from './write-in-worker';

/** "report.pdf" → "report (annotated).pdf": beside the original in a folder, and plainly not it. */
export function annotatedCopyName(name: string): string {
  const base = name.replace(/\.pdf$/iu, '');
  return `${base === '' ? name : base} (annotated).pdf`;
}

/**
 * Writes a PDF's annotated copy where the user chooses (unencrypted, like "Save a copy"), then says whether the
 * file read back is what was written. The vault's original is only read. Null when the user cancelled the save
 * dialog. The summary page is in the interface's language (`t`): it shows Latin and Khmer script
 * (write-annotated-pdf.ts), and the annotations' notes keep every script.
 */
export async function saveAnnotatedCopy(
  vault: VaultClient,
  platform: Platform,
  document: DocumentRecord,
  t: TFunction,
): Promise<PanelMessage | null> {
  try {
    const [original, annotations, history, appVersion] = await Promise.all([
      readDocumentBytes(vault, document),
      vault.listAnnotations(document.caseId, document.id),
      vault.caseHistory(document.caseId),
      platform.appVersion(),
    ]);
    const specs = annotations.flatMap(pdfAnnotationSpecs);
    const summary = annotatedCopySummary(
      { document, annotations, written: specs.length, history, appVersion, now: Date.now() },
      t,
    );
    const result = await writeAnnotatedPdfInWorker({
      original,
      annotations: specs,
      summary,
      summaryNote: summary.map((line) => line.text).join('\n'),
      author: 'Evidence Vault',
    });
    if (!result.ok) return { ok: false, text: t(`annotatedCopy.${result.reason}`) };

    const sink = await platform.beginSave(annotatedCopyName(document.name), 'application/pdf');
    if (!sink) return null;
    try {
      await sink.write(result.bytes);
      const saved = await sink.commit();
      return saved.sha256 === result.sha256 && saved.size === result.bytes.byteLength
        ? { ok: true, text: t('annotatedCopy.saved', { count: result.written, sha256: saved.sha256 }) }
        : { ok: false, text: t('annotatedCopy.mismatch', { sha256: saved.sha256 }) };
    } catch (caught) {
      await sink.abort();
      throw caught;
    }
  } catch (caught) {
    return { ok: false, text: errorMessage(t, caught) };
  }
}
