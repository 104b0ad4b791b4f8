import { useTranslation } from 'react-i18next';
import { ItemOriginNote } from '../bundles';
import { queryKeys, useVaultQuery } from '../session';
import type { DocumentRecord } from '../vault';
import { RememberedPassword } from './pdf-password';
import { ProvenanceForm } from './ProvenanceForm';
import { useSniffedType } from './viewed-type';
import type { PdfViewerStatus } from './viewers/pdf-status';

/** What the reader's Details tab shows of a document: its full hash, where it came from, its provenance. */
export function DocumentDetails({
  document,
  pdfStatus = null,
  onUpdated,
}: {
  document: DocumentRecord;
  /** What the reader's PDF viewer found opening the document (a password asked for, an XFA form). */
  pdfStatus?: PdfViewerStatus | null;
  onUpdated: (updated: DocumentRecord) => void;
}) {
  const { t } = useTranslation();
  // The same read as the provenance form's "Extracted text" line (one query, shared).
  const text = useVaultQuery([...queryKeys.document(document.caseId, document.id), 'text'], (client) =>
    client.getDocumentText(document.caseId, document.id),
  ).data;
  const xfa = text?.xfa ?? (pdfStatus?.state === 'open' && pdfStatus.xfa !== 'none' ? pdfStatus.xfa : null);
  // Stored by an earlier version with a generic type: the type its bytes show (the record is unchanged).
  const sniffed = useSniffedType(document);
  const retyped = sniffed && sniffed.mimeType !== document.mimeType ? sniffed.mimeType : null;
  return (
    <div className="document-details">
      {xfa && (
        <p role="note" className="pdf-notice">
          {t(`viewer.xfa.${xfa}`)}
        </p>
      )}
      {retyped && (
        <p role="note" className="stored-type">
          {t('viewer.storedType', { stored: document.mimeType, shown: retyped })}
        </p>
      )}
      <p className="hash">
        SHA-256: <code>{document.sha256}</code>
      </p>
      <ItemOriginNote itemId={`document:${document.id}`} />
      <RememberedPassword document={document} />
      <ProvenanceForm document={document} pdfStatus={pdfStatus} onSaved={onUpdated} />
    </div>
  );
}
