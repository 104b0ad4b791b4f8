import { useTranslation } from 'react-i18next';
import type { CustodyEntryView } from '../../vault';
import { errorMessage, useFormats } from '../../ui';
import { queryKeys, useVaultQuery } from '../../session';

function EntryList({ entries }: { entries: CustodyEntryView[] }) {
  const { t } = useTranslation();
  const formats = useFormats();
  return (
    <ol className="log-entries">
      {entries.map((entry) => (
        <li key={entry.seq}>
          <span>#{formats.number(entry.seq)}</span>{' '}
          <time dateTime={new Date(entry.time).toISOString()}>{formats.timestamp(entry.time, true)}</time>{' '}
          <strong>{t(`log.action.${entry.action}`)}</strong>{' '}
          {entry.aboutDeletedCase ? t('log.aboutDeletedCase') : t(`log.kind.${entry.targetKind}`)}{' '}
          <code title={entry.hash}>{entry.hash.slice(0, 12)}</code>
        </li>
      ))}
    </ol>
  );
}

/**
 * One case's history, from the custody log. Read each time it opens (the session's reads are stale at once), the
 * last answer showing meanwhile.
 */
export function CaseHistory({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const history = useVaultQuery(queryKeys.caseHistory(caseId), (vault) => vault.caseHistory(caseId));
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t('log.caseHistory')}</h2>
      {history.status === 'pending' && <p>{t('common.loading')}</p>}
      {history.status === 'error' && (
        <p role="alert" className="error">
          {errorMessage(t, history.error)}
        </p>
      )}
      {history.status === 'success' &&
        (history.data.length === 0 ? (
          <p className="muted">{t('log.noHistory')}</p>
        ) : (
          <EntryList entries={history.data} />
        ))}
      <button type="button" onClick={onClose}>
        {t('common.back')}
      </button>
    </section>
  );
}
