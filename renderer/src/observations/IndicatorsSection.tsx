import { useTranslation } from 'react-i18next';
import { SelectField } from '../ui';
import { INDICATOR_ANSWERS } from '../vault';
import { EvidencePicker, type EvidenceOption } from './EvidencePicker';
import { TextAreaField } from './form-fields';
import type { HearingForm, IndicatorEntry } from './hearing-form';
import { INDICATORS, type IndicatorId } from './indicators';
import { indicatorName } from './labels';

type Change = (update: (form: HearingForm) => HearingForm) => void;

export type { EvidenceOption };

/** The rows a hearing answers: each right once, or once per accused where the right is individual. */
export function indicatorRows(
  form: HearingForm,
): { indicator: IndicatorId; accusedId: string | null; accusedName: string }[] {
  const accused = form.fields.accused;
  return INDICATORS.flatMap(
    ({ id, individual }): { indicator: IndicatorId; accusedId: string | null; accusedName: string }[] =>
      individual && accused.length > 0
        ? accused.map((person) => ({ indicator: id, accusedId: person.id, accusedName: person.name }))
        : [{ indicator: id, accusedId: null, accusedName: '' }],
  );
}

const sameRow = (entry: { indicator: string; accusedId: string | null }, indicator: string, accusedId: string | null) =>
  entry.indicator === indicator && entry.accusedId === accusedId;

/**
 * Fair-trial indicators: one answer per right (per accused where individual),
 * a factual note, and the evidence it rests on. A note or evidence waits for
 * an answer, so nothing is counted that the monitor did not choose.
 */
export function IndicatorsSection({
  form,
  evidence,
  hints,
  onChange,
}: {
  form: HearingForm;
  evidence: readonly EvidenceOption[];
  /** Computed facts shown beside a right, e.g. days since arrest for undue delay. */
  hints: Partial<Record<IndicatorId, string>>;
  onChange: Change;
}) {
  const { t } = useTranslation();

  function setEntry(indicator: IndicatorId, accusedId: string | null, patch: Partial<IndicatorEntry> | null) {
    onChange((current) => {
      const others = current.fields.indicators.filter((entry) => !sameRow(entry, indicator, accusedId));
      const existing = current.fields.indicators.find((entry) => sameRow(entry, indicator, accusedId));
      const reviews = current.fields.review.indicators.filter((entry) => !sameRow(entry, indicator, accusedId));
      if (patch === null)
        return {
          ...current,
          fields: { ...current.fields, indicators: others, review: { ...current.fields.review, indicators: reviews } },
        };
      const next: IndicatorEntry = {
        indicator,
        accusedId,
        answer: 'unknown',
        note: '',
        evidence: [],
        ...existing,
        ...patch,
      };
      return { ...current, fields: { ...current.fields, indicators: [...others, next] } };
    });
  }

  return (
    <div className="indicator-list">
      {indicatorRows(form).map(({ indicator, accusedId, accusedName }) => {
        const entry = form.fields.indicators.find((candidate) => sameRow(candidate, indicator, accusedId));
        const meta = INDICATORS.find((candidate) => candidate.id === indicator)!;
        const name = indicatorName(t, indicator, accusedId ? accusedName || '…' : null);
        const headingId = `indicator-${indicator}-${accusedId ?? 'hearing'}`;
        return (
          <div key={headingId} role="group" aria-labelledby={headingId} className="indicator-row">
            <p id={headingId} className="indicator-name">
              <strong>{name}</strong>
              <span className="muted"> {t('hearing.iccpr', { article: meta.iccpr })}</span>
              {hints[indicator] && <span className="hint">{hints[indicator]}</span>}
            </p>
            <SelectField
              label={t('hearing.answer')}
              aria-label={t('hearing.answerFor', { name })}
              value={entry?.answer ?? ''}
              onChange={(event) =>
                setEntry(
                  indicator,
                  accusedId,
                  event.target.value === '' ? null : { answer: event.target.value as IndicatorEntry['answer'] },
                )
              }
            >
              <option value="">{t('hearing.notAnswered')}</option>
              {INDICATOR_ANSWERS.map((answer) => (
                <option key={answer} value={answer}>
                  {t(`answer.${answer}`)}
                </option>
              ))}
            </SelectField>
            <TextAreaField
              label={t('hearing.indicatorNote')}
              aria-label={t('hearing.noteFor', { name })}
              disabled={!entry}
              value={entry?.note ?? ''}
              onValue={(note) => setEntry(indicator, accusedId, { note })}
            />
            <EvidencePicker
              name={name}
              options={evidence}
              value={entry?.evidence ?? []}
              disabled={!entry}
              onValue={(chosen) => setEntry(indicator, accusedId, { evidence: chosen })}
            />
          </div>
        );
      })}
    </div>
  );
}
