import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, StatusMessage, type OutcomeMessage } from '../ui';
import { startingProgress, TaskProgress, useProgressMeter } from '../ui/progress';
import type { PickedFile, Platform } from '../platform';
import type { BundleImportPreview, BundleImportResult, BundleQueueEntry, ImportResolution } from '../vault';
import { queryKeys, useRefresh, useVault, useVaultQuery } from '../session';
import { BundlePreview, ImportResult } from './BundlePreview';
import { BundleQueueTable } from './BundleQueueTable';
import { MergeProgress, useMergeProgress } from './MergeProgress';
import { readBundleFile } from './read-bundle';

/** What runs now, with its progress: files being verified, or bundles being taken, one at a time. */
type Run =
  | { kind: 'reading'; position: number; count: number; fileName: string }
  | { kind: 'accepting'; position: number; count: number };

/** One bundle of the queue looked at closely: its preview, then what taking it did. */
type Detail =
  | { kind: 'preview'; entryId: string; preview: BundleImportPreview }
  | {
      kind: 'done';
      preview: BundleImportPreview;
      resolutions: Record<string, ImportResolution>;
      result: BundleImportResult;
    };

/** Entries "accept all from verified contacts" takes: verified, staged, nothing to decide. */
const acceptable = (entry: BundleQueueEntry) => entry.state === 'ready' && entry.staged && entry.decisions.length === 0;

/**
 * Opens bundles, many at once: the files picked join the queue of bundles
 * (sealed in the vault, it survives a lock) and are read through the vault
 * one at a time (every check runs before anything is written), each then
 * showing who signed it and what it would change. The coordinator takes
 * them one by one (with a choice for every conflict) or all those from
 * verified contacts at once, each in its own transaction.
 */
