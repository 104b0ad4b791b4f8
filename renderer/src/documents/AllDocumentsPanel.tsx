import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useVault, useVaultQuery } from '../session';
import { errorMessage, MoreActionsMenu } from '../ui';
import type { CaseSummary, DocumentRecord } from '../vault';
import { DocumentTable } from './DocumentTable';
import { RowAction, StatusMessage, verifyMessage, type PanelMessage } from './panel-parts';

/** Every document in the vault, across cases: sort, filter, open, verify, go to its case. */
export function AllDocumentsPanel({
  cases,
  onShowCase,
  onOpenDocument,
}: {
  cases: readonly CaseSummary[];
  onShowCase: (caseId: string) => void;
  /** Opens a document in the reader. */
  onOpenDocument: (caseId: string, documentId: string) => void;
}) {
  const { t } = useTranslation();
  const vault = useVault();
  const query = useVaultQuery(queryKeys.allDocuments, (client) => client.listAllDocuments());
  const documents = query.data?.documents ?? null;
  const damaged = query.data?.damaged ?? [];
  const [message, setMessage] = useState<PanelMessage | null>(null);

  const caseTitle = useCallback(
    (caseId: string) => cases.find((entry) => entry.id === caseId)?.title ?? caseId,
    [cases],
  );

  async function verify(document: DocumentRecord) {
    setMessage(null);
    setMessage(await verifyMessage(vault, document, t));
  }

  return (
    <section aria-labelledby="all-documents-heading" className="documents">
      <h2 id="all-documents-heading">{t('documents.allHeading')}</h2>
      {damaged.length > 0 && (
        <p role="alert" className="error">
          {t('documents.damaged', { count: damaged.length, ids: damaged.join(', ') })}
        </p>
      )}
      <StatusMessage message={message} />
      {query.status === 'error' && (
        <p role="alert" className="error">
          {errorMessage(t, query.error)}
        </p>
      )}
      {query.status === 'pending' ? (
        <p>{t('common.loading')}</p>
      ) : documents === null ? null : (
        <DocumentTable
          documents={documents}
          caseTitle={caseTitle}
          actions={(document) => (
            <>
              <RowAction
                text={t('documents.open')}
                label={t('documents.openNamed', { name: document.name })}
                onClick={() => onOpenDocument(document.caseId, document.id)}
              />
              <MoreActionsMenu
                label={t('documents.moreActionsNamed', { name: document.name })}
                actions={[
                  { id: 'verify', label: t('documents.verify'), onAction: () => void verify(document) },
                  { id: 'show-case', label: t('documents.showCase'), onAction: () => onShowCase(document.caseId) },
                ]}
              />
            </>
          )}
        />
      )}
    </section>
  );
}
