import { useTranslation } from 'react-i18next';
import { TRIAL_GRADES, VIOLATION_STATUSES, type HearingReview } from '../vault';
import { ChoiceField, TextAreaField, TextField } from './form-fields';
import type { HearingForm } from './hearing-form';
import { indicatorName } from './labels';

type Change = (update: (form: HearingForm) => HearingForm) => void;
type ReviewEntry = HearingReview['indicators'][number];

/**
 * The assessment layer, kept apart from the facts: the monitor's summary of
 * concerns, then a reviewer's view of each answered right and an overall grade.
 */
export function AssessmentSection({ form, onChange }: { form: HearingForm; onChange: Change }) {
  const { t } = useTranslation();
  const review = form.fields.review;
  const setReview = (patch: Partial<HearingReview>) =>
    onChange((current) => ({
      ...current,
      fields: { ...current.fields, review: { ...current.fields.review, ...patch } },
    }));
  const nameOf = (accusedId: string | null) =>
    form.fields.accused.find((accused) => accused.id === accusedId)?.name ?? '';

  function setView(indicator: ReviewEntry['indicator'], accusedId: string | null, patch: Partial<ReviewEntry> | null) {
    onChange((current) => {
      const entries = current.fields.review.indicators;
      const same = (entry: ReviewEntry) => entry.indicator === indicator && entry.accusedId === accusedId;
      const existing = entries.find(same);
      const others = entries.filter((entry) => !same(entry));
      const next =
        patch === null
          ? others
          : [...others, { indicator, accusedId, status: 'unknown' as const, note: '', ...existing, ...patch }];
      return { ...current, fields: { ...current.fields, review: { ...current.fields.review, indicators: next } } };
    });
  }

  return (
    <>
      <TextAreaField
        label={t('hearing.monitorSummary')}
        rows={5}
        value={form.fields.monitorSummary}
        onValue={(monitorSummary) =>
          onChange((current) => ({ ...current, fields: { ...current.fields, monitorSummary } }))
        }
      />
      <fieldset>
        <legend>{t('hearing.review')}</legend>
        <p className="muted">{t('hearing.reviewHelp')}</p>
        <div className="form-grid">
          <TextField
            label={t('hearing.reviewer')}
            value={review.reviewer}
            onValue={(reviewer) => setReview({ reviewer })}
          />
          <ChoiceField
            label={t('hearing.grade')}
            value={review.grade}
            options={TRIAL_GRADES}
            optionLabel={(grade) => t(`grade.${grade}`)}
            blank={t('hearing.notGraded')}
            onValue={(grade) => setReview({ grade })}
          />
        </div>
        <TextAreaField
          label={t('hearing.reviewSummary')}
          value={review.summary}
          onValue={(summary) => setReview({ summary })}
        />
        {form.fields.indicators.length > 0 && (
          <table className="indicators">
            <thead>
              <tr>
                <th scope="col">{t('hearing.indicator')}</th>
                <th scope="col">{t('hearing.monitorAnswer')}</th>
                <th scope="col">{t('hearing.violationStatus')}</th>
                <th scope="col">{t('hearing.reviewNote')}</th>
              </tr>
            </thead>
            <tbody>
              {form.fields.indicators.map((answer) => {
                const view = review.indicators.find(
                  (entry) => entry.indicator === answer.indicator && entry.accusedId === answer.accusedId,
                );
                const name = indicatorName(t, answer.indicator, answer.accusedId ? nameOf(answer.accusedId) : null);
                return (
                  <tr key={`${answer.indicator}-${answer.accusedId ?? 'hearing'}`}>
                    <th scope="row">{name}</th>
                    <td>{t(`answer.${answer.answer}`)}</td>
                    <td>
                      <select
                        aria-label={t('hearing.violationStatusFor', { name })}
                        value={view?.status ?? ''}
                        onChange={(event) =>
                          setView(
                            answer.indicator,
                            answer.accusedId,
                            event.target.value === '' ? null : { status: event.target.value as ReviewEntry['status'] },
                          )
                        }
                      >
                        <option value="">{t('hearing.notReviewed')}</option>
                        {VIOLATION_STATUSES.map((status) => (
                          <option key={status} value={status}>
                            {t(`violation.${status}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <textarea
                        rows={1}
                        aria-label={t('hearing.reviewNoteFor', { name })}
                        disabled={!view}
                        value={view?.note ?? ''}
                        onChange={(event) => setView(answer.indicator, answer.accusedId, { note: event.target.value })}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </fieldset>
    </>
  );
}
