import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CaseAnnotations } from '../annotations';
import { ConfirmDialog, errorMessage, MoreActionsMenu, PlaintextNotice } from '../ui';
import { TaskProgress, useProgressMeter, type ProgressSnapshot } from '../ui/progress';
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
  total: number;
  /** Bytes of the files before this one: the overall count minus this is this file's. */
  offset: number;
  state: 'waiting' | 'running' | 'done' | 'cancelled' | 'failed';
  message?: string;
}

/** One file's share of the overall progress: its bytes stored, and its time left at the overall speed. */
function fileProgress(entry: FileProgress, overall: ProgressSnapshot | null): ProgressSnapshot {
  const done =
    entry.state === 'done'
      ? entry.total
      : entry.state === 'running' && overall
        ? Math.min(entry.total, Math.max(0, overall.done - entry.offset))
        : 0;
  const perSecond = entry.state === 'running' ? (overall?.perSecond ?? null) : null;
  return {
    done,
    total: entry.total,
    elapsedMs: overall?.elapsedMs ?? 0,
    perSecond,
    secondsLeft: perSecond !== null && perSecond > 0 ? (entry.total - done) / perSecond : null,
  };
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
  const { progress: overall, start: startMeter } = useProgressMeter();
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
    let offset = 0;
    const entries = files.map((file) => {
      const entry = { key: ++progressKey, name: file.name, total: file.size, offset, state: 'waiting' as const };
      offset += file.size;
      return entry;
    });
    const totalBytes = offset;
    setProgress(entries);
    const meter = startMeter(totalBytes);
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
        const { offset: before } = entries[index]!;
        const record = await attachFile(
          vault,
          caseId,
          file,
          (step) => meter.report(before + step.done, totalBytes),
          controller.signal,
        );
        // Listed once its text is stored too, so opening it shows everything.
        await extractAndStoreText(vault, record).catch(() => null);
        await documentsChanged();
        update(key, { state: 'done' });
      } catch (caught) {
        const cancelled = controller.signal.aborted;
        update(key, {
          state: cancelled ? 'cancelled' : 'failed',
          message: cancelled ? undefined : errorMessage(t, caught),
        });
      }
    }
    meter.finish();
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
          <p>{t('documents.overall')}</p>
          {overall && (
            <TaskProgress
              label={t('documents.overall')}
              progress={overall}
              onCancel={running ? () => abort.current?.abort() : undefined}
              cancelLabel={t('documents.cancel')}
            />
          )}
          <ul>
            {progress.map((entry) => (
              <li key={entry.key}>
                <p>
                  {entry.name} — {t(`documents.state.${entry.state}`)}
                </p>
                <TaskProgress label={entry.name} progress={fileProgress(entry, overall)} />
                {entry.message && <span className="error"> {entry.message}</span>}
              </li>
            ))}
          </ul>
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
