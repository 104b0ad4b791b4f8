import { useTranslation } from 'react-i18next';
import { errorMessage, formatSize } from '../ui';
import type { BundleQueueEntry } from '../vault';

/** What the table says of an entry's state, and how its badge looks. */
function stateOf(
  entry: BundleQueueEntry,
  fileHeld: boolean,
  t: ReturnType<typeof useTranslation>['t'],
): { badge: string; tone: 'final' | 'warning' | ''; reason: string | null } {
  // Read before the last lock (or never read, its file let go): only opening the file again brings it back.
  const fileNeeded = !entry.staged && !fileHeld && (entry.state === 'waiting' || entry.state === 'ready');
  switch (entry.state) {
    case 'imported':
      return {
        badge: t('queue.state.imported'),
        tone: 'final',
        reason: entry.imported && t('queue.importedCounts', entry.imported),
      };
    case 'refused':
      return { badge: t('queue.state.refused'), tone: 'warning', reason: entry.error && errorMessage(t, entry.error) };
    case 'failed':
      return { badge: t('queue.state.failed'), tone: 'warning', reason: entry.error && errorMessage(t, entry.error) };
    case 'ready': {
      const decisions = entry.decisions.map((decision) => t(`queue.decision.${decision}`)).join('; ');
      if (fileNeeded)
        return {
          badge: t('queue.state.fileNeeded'),
          tone: 'warning',
          reason: [t('queue.fileNeededAfterLock'), decisions].filter(Boolean).join(' '),
        };
      return entry.decisions.length === 0
        ? { badge: t('queue.state.ready'), tone: 'final', reason: null }
        : { badge: t('queue.state.decide'), tone: 'warning', reason: decisions };
    }
    case 'waiting':
      return fileNeeded
        ? { badge: t('queue.state.fileNeeded'), tone: 'warning', reason: t('queue.fileNeededNotRead') }
        : { badge: t('queue.state.waiting'), tone: '', reason: null };
  }
}

/**
 * The queue of bundle files being opened: each one's file, signer, what it
 * would change and its state, with the reason it waits. A row's own actions
 * are secondary (review, remove); the view's one primary action is above.
 */
export function BundleQueueTable({
  entries,
  heldFiles,
  busy,
  onReview,
  onRemove,
}: {
  entries: readonly BundleQueueEntry[];
  /** Entries whose file this page still holds (picked, not read yet). */
  heldFiles: ReadonlySet<string>;
  busy: boolean;
  onReview: (entry: BundleQueueEntry) => void;
  onRemove: (entry: BundleQueueEntry) => void;
}) {
  const { t, i18n } = useTranslation();
  if (entries.length === 0) return null;
  return (
    <table className="bundle-queue">
      <caption>{t('queue.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('queue.file')}</th>
          <th scope="col">{t('queue.signer')}</th>
          <th scope="col">{t('queue.changes')}</th>
          <th scope="col">{t('queue.stateHeading')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('queue.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => {
          const state = stateOf(entry, heldFiles.has(entry.id), t);
          const { bundle } = entry;
          return (
            <tr key={entry.id}>
              <th scope="row">
                {entry.fileName}
                <div className="hint">{formatSize(entry.size, i18n.language)}</div>
              </th>
              <td>
                {bundle ? (
                  <>
                    {bundle.signer.name || '—'}
                    <div className="hint">
                      {t(`open.signer.${bundle.signer.status}`, { contact: bundle.signer.contactName ?? '' })}
                    </div>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>{bundle ? t('queue.changeCounts', bundle.changes) : '—'}</td>
              <td>
                <span className={`badge ${state.tone}`}>{state.badge}</span>
                {state.reason && <div className="hint">{state.reason}</div>}
              </td>
              <td className="actions">
                {entry.staged && (entry.state === 'ready' || entry.state === 'failed') && (
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={t('queue.reviewNamed', { name: entry.fileName })}
                    onClick={() => onReview(entry)}
                  >
                    {t('queue.review')}
                  </button>
                )}
                <button
                  type="button"
                  disabled={busy}
                  aria-label={t('queue.removeNamed', { name: entry.fileName })}
                  onClick={() => onRemove(entry)}
                >
                  {t('queue.remove')}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
