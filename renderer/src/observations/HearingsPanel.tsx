import { useTranslation } from 'react-i18next';
import { queryKeys, useVaultQuery } from '../session';
import { errorMessage, useFormats } from '../ui';

/** The hearings of a case: open one, start a new one, or open the case report. */
export function HearingsPanel({
  caseId,
  onOpen,
  onReport,
}: {
  caseId: string;
  onOpen: (hearingId: string | null) => void;
  onReport: () => void;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const query = useVaultQuery(queryKeys.caseHearings(caseId), (vault) => vault.listHearings(caseId));
  const hearings = query.data;

  return (
    <section aria-labelledby="hearings-heading" className="hearings-panel">
      <h2 id="hearings-heading">{t('hearings.heading')}</h2>
      {query.status === 'pending' && <p>{t('common.loading')}</p>}
      {query.status === 'error' && (
        <p role="alert" className="error">
          {errorMessage(t, query.error)}
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
