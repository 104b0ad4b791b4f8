import { keepPreviousData, useQueries } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useVault } from '../session';
import { errorMessage, MoreActionsMenu } from '../ui';
import { DEFAULT_DOCUMENT_VIEW, type CaseSummary, type DocumentListing, type DocumentsPage } from '../vault';
import { DocumentTable, type DocumentRows } from './DocumentTable';
import { RowAction, StatusMessage, verifyMessage, type PanelMessage } from './panel-parts';

/** Rows read from the vault worker at a time. */
const PAGE_ROWS = 200;

/** The windows read so far as one list of rows (a stable function: TanStack Query keeps its result while they stay). */
function combineWindows(windows: readonly { data?: DocumentsPage; status: string; error: unknown }[]) {
  const loaded = windows.flatMap((query) => (query.data ? [query.data] : []));
  const first: DocumentsPage | undefined = loaded[0];
  const byOffset = new Map(loaded.map((page) => [page.offset, page.rows]));
  const rows: DocumentRows<DocumentListing> = {
    count: first?.matched ?? 0,
    total: first?.total ?? 0,
    at: (index) => byOffset.get(index - (index % PAGE_ROWS))?.[index % PAGE_ROWS],
  };
  return { rows, first, failed: windows.find((query) => query.status === 'error') };
}

/**
 * Every document in the vault, across cases: sort, filter, open, verify, go
 * to its case. The vault worker filters and sorts; the page reads only the
 * windows of rows in sight (tens of thousands of documents at a coordinator's
 * desk).
 */
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
  const { t, i18n } = useTranslation();
  const vault = useVault();
  const [view, setView] = useState(DEFAULT_DOCUMENT_VIEW);
  const [range, setRange] = useState({ first: 0, last: 0 });
  const [message, setMessage] = useState<PanelMessage | null>(null);
  const language = i18n.language;

  const pageNumbers = useMemo(() => {
    const numbers = [];
    for (let page = Math.floor(range.first / PAGE_ROWS); page <= Math.floor(range.last / PAGE_ROWS); page++)
      numbers.push(page);
    return numbers;
  }, [range]);
  const { rows, first, failed } = useQueries({
    queries: pageNumbers.map((page) => ({
      // Under the allDocuments key, so a change to any document reads the windows again.
      queryKey: [...queryKeys.allDocuments, view, language, page],
      queryFn: () => vault.documentsPage({ view, language, offset: page * PAGE_ROWS, limit: PAGE_ROWS }),
      placeholderData: keepPreviousData,
    })),
    combine: combineWindows,
  });

  const onRange = useCallback(
    (firstRow: number, lastRow: number) =>
      setRange((previous) =>
        previous.first === firstRow && previous.last === lastRow ? previous : { first: firstRow, last: lastRow },
      ),
    [],
  );
  const titles = useMemo(() => new Map(cases.map((entry) => [entry.id, entry.title])), [cases]);
  const caseTitle = useCallback((caseId: string) => titles.get(caseId) ?? caseId, [titles]);
  const damaged = first?.damaged ?? [];

  async function verify(document: DocumentListing) {
    setMessage(null);
    setMessage(await verifyMessage(vault, document, t));
  }

  return (
    <section aria-labelledby="all-documents-heading" className="documents all-documents">
      <h2 id="all-documents-heading">{t('documents.allHeading')}</h2>
      {damaged.length > 0 && (
        <p role="alert" className="error">
          {t('documents.damaged', { count: damaged.length, ids: damaged.join(', ') })}
        </p>
      )}
      <StatusMessage message={message} />
      {failed && (
        <p role="alert" className="error">
          {errorMessage(t, failed.error)}
        </p>
      )}
      {first === undefined ? (
        !failed && <p>{t('common.loading')}</p>
      ) : (
        <DocumentTable
          view={view}
          onViewChange={setView}
          rows={rows}
          caseTitle={caseTitle}
          virtual
          onRange={onRange}
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
