import { useFormats } from '../ui';
import { createElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { HearingFields } from '../vault';
import { INDICATORS } from './indicators';
import { annotationPage, annotationQuote, type CaseSources } from './use-case-sources';
import { indicatorName } from './labels';

/** A name the record marks as sensitive, unless the reader chose to include such names. */
export function shownName(name: string, sensitive: boolean, includeSensitive: boolean, withheld: string): string {
  return sensitive && !includeSensitive ? withheld : name;
}

/**
 * A hearing as read, not edited: for reports and for earlier signed-off
 * versions. Facts first, then the assessment under its own heading.
 */
export function HearingSummary({
  fields,
  headingLevel,
  sources,
  includeSensitive = true,
}: {
  fields: HearingFields;
  headingLevel: 3 | 4 | 5;
  sources: CaseSources | null;
  includeSensitive?: boolean;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const heading = (text: string) => createElement(`h${headingLevel}`, null, text);
  const nameOf = (accusedId: string | null) => {
    const accused = fields.accused.find((entry) => entry.id === accusedId);
    return accused ? shownName(accused.name, accused.sensitive, includeSensitive, t('report.withheld')) : '';
  };
  const evidenceLabel = (id: string) => {
    const annotation = sources?.annotations.find((entry) => entry.id === id);
    if (annotation) {
      const document = sources?.documents.find((entry) => entry.id === annotation.documentId);
      return t('report.evidenceQuote', {
        quote: annotationQuote(annotation),
        document: document?.name ?? '?',
        page: annotationPage(annotation) ?? '—',
      });
    }
    return sources?.documents.find((entry) => entry.id === id)?.name ?? t('report.missingEvidence');
  };
  const prisonTerm = (months: number) => {
    const years = Math.floor(months / 12);
    if (months % 12 === 0) return t('report.prisonYears', { years });
    return years === 0 ? t('report.prisonMonths', { months }) : t('report.prison', { years, months: months % 12 });
  };
  const orderedIndicators = [...fields.indicators].sort(
    (a, b) =>
      INDICATORS.findIndex((entry) => entry.id === a.indicator) -
      INDICATORS.findIndex((entry) => entry.id === b.indicator),
  );

  return (
    <div className="hearing-summary">
      <dl className="facts">
        <dt>{t('hearing.date')}</dt>
        <dd>{formats.date(fields.date)}</dd>
        <dt>{t('hearing.stage')}</dt>
        <dd>{t(`stage.${fields.stage}`)}</dd>
        <dt>{t('hearing.court')}</dt>
        <dd>{[fields.court, fields.chamber].filter(Boolean).join(' — ') || '—'}</dd>
        <dt>{t('report.times')}</dt>
        <dd>
          {t('report.timesValue', {
            scheduled: formats.time(fields.scheduledStart) || '—',
            start: formats.time(fields.actualStart) || '—',
            end: formats.time(fields.actualEnd) || '—',
          })}
        </dd>
        <dt>{t('report.heldOrAdjourned')}</dt>
        <dd>
          {fields.held
            ? t('report.held')
            : t('report.adjournedBy', {
                by: t(`hearing.requesters.${fields.adjournment?.requestedBy ?? 'unknown'}`),
                reason: fields.adjournment?.reason || '—',
              })}
        </dd>
        {fields.languages.length > 0 && (
          <>
            <dt>{t('hearing.languages')}</dt>
            <dd>{fields.languages.join(', ')}</dd>
          </>
        )}
      </dl>

      {fields.accused.map((accused) => (
        <div key={accused.id} className="accused-summary">
          {heading(nameOf(accused.id) || '—')}
          <p>
            {t('report.accusedLine', {
              presence: t(`hearing.presences.${accused.presence}`),
              custody: t(`hearing.custodies.${accused.custody}`),
              counsel: t(`hearing.counselPresence.${accused.counsel.present}`),
              kind: t(`hearing.counselKinds.${accused.counsel.kind}`),
            })}
            {accused.counsel.notes && ` ${accused.counsel.notes}`}
          </p>
          {accused.charges.length > 0 && (
            <ul>
              {accused.charges.map((charge) => {
                const verdict = accused.verdicts.find((entry) => entry.chargeId === charge.id);
                return (
                  <li key={charge.id}>
                    <strong>{charge.provision}</strong>
                    {charge.offence && ` — ${charge.offence}`}
                    {verdict && (
                      <span>
                        {'. '}
                        {t(`hearing.outcomes.${verdict.outcome}`)}
                        {verdict.prisonMonths !== null && `; ${prisonTerm(verdict.prisonMonths)}`}
                        {verdict.fine &&
                          `; ${t('report.fine', { amount: formats.money(verdict.fine.amount, verdict.fine.currency) })}`}
                        {verdict.otherPenalties && `; ${verdict.otherPenalties}`}
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      ))}

      {orderedIndicators.length > 0 && (
        <table className="indicators">
          <caption>{t('hearing.section.indicators')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('hearing.indicator')}</th>
              <th scope="col">{t('hearing.answer')}</th>
              <th scope="col">{t('hearing.indicatorNote')}</th>
              <th scope="col">{t('hearing.evidence')}</th>
            </tr>
          </thead>
          <tbody>
            {orderedIndicators.map((entry) => (
              <tr key={`${entry.indicator}-${entry.accusedId ?? 'hearing'}`} className={`answer-${entry.answer}`}>
                <th scope="row">
                  {indicatorName(t, entry.indicator, entry.accusedId ? nameOf(entry.accusedId) : null)}
                </th>
                <td>{t(`answer.${entry.answer}`)}</td>
                <td>{entry.note}</td>
                <td>
                  {entry.evidence.map((id) => (
                    <div key={id}>{evidenceLabel(id)}</div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {(fields.monitorSummary || fields.review.grade || fields.review.summary) && (
        <div className="assessment">
          {heading(t('hearing.section.assessment'))}
          {fields.monitorSummary && (
            <p>
              <strong>{t('hearing.monitorSummary')}:</strong> {fields.monitorSummary}
            </p>
          )}
          {fields.review.grade && (
            <p>
              <strong>{t('hearing.grade')}:</strong> {t(`grade.${fields.review.grade}`)}
              {fields.review.reviewer && ` (${fields.review.reviewer})`}
            </p>
          )}
          {fields.review.summary && <p>{fields.review.summary}</p>}
          {fields.review.indicators.length > 0 && (
            <ul>
              {fields.review.indicators.map((entry) => (
                <li key={`${entry.indicator}-${entry.accusedId ?? 'hearing'}`}>
                  {t(`indicator.${entry.indicator}`)}
                  {entry.accusedId && ` (${nameOf(entry.accusedId)})`}: {t(`violation.${entry.status}`)}
                  {entry.note && ` — ${entry.note}`}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
