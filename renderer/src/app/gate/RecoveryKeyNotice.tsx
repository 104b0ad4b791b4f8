import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Shows the recovery key once, until the user confirms it is written down. `note` says why, if not first run. */
export function RecoveryKeyNotice({
  recoveryKey,
  onDone,
  note,
}: {
  recoveryKey: string;
  onDone: () => void;
  note?: string;
}) {
  const { t } = useTranslation();
  const [written, setWritten] = useState(false);
  return (
    <section className="gate" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">{t('recovery.heading')}</h2>
      {note && <p role="status">{note}</p>}
      <p>{t('recovery.explain')}</p>
      <p className="recovery-key" aria-label={t('recovery.keyLabel')} lang="en">
        {recoveryKey}
      </p>
      <label className="inline">
        <input type="checkbox" checked={written} onChange={(event) => setWritten(event.target.checked)} />
        {t('recovery.confirm')}
      </label>
      <button type="button" disabled={!written} onClick={onDone}>
        {t('recovery.continue')}
      </button>
    </section>
  );
}