export function OpenBundle({
  platform,
  onImported,
  onOpenCase,
}: {
  platform: Platform;
  onImported: () => void;
  /** Opens a case the import wrote to (the result links to each). */
  onOpenCase?: (caseId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const vault = useVault();
  const refresh = useRefresh();
  const { data: queue = [] } = useVaultQuery(queryKeys.bundleQueue, (client) => client.listBundleQueue());
  // Files picked and not read yet, by queue entry: held by this page only, let go once read or when it goes.
  const files = useRef(new Map<string, PickedFile>());
  const [heldFiles, setHeldFiles] = useState<ReadonlySet<string>>(new Set());
  const [run, setRun] = useState<Run | null>(null);
  // The file being read: bytes the vault has opened, checked and staged.
  const { progress, start: startProgress, clear: clearProgress } = useProgressMeter();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [resolutions, setResolutions] = useState<Record<string, ImportResolution>>({});
  const [acceptUnknown, setAcceptUnknown] = useState(false);
  const [message, setMessage] = useState<OutcomeMessage | null>(null);
  const [committing, setCommitting] = useState(false);
  // The bundle being taken in: records merged, then written.
  const merge = useMergeProgress();
  const stopping = useRef<AbortController | null>(null);

  useEffect(() => {
    const held = files.current;
    return () => {
      for (const file of held.values()) void file.close();
      held.clear();
    };
  }, []);

  const refreshQueue = () => refresh(queryKeys.bundleQueue);
  const letGo = async (entryId: string) => {
    const file = files.current.get(entryId);
    files.current.delete(entryId);
    setHeldFiles(new Set(files.current.keys()));
    await file?.close();
  };

  async function open() {
    setMessage(null);
    setDetail(null);
    const picked = await platform.pickFiles();
    if (picked.length === 0) return;
    let entries: BundleQueueEntry[];
    try {
      entries = await vault.queueBundleFiles(picked.map((file) => ({ name: file.name, size: file.size })));
    } catch (caught) {
      await Promise.allSettled(picked.map((file) => file.close()));
      setMessage({ ok: false, text: errorMessage(t, caught) });
      return;
    }
    for (const [index, entry] of entries.entries()) {
      const earlier = files.current.get(entry.id);
      if (earlier) void earlier.close();
      files.current.set(entry.id, picked[index]!);
    }
    setHeldFiles(new Set(files.current.keys()));
    void refreshQueue();
    await verify(
      entries.map((entry) => entry.id),
      picked.length === 1,
    );
  }

  /** Reads the files of `entryIds` through the vault, one at a time; a single file opens its preview at once. */
  async function verify(entryIds: string[], single: boolean) {
    const controller = new AbortController();
    stopping.current = controller;
    let last: { entryId: string; preview: BundleImportPreview } | null = null;
    let failure: unknown = null;
    try {
      for (const [position, entryId] of entryIds.entries()) {
        const file = files.current.get(entryId);
        if (!file || controller.signal.aborted) continue;
        setRun({ kind: 'reading', position, count: entryIds.length, fileName: file.name });
        const meter = startProgress(file.size);
        try {
          const { preview } = await readBundleFile(
            vault,
            file,
            (read) => meter.report(read, file.size),
            controller.signal,
            entryId,
          );
          last = { entryId, preview };
        } catch (caught) {
          if (!controller.signal.aborted) failure = caught;
        } finally {
          await letGo(entryId);
          void refreshQueue();
        }
      }
    } finally {
      stopping.current = null;
      // Files a cancel left unread are let go too: their entries ask for them again.
      await Promise.allSettled(entryIds.map(letGo));
      clearProgress();
      setRun(null);
      await refreshQueue();
    }
    if (controller.signal.aborted) setMessage({ ok: false, text: t('open.cancelled') });
    else if (single && last) showPreview(last.entryId, last.preview);
    else if (single && failure !== null) setMessage({ ok: false, text: errorMessage(t, failure) });
    else setMessage({ ok: true, text: t('queue.checked', { count: entryIds.length }) });
  }

  function showPreview(entryId: string, preview: BundleImportPreview) {
    setResolutions({});
    setAcceptUnknown(false);
    setDetail({ kind: 'preview', entryId, preview });
  }

  async function review(entry: BundleQueueEntry) {
    setMessage(null);
    try {
      showPreview(entry.id, await vault.previewQueuedBundle(entry.id));
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
      void refreshQueue();
    }
  }

  async function accept(entryId: string, preview: BundleImportPreview) {
    setCommitting(true);
    try {
      const result = await vault.acceptQueuedBundle(
        entryId,
        { resolutions, acceptUnknownSigner: acceptUnknown },
        merge.follow(),
      );
      setDetail({ kind: 'done', preview, resolutions, result });
      setMessage({
        ok: true,
        text: t('open.imported', { added: result.added, updated: result.updated, kept: result.kept }),
      });
      onImported();
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    } finally {
      merge.end();
      setCommitting(false);
      void refreshQueue();
    }
  }

  /** Takes every bundle that needs no decision, one after another; a failure stops nothing else. */
  async function acceptAllVerified() {
    setMessage(null);
    setDetail(null);
    const chosen = queue.filter(acceptable);
    const controller = new AbortController();
    stopping.current = controller;
    let imported = 0;
    let notImported = 0;
    try {
      for (const [position, entry] of chosen.entries()) {
        if (controller.signal.aborted) break;
        setRun({ kind: 'accepting', position, count: chosen.length });
        // Each its own call and transaction: the queue records every outcome with its reason.
        const [outcome] = await vault.acceptVerifiedBundles([entry.id], merge.follow());
        if (outcome?.ok === true) imported += 1;
        else notImported += 1;
        void refreshQueue();
      }
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
      return;
    } finally {
      stopping.current = null;
      merge.end();
      setRun(null);
      await refreshQueue();
      if (imported > 0) onImported();
    }
    const done = t('queue.acceptedAll', { count: imported });
    setMessage(
      notImported === 0
        ? { ok: true, text: controller.signal.aborted ? `${done} ${t('queue.stopped')}` : done }
        : { ok: false, text: `${done} ${t('queue.notAccepted', { count: notImported })}` },
    );
  }

  async function remove(entryIds: string[]) {
    setMessage(null);
    try {
      await vault.removeFromBundleQueue(entryIds);
      await Promise.allSettled(entryIds.map(letGo));
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
    await refreshQueue();
  }

  const waiting = queue.filter((entry) => entry.state !== 'imported').length;
  const ready = queue.filter(acceptable).length;
  const imported = queue.filter((entry) => entry.state === 'imported').map((entry) => entry.id);
  const busy = run !== null || committing;
  return (
    <section aria-labelledby="open-heading" className="open-bundle">
      <h2 id="open-heading">{t('open.heading')}</h2>
      {queue.length === 0 && run === null && detail === null && <p className="hint">{t('queue.emptyHint')}</p>}
      {detail?.kind !== 'preview' && run === null && (
        // One primary action: taking what is ready when something is, else opening files.
        <div className="actions">
          {ready > 0 && (
            <button type="button" className="primary" onClick={() => void acceptAllVerified()}>
              {t('queue.acceptVerified', { count: ready })}
            </button>
          )}
          <button type="button" className={ready > 0 ? undefined : 'primary'} onClick={() => void open()}>
            {t('open.choose')}
          </button>
          {imported.length > 0 && (
            <button type="button" onClick={() => void remove(imported)}>
              {t('queue.clearImported')}
            </button>
          )}
        </div>
      )}
      {run?.kind === 'reading' && (
        <>
          <p>{t('queue.readingOf', { position: run.position + 1, count: run.count, name: run.fileName })}</p>
          {run.count > 1 && <progress aria-label={t('queue.overall')} max={run.count} value={run.position} />}
          {progress && (
            <TaskProgress label={t('open.progress')} progress={progress} onCancel={() => stopping.current?.abort()} />
          )}
        </>
      )}
      {run?.kind === 'accepting' && (
        <>
          <p>{t('queue.acceptingOf', { position: run.position + 1, count: run.count })}</p>
          <TaskProgress
            label={t('queue.overall')}
            progress={{ ...startingProgress(run.count), done: run.position }}
            unit="items"
            onCancel={() => stopping.current?.abort()}
          />
          {merge.progress && <MergeProgress progress={merge.progress} writing={merge.writing} />}
        </>
      )}
      {detail?.kind === 'preview' && (
        <BundlePreview
          preview={detail.preview}
          language={i18n.language}
          resolutions={resolutions}
          onResolve={(id, choice) => setResolutions({ ...resolutions, [id]: choice })}
          acceptUnknown={acceptUnknown}
          onAcceptUnknown={setAcceptUnknown}
          busy={committing}
          onCommit={() => void accept(detail.entryId, detail.preview)}
          onBack={() => setDetail(null)}
        />
      )}
      {detail?.kind === 'preview' && committing && merge.progress && (
        <MergeProgress progress={merge.progress} writing={merge.writing} />
      )}
      <StatusMessage message={message} />
      {detail?.kind === 'done' && <ImportResult {...detail} onOpenCase={onOpenCase} />}
      {detail?.kind !== 'preview' && queue.length > 0 && (
        <>
          <h3>{t('queue.waiting', { count: waiting })}</h3>
          <BundleQueueTable
            entries={queue}
            heldFiles={heldFiles}
            busy={busy}
            onReview={(entry) => void review(entry)}
            onRemove={(entry) => void remove([entry.id])}
          />
        </>
      )}
    </section>
  );
}
