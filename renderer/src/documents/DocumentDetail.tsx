import { useTranslation } from 'react-i18next';
import { ItemOriginNote } from '../bundles';
import type { DocumentRecord, VaultClient } from '../vault';
import { DocumentViewer, type DocumentFind } from './DocumentViewer';
import { ProvenanceForm } from './ProvenanceForm';

/** One open document: its full hash, provenance and viewer. */
export function DocumentDetail({
  vault,
  document,
  onClose,
  onUpdated,
  find,
}: {
  vault: VaultClient;
  document: DocumentRecord;
  find?: DocumentFind;
  onClose: () => void;
  onUpdated: (updated: DocumentRecord) => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="document-view" aria-label={t('documents.viewing', { name: document.name })}>
      <h3>{document.name}</h3>
      <p className="hash">
        SHA-256: <code>{document.sha256}</code>
      </p>
      <ItemOriginNote vault={vault} itemId={`document:${document.id}`} />
      <button type="button" onClick={onClose}>
        {t('documents.close')}
      </button>
      <ProvenanceForm vault={vault} document={document} onSaved={onUpdated} />
      <DocumentViewer vault={vault} document={document} find={find} />
    </section>
  );
}
