import { useTranslation } from 'react-i18next';
import { CASE_STATUSES, INDICATOR_ANSWERS, type CaseSummary } from '../../vault';
import { BackupReminder } from '../../backups';
import { errorMessage } from '../../ui';
import { queryKeys, useVaultQuery } from '../../session';
import './overview.css';

/** Horizontal bars with the numbers beside them: a picture and the figures in one. */
function Bars({
  label,
  rows,
  empty,
}: {
  label: string;
  rows: { key: string; name: string; count: number }[];
  /** Said instead of the bars when every count is zero (or there are no rows). */
  empty: string;
}) {
  const widest = Math.max(1, ...rows.map((row) => row.count));
  if (rows.every((row) => row.count === 0))
    return (
      <div className="bars-empty">
        <p className="bars-empty-label">{label}</p>
        <p className="muted">{empty}</p>
      </div>
    );
  return (
    <table className="bars" aria-label={label}>
      <caption>{label}</caption>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.name}</th>
            <td className="bar-cell">
              <span className="bar" style={{ width: `${(row.count / widest) * 100}%` }} aria-hidden="true" />
            </td>
            <td>{row.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The home screen: when the vault was last backed up, cases by status, hearings per month, indicator answers,
 * recent activity, documents to annotate.
 */
export function OverviewPanel({
  cases,
  onOpenCase,
  onOpenBackupSettings,
}: {
  cases: readonly CaseSummary[];
  onOpenCase: (caseId: string) => void;
  onOpenBackupSettings: () => void;
}) {
  const { t, i18n } = useTranslation();
  // Read each time the home screen opens (the session's reads are stale at once; the worker keeps the answer until
  // the vault changes, so this costs nothing when nothing did); the last answer shows meanwhile.
  const query = useVaultQuery(queryKeys.overview, (vault) => vault.overview());

  if (query.status === 'error')
    return (
      <p role="alert" className="error">
        {errorMessage(t, query.error)}
      </p>
    );
  if (query.status === 'pending') return <p>{t('common.loading')}</p>;
  const overview = query.data;
  const titles = new Map(cases.map((entry) => [entry.id, entry.title]));
  return (
    <section aria-labelledby="overview-heading" className="overview">
      <h2 id="overview-heading">{t('overview.heading')}</h2>
      <BackupReminder onOpenSettings={onOpenBackupSettings} />
      <div className="overview-grid">
        <Bars
          label={t('overview.casesByStatus')}
          empty={t('overview.noCases')}
          rows={CASE_STATUSES.map((status) => ({
            key: status,
            name: t(`status.${status}`),
            count: overview.casesByStatus[status] ?? 0,
          }))}
        />
        <Bars
          label={t('overview.hearingsPerMonth')}
          empty={t('overview.noHearings')}
          rows={overview.hearingsPerMonth.slice(-12).map(({ month, count }) => ({ key: month, name: month, count }))}
        />
        <Bars
          label={t('overview.indicatorAnswers')}
          empty={t('overview.noAnswers')}
          rows={INDICATOR_ANSWERS.map((answer) => ({
            key: answer,
            name: t(`answer.${answer}`),
            count: overview.indicatorAnswers[answer] ?? 0,
          }))}
        />
      </div>
      <h3>{t('overview.awaiting')}</h3>
      {overview.awaitingAnnotation.length === 0 ? (
        <p className="muted">{t(overview.documentCount === 0 ? 'overview.noDocuments' : 'overview.noneAwaiting')}</p>
      ) : (
        <ul>
          {overview.awaitingAnnotation.map((document) => (
            <li key={document.documentId}>
              <button type="button" className="link" onClick={() => onOpenCase(document.caseId)}>
                {document.name}
              </button>{' '}
              <span className="muted">{titles.get(document.caseId) ?? ''}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('overview.recent')}</h3>
      {overview.recentActivity.length === 0 && <p className="muted">{t('overview.noActivity')}</p>}
      <ul className="recent">
        {overview.recentActivity.map((entry) => (
          <li key={entry.seq}>
            {new Date(entry.time).toLocaleString(i18n.language)} — {t(`log.action.${entry.action}`)} ·{' '}
            {entry.aboutDeletedCase ? t('log.aboutDeletedCase') : t(`log.kind.${entry.targetKind}`)}
            {entry.caseId && titles.has(entry.caseId) ? ` · ${titles.get(entry.caseId)}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
