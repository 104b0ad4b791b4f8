import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, PlaintextNotice, StatusMessage, useFormats } from '../ui';
import { saveTextFile, type Platform } from '../platform';
import { queryKeys, useVaultQuery } from '../session';
import type { CaseSummary } from '../vault';
import { aggregateHearings, countedHearings, type CountedHearing } from './aggregate';
import { hearingsCsv, indicatorCountsCsv } from './aggregate-csv';
import { ANSWERS, type Answer } from './indicators';
import type { IndicatorTally } from './indicators';

/** Bar colours by answer: met, breached and doubtful stand apart; the unknowns are grey. */
const ANSWER_CLASS: Record<Answer, string> = {
  respected: 'bar-respected',
  'not-respected': 'bar-not-respected',
  concern: 'bar-concern',
  'not-observed': 'bar-not-observed',
  'not-applicable': 'bar-not-applicable',
  unknown: 'bar-unknown',
};

/** Stacked bars, one per indicator answered at least once: a picture of the table below it. */
function IndicatorChart({ tallies }: { tallies: readonly IndicatorTally[] }) {
  const { t } = useTranslation();
  const rows = tallies.filter((tally) => ANSWERS.some((answer) => tally.counts[answer] > 0));
  if (rows.length === 0) return null;
  const widest = Math.max(...rows.map((tally) => ANSWERS.reduce((sum, answer) => sum + tally.counts[answer], 0)));
  return (
    <figure className="indicator-chart">
      <figcaption>{t('monitoring.chartCaption')}</figcaption>
      <div aria-hidden="true">
        {rows.map((tally) => (
          <div key={tally.indicator} className="chart-row">
            <span className="chart-label">{t(`indicator.${tally.indicator}`)}</span>
            <span className="chart-bar">
              {ANSWERS.filter((answer) => tally.counts[answer] > 0).map((answer) => (
                <span
                  key={answer}
                  className={ANSWER_CLASS[answer]}
                  style={{ width: `${(tally.counts[answer] / widest) * 100}%` }}
                  title={`${t(`answer.${answer}`)}: ${tally.counts[answer]}`}
                />
              ))}
            </span>
          </div>
        ))}
      </div>
      <ul className="chart-legend">
        {ANSWERS.map((answer) => (
          <li key={answer}>
            <span className={`swatch ${ANSWER_CLASS[answer]}`} aria-hidden="true" /> {t(`answer.${answer}`)}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** The hearings counted, latest first, each opening its hearing (Back returns here). */
function CountedHearings({
  hearings,
  cases,
  onOpen,
}: {
  hearings: readonly CountedHearing[];
  cases: readonly CaseSummary[];
  onOpen: (caseId: string, hearingId: string) => void;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  if (hearings.length === 0) return null;
  const titles = new Map(cases.map((entry) => [entry.id, entry.title]));
  const latestFirst = [...hearings].sort((a, b) => b.fields.date.localeCompare(a.fields.date));
  return (
    <table className="indicators counted-hearings">
      <caption>{t('monitoring.hearingsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('csv.case')}</th>
          <th scope="col">{t('hearing.editHeading')}</th>
          <th scope="col">{t('csv.court')}</th>
          <th scope="col">{t('csv.signedOff')}</th>
        </tr>
      </thead>
      <tbody>
        {latestFirst.map((hearing) => (
          <tr key={hearing.id}>
            <td>{titles.get(hearing.caseId) || t('cases.untitled')}</td>
            <td>
              <button type="button" onClick={() => onOpen(hearing.caseId, hearing.id)}>
                {t('hearings.open', {
                  date: formats.date(hearing.fields.date),
                  stage: t(`stage.${hearing.fields.stage}`),
                })}
              </button>
            </td>
            <td>{hearing.fields.court}</td>
            <td>{hearing.draft ? t('csv.no') : t('csv.yes')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Trial monitoring across the vault: how many hearings in how many cases,
 * how often counsel was missing, and indicator × answer counts, with CSV
 * exports and the hearings counted, each of which opens. Only signed-off versions count unless drafts are
 * included.
 */
export function MonitoringPanel({
  platform,
  cases,
  onOpenHearing,
}: {
  platform: Platform;
  cases: readonly CaseSummary[];
  /** Open a counted hearing; Back from it returns to this panel. */
  onOpenHearing: (caseId: string, hearingId: string) => void;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const query = useVaultQuery(queryKeys.allHearings, (vault) => vault.listAllHearings());
  const [includeDrafts, setIncludeDrafts] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  if (query.status === 'error')
    return (
      <p role="alert" className="error">
        {errorMessage(t, query.error)}
      </p>
    );
  if (query.status === 'pending') return <p>{t('common.loading')}</p>;
  const records = query.data;

  const { counted, draftsLeftOut } = countedHearings(records.hearings, includeDrafts);
  const aggregate = aggregateHearings(counted);

  async function save(name: string, text: string) {
    setMessage(null);
    try {
      if (await saveTextFile(platform, name, 'text/csv', text))
        setMessage({ ok: true, text: t('monitoring.exported', { name }) });
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  return (
    <section aria-labelledby="monitoring-heading" className="monitoring">
      <h2 id="monitoring-heading">{t('monitoring.heading')}</h2>
      {records.damaged.length > 0 && (
        <p role="alert" className="error">
          {t('monitoring.damaged', { count: records.damaged.length })}
        </p>
      )}
      <label className="inline">
        <input type="checkbox" checked={includeDrafts} onChange={(event) => setIncludeDrafts(event.target.checked)} />
        {t('monitoring.includeDrafts')}
      </label>
      <p className="headline" role="status">
        {t('monitoring.headline', {
          hearings: t('monitoring.hearingCount', { count: aggregate.hearings }),
          cases: t('monitoring.caseCount', { count: aggregate.cases }),
        })}
      </p>
      {draftsLeftOut > 0 && <p className="muted">{t('monitoring.draftsLeftOut', { count: draftsLeftOut })}</p>}
      <dl className="facts">
        <dt>{t('monitoring.withoutCounsel')}</dt>
        <dd>{formats.number(aggregate.withoutCounsel)}</dd>
        <dt>{t('monitoring.counselPartlyAbsent')}</dt>
        <dd>{formats.number(aggregate.counselPartlyAbsent)}</dd>
        <dt>{t('monitoring.adjourned')}</dt>
        <dd>{formats.number(aggregate.adjourned)}</dd>
        <dt>{t('monitoring.accused')}</dt>
        <dd>{formats.number(aggregate.accused)}</dd>
      </dl>
      <p className="muted">{t('monitoring.countingRule')}</p>
      <IndicatorChart tallies={aggregate.tallies} />
      <table className="indicators counts">
        <caption>{t('monitoring.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('hearing.indicator')}</th>
            {ANSWERS.map((answer) => (
              <th key={answer} scope="col">
                {t(`answer.${answer}`)}
              </th>
            ))}
            <th scope="col">{t('csv.respectedShare')}</th>
          </tr>
        </thead>
        <tbody>
          {aggregate.tallies.map((tally) => (
            <tr key={tally.indicator}>
              <th scope="row">{t(`indicator.${tally.indicator}`)}</th>
              {ANSWERS.map((answer) => (
                <td key={answer}>{formats.number(tally.counts[answer])}</td>
              ))}
              <td>{tally.metShare === null ? '—' : `${formats.number(Math.round(tally.metShare * 100))}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CountedHearings hearings={counted} cases={cases} onOpen={onOpenHearing} />
      <div className="actions">
        <button
          type="button"
          aria-describedby="monitoring-plaintext"
          onClick={() => void save('indicator-counts.csv', indicatorCountsCsv(aggregate, t))}
        >
          {t('monitoring.exportCounts')}
        </button>
        <button
          type="button"
          aria-describedby="monitoring-plaintext"
          onClick={() => void save('hearings.csv', hearingsCsv(counted, cases, t))}
        >
          {t('monitoring.exportHearings')}
        </button>
      </div>
      <PlaintextNotice id="monitoring-plaintext" />
      <StatusMessage message={message} />
    </section>
  );
}
