import { ItemOriginNote } from '../bundles';
import type { DocumentRecord } from '../vault';
import { ProvenanceForm } from './ProvenanceForm';

/** What the reader's Details tab shows of a document: its full hash, where it came from, its provenance. */
export function DocumentDetails({
  document,
  onUpdated,
}: {
  document: DocumentRecord;
  onUpdated: (updated: DocumentRecord) => void;
}) {
  return (
    <div className="document-details">
      <p className="hash">
        SHA-256: <code>{document.sha256}</code>
      </p>
      <ItemOriginNote itemId={`document:${document.id}`} />
      <ProvenanceForm document={document} onSaved={onUpdated} />
    </div>
  );
}
