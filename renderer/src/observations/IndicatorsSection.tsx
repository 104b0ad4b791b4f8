import { useTranslation } from 'react-i18next';
import { INDICATOR_ANSWERS } from '../vault';
import type { HearingForm, IndicatorEntry } from './hearing-form';
import { INDICATORS, type IndicatorId } from './indicators';
import { indicatorName } from './labels';

export interface EvidenceOption {
  /** An annotation or document id. */
  value: string;
  label: string;
}

type Change = (update: (form: HearingForm) => HearingForm) => void;

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
    <table className="indicators">
      <thead>
        <tr>
          <th scope="col">{t('hearing.indicator')}</th>
          <th scope="col">{t('hearing.answer')}</th>
          <th scope="col">{t('hearing.indicatorNote')}</th>
          <th scope="col">{t('hearing.evidence')}</th>
        </tr>
      </thead>
      <tbody>
        {indicatorRows(form).map(({ indicator, accusedId, accusedName }) => {
          const entry = form.fields.indicators.find((candidate) => sameRow(candidate, indicator, accusedId));
          const meta = INDICATORS.find((candidate) => candidate.id === indicator)!;
          const name = indicatorName(t, indicator, accusedId ? accusedName || '…' : null);
          return (
            <tr key={`${indicator}-${accusedId ?? 'hearing'}`}>
              <th scope="row">
                {name}
                <span className="muted"> {t('hearing.iccpr', { article: meta.iccpr })}</span>
                {hints[indicator] && <span className="hint">{hints[indicator]}</span>}
              </th>
              <td>
                <select
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
                </select>
              </td>
              <td>
                <textarea
                  aria-label={t('hearing.noteFor', { name })}
                  rows={1}
                  disabled={!entry}
                  value={entry?.note ?? ''}
                  onChange={(event) => setEntry(indicator, accusedId, { note: event.target.value })}
                />
              </td>
              <td>
                <select
                  multiple
                  aria-label={t('hearing.evidenceFor', { name })}
                  disabled={!entry || evidence.length === 0}
                  value={entry?.evidence ?? []}
                  size={Math.min(3, Math.max(1, evidence.length))}
                  onChange={(event) =>
                    setEntry(indicator, accusedId, {
                      evidence: Array.from(event.target.selectedOptions, (option) => option.value),
                    })
                  }
                >
                  {evidence.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
