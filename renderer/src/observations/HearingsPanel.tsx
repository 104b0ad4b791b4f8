import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, useFormats } from '../ui';
import type { HearingRecord, VaultClient } from '../vault';

/** The hearings of a case: open one, start a new one, or open the case report. */
export function HearingsPanel({
  vault,
  caseId,
  onOpen,
  onReport,
}: {
  vault: VaultClient;
  caseId: string;
  onOpen: (hearingId: string | null) => void;
  onReport: () => void;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const [hearings, setHearings] = useState<HearingRecord[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    vault.listHearings(caseId).then(
      (loaded) => current && setHearings(loaded),
      (caught: unknown) => current && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [vault, caseId]);

  return (
    <section aria-labelledby="hearings-heading" className="hearings-panel">
      <h2 id="hearings-heading">{t('hearings.heading')}</h2>
      {error !== null && (
        <p role="alert" className="error">
          {errorMessage(t, error)}
        </p>
      )}
      {hearings && hearings.length === 0 && <p>{t('hearings.none')}</p>}
      {hearings && hearings.length > 0 && (
        <ul className="hearing-list">
          {hearings.map((record) => {
            const { value, state, version, history } = record.hearing;
            const status =
              state === 'final'
                ? t('hearings.final', { n: version })
                : history.length > 0
                  ? t('hearings.draftAfterFinal', { n: version, final: history.at(-1)!.version })
                  : t('hearings.draft', { n: version });
            return (
              <li key={record.id}>
                <button type="button" onClick={() => onOpen(record.id)}>
                  {t('hearings.open', { date: formats.date(value.date), stage: t(`stage.${value.stage}`) })}
                </button>{' '}
                <span className={state === 'final' ? 'badge final' : 'badge'}>{status}</span>{' '}
                <span className="muted">{value.court}</span>
              </li>
            );
          })}
        </ul>
      )}
      <div className="actions">
        <button type="button" onClick={() => onOpen(null)}>
          {t('hearings.new')}
        </button>
        <button type="button" onClick={onReport}>
          {t('report.open')}
        </button>
      </div>
    </section>
  );
}
