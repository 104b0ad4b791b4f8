import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { takeSecret, vaultErrorCode, type CustodyEntryView, type LogVerification, type VaultClient } from '../../vault';
import { errorMessage, StatusMessage } from '../../ui';

/**
 * The way out when records are not the versions last written and no trusted
 * copy can bring them back: take them as stored, with the passphrase, and
 * leave that in the custody log. Shown only after a verification found it.
 */
function AcceptRecordsAsStored({ vault, onAccepted }: { vault: VaultClient; onAccepted: () => void }) {
  const { t } = useTranslation();
  const passphrase = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await vault.acceptRecordsAsStored(takeSecret(passphrase.current));
      setMessage({ ok: true, text: t('log.accept.done') });
      onAccepted();
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="accept-heading">
      <h3 id="accept-heading">{t('log.accept.heading')}</h3>
      <p>{t('log.accept.explain')}</p>
      <label>
        {t('log.accept.passphrase')}
        <input ref={passphrase} type="password" autoComplete="current-password" required />
      </label>
      <button type="submit">{t('log.accept.submit')}</button>
      <StatusMessage message={message} />
    </form>
  );
}

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

/** Verifies the whole custody log; shows OK, or the first broken link and how many records were rolled back. */
export function CustodyLogPanel({ vault }: { vault: VaultClient }) {
  const { t } = useTranslation();
  const [verdict, setVerdict] = useState<LogVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rolledBack, setRolledBack] = useState(false);

  async function verify() {
    setError(null);
    try {
      const next = await vault.verifyLog();
      setVerdict(next);
      setRolledBack(next.ok === false && next.reason === 'record-rolled-back');
    } catch (caught) {
      setError(errorMessage(t, caught));
      setRolledBack(vaultErrorCode(caught) === 'record-rolled-back');
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
        {verdict?.ok === false && verdict.reason !== 'record-rolled-back' && (
          <p className="error" role="alert">
            {t(`log.broken.${verdict.reason}`, { seq: verdict.firstBrokenSeq, count: verdict.count })}
          </p>
        )}
        {verdict?.ok === false && (verdict.rolledBack ?? 0) > 0 && (
          <p className="error" role="alert">
            {t('log.rolledBack', { count: verdict.rolledBack })}
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
      {rolledBack && <AcceptRecordsAsStored vault={vault} onAccepted={() => void verify()} />}
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
