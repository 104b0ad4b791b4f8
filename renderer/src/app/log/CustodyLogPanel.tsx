import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustodyEntryView, LogVerification, VaultClient } from '../../vault';
import { errorMessage } from '../error-message';

function EntryList({ entries }: { entries: CustodyEntryView[] }) {
  const { t, i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <ol className="log-entries">
      {entries.map((entry) => (
        <li key={entry.seq}>
          <span>#{entry.seq}</span>{' '}
          <time dateTime={new Date(entry.time).toISOString()}>{format.format(entry.time)}</time>{' '}
          <strong>{t(`log.action.${entry.action}`)}</strong>{' '}
          {entry.aboutDeletedCase ? t('log.aboutDeletedCase') : t(`log.kind.${entry.targetKind}`)}{' '}
          <code title={entry.hash}>{entry.hash.slice(0, 12)}</code>
        </li>
      ))}
    </ol>
  );
}

/** Verifies the whole custody log; shows OK or the first broken link. */
export function CustodyLogPanel({ vault }: { vault: VaultClient }) {
  const { t } = useTranslation();
  const [verdict, setVerdict] = useState<LogVerification | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function verify() {
    setError(null);
    try {
      setVerdict(await vault.verifyLog());
    } catch (caught) {
      setError(errorMessage(t, caught));
    }
  }

  return (
    <section aria-labelledby="log-heading">
      <h2 id="log-heading">{t('log.heading')}</h2>
      <p>{t('log.explain')}</p>
      <button type="button" onClick={() => void verify()}>
        {t('log.verify')}
      </button>
      <div aria-live="polite">
        {verdict?.ok === true && <p className="ok">{t('log.ok', { count: verdict.count })}</p>}
        {verdict?.ok === false && (
          <p className="error" role="alert">
            {t(`log.broken.${verdict.reason}`, { seq: verdict.firstBrokenSeq, count: verdict.count })}
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}

/** One case's history, from the custody log. */
export function CaseHistory({ vault, caseId, onClose }: { vault: VaultClient; caseId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [entries, setEntries] = useState<CustodyEntryView[] | null>(null);
  useEffect(() => {
    let current = true;
    void vault.caseHistory(caseId).then((loaded) => current && setEntries(loaded));
    return () => {
      current = false;
    };
  }, [vault, caseId]);
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t('log.caseHistory')}</h2>
      {entries ? <EntryList entries={entries} /> : <p>{t('common.loading')}</p>}
      <button type="button" onClick={onClose}>
        {t('common.back')}
      </button>
    </section>
  );
}
