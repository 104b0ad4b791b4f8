import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CaseAnnotations } from '../annotations';
import { ConfirmDialog, errorMessage, MoreActionsMenu, PlaintextNotice } from '../ui';
import { browserPickedFile, type PickedFile, type Platform } from '../platform';
import { queryKeys, useRefresh, useVault, useVaultQuery } from '../session';
import { DEFAULT_DOCUMENT_VIEW, documentListing, vaultErrorCode, viewDocuments, type DocumentRecord } from '../vault';
import { DocumentTable } from './DocumentTable';
import { RowAction, StatusMessage, verifyMessage, type PanelMessage } from './panel-parts';
import { extractAndStoreText } from './extract-text';
import { attachFile } from './intake';
import { saveDocumentCopy } from './save-copy';
import { prepareNextPdfWorker } from './viewers/pdfjs';

interface FileProgress {
  key: number;
  name: string;
  done: number;
  total: number;
  state: 'waiting' | 'running' | 'done' | 'cancelled' | 'failed';
  message?: string;
}

let progressKey = 0;

/** A case's source documents: attach (button or drop), list, open (in the reader), save a copy, verify, delete. */
export function DocumentsPanel({
  platform,
  caseId,
  caseTitle,
  onOpenDocument,
}: {
  platform: Platform;
  caseId: string;
  caseTitle: string;
  /** Opens a document of this case in the reader. */
  onOpenDocument: (documentId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const vault = useVault();
  const refresh = useRefresh();
  const query = useVaultQuery(queryKeys.caseDocuments(caseId), (client) => client.listDocuments(caseId));
  const documents = query.data ?? [];
  const [view, setView] = useState(DEFAULT_DOCUMENT_VIEW);
  const shown = useMemo(
    () =>
      viewDocuments(
        (query.data ?? []).map((record) => ({ ...documentListing(record), record })),
        view,
        undefined,
        i18n.language,
      ),
    [query.data, view, i18n.language],
  );
  /** The case's documents changed: every view listing them reads again. */
  const documentsChanged = async () => {
    void refresh(queryKeys.allDocuments);
    await refresh(queryKeys.caseDocuments(caseId));
  };
  const [progress, setProgress] = useState<FileProgress[]>([]);
  const [message, setMessage] = useState<PanelMessage | null>(null);
  /** The document whose deletion the confirm dialog is asking about. */
  const [deleting, setDeleting] = useState<DocumentRecord | null>(null);
  const abort = useRef<AbortController | null>(null);

  // Leaving the case (or a lock) cancels what is still being taken in.
  useEffect(() => () => abort.current?.abort(), []);
  // Start a pdf.js worker now, so the first PDF opened does not wait for one.
  useEffect(() => prepareNextPdfWorker(), []);

  async function intake(files: PickedFile[]) {
    if (files.length === 0) return;
    const controller = new AbortController();
    abort.current = controller;
    const entries = files.map((file) => ({
      key: ++progressKey,
      name: file.name,
      done: 0,
      total: file.size,
      state: 'waiting' as const,
    }));
    setProgress(entries);
    const update = (key: number, patch: Partial<FileProgress>) =>
      setProgress((previous) => previous.map((entry) => (entry.key === key ? { ...entry, ...patch } : entry)));
    for (const [index, file] of files.entries()) {
      const { key } = entries[index]!;
      if (controller.signal.aborted) {
        update(key, { state: 'cancelled' });
        await file.close();
        continue;
      }
      update(key, { state: 'running' });
      try {
        const record = await attachFile(vault, caseId, file, (step) => update(key, step), controller.signal);
        // Listed once its text is stored too, so opening it shows everything.
        await extractAndStoreText(vault, record).catch(() => null);
        await documentsChanged();
        update(key, { state: 'done', done: file.size });
      } catch (caught) {
        const cancelled = controller.signal.aborted;
        update(key, {
          state: cancelled ? 'cancelled' : 'failed',
          message: cancelled ? undefined : errorMessage(t, caught),
        });
      }
    }
    abort.current = null;
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    void intake(Array.from(event.dataTransfer.files).map(browserPickedFile));
  }

  async function saveCopy(document: DocumentRecord) {
    setMessage(null);
    setMessage(await saveDocumentCopy(vault, platform, document, t));
  }

  async function verify(document: DocumentRecord) {
    setMessage(null);
    setMessage(await verifyMessage(vault, document, t));
  }

  async function remove(document: DocumentRecord) {
    try {
      await vault.deleteDocument(document.caseId, document.id);
      await documentsChanged();
    } catch (caught) {
      if (vaultErrorCode(caught) !== 'not-found') setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  const running = progress.some((entry) => entry.state === 'running' || entry.state === 'waiting');
  const totalBytes = progress.reduce((sum, entry) => sum + entry.total, 0);
  const doneBytes = progress.reduce((sum, entry) => sum + entry.done, 0);

  return (
    <section
      aria-labelledby="documents-heading"
      className="documents"
      onDragOver={(event) => event.preventDefault()}
      onDrop={onDrop}
    >
      <h2 id="documents-heading">{t('documents.heading')}</h2>
      <p className="hint">{t('documents.dropHint')}</p>
      <button
        type="button"
        className="primary"
        disabled={running}
        onClick={() => void platform.pickFiles().then(intake)}
      >
        {t('documents.attach')}
      </button>

      {progress.length > 0 && (
        <div className="intake-progress">
          <label>
            {t('documents.overall')}
            <progress max={Math.max(totalBytes, 1)} value={doneBytes} />
          </label>
          <ul>
            {progress.map((entry) => (
              <li key={entry.key}>
                <label>
                  {entry.name} — {t(`documents.state.${entry.state}`)}
                  <progress
                    max={Math.max(entry.total, 1)}
                    value={entry.state === 'done' ? Math.max(entry.total, 1) : entry.done}
                  />
                </label>
                {entry.message && <span className="error"> {entry.message}</span>}
              </li>
            ))}
          </ul>
          {running && (
            <button type="button" onClick={() => abort.current?.abort()}>
              {t('documents.cancel')}
            </button>
          )}
        </div>
      )}

      <StatusMessage message={message} />
      {documents.length > 0 && <PlaintextNotice id="documents-plaintext" about="copies" />}

      {query.status === 'pending' && <p>{t('common.loading')}</p>}
      {query.status === 'error' && (
        <p role="alert" className="error">
          {errorMessage(t, query.error)}
        </p>
      )}
      {query.status === 'success' && (
        <DocumentTable
          view={view}
          onViewChange={setView}
          rows={{ count: shown.length, total: documents.length, at: (index) => shown[index] }}
          actions={({ record: document }) => (
            <>
              <RowAction
                text={t('documents.open')}
                label={t('documents.openNamed', { name: document.name })}
                onClick={() => onOpenDocument(document.id)}
              />
              <MoreActionsMenu
                label={t('documents.moreActionsNamed', { name: document.name })}
                actions={[
                  {
                    id: 'save',
                    label: t('documents.save'),
                    description: t('exports.plaintextNotice'),
                    onAction: () => void saveCopy(document),
                  },
                  { id: 'verify', label: t('documents.verify'), onAction: () => void verify(document) },
                  { id: 'delete', label: t('documents.delete'), danger: true, onAction: () => setDeleting(document) },
                ]}
              />
            </>
          )}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => {
          if (!open) setDeleting(null);
        }}
        title={t('documents.deleteQuestion', { name: deleting?.name ?? '' })}
        body={t('documents.deleteExplain')}
        confirmLabel={t('documents.deleteForever')}
        onConfirm={() => (deleting ? remove(deleting) : undefined)}
      />

      <CaseAnnotations platform={platform} caseId={caseId} caseTitle={caseTitle} documents={documents} />
    </section>
  );
}
