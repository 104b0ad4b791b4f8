import { useFormats } from '../ui';
import { useTranslation } from 'react-i18next';
import { HEARING_STAGES, type HearingFields } from '../vault';
import { isApproximateDate } from './approximate-dates';
import { CheckField, ChoiceField, TextAreaField, TextField } from './form-fields';
import type { HearingForm } from './hearing-form';
import type { FormChange } from './use-hearing-editor';

const REQUESTED_BY = ['prosecution', 'defence', 'court', 'other', 'unknown'] as const;

/** When and where: date, times, stage, court and chamber, languages, and whether it was adjourned. */
export function BasicsSection({ form, onChange }: { form: HearingForm; onChange: FormChange }) {
  const { t } = useTranslation();
  const formats = useFormats();
  const fields = form.fields;
  const setFields = (patch: Partial<HearingFields>) =>
    onChange((current) => ({ ...current, fields: { ...current.fields, ...patch } }));
  const dateValid = isApproximateDate(fields.date);
  return (
    <div className="form-grid">
      <TextField
        label={t('hearing.date')}
        value={fields.date}
        required
        placeholder="2025-07-17"
        aria-invalid={!dateValid}
        aria-describedby="hearing-date-help"
        onValue={(date) => setFields({ date })}
      />
      <p id="hearing-date-help" className="muted">
        {dateValid && <strong>{formats.date(fields.date)}. </strong>}
        {t('hearing.dateHelp')}
      </p>
      <TextField
        label={t('hearing.scheduledStart')}
        type="time"
        value={fields.scheduledStart}
        onValue={(scheduledStart) => setFields({ scheduledStart })}
      />
      <TextField
        label={t('hearing.actualStart')}
        type="time"
        value={fields.actualStart}
        onValue={(actualStart) => setFields({ actualStart })}
      />
      <TextField
        label={t('hearing.actualEnd')}
        type="time"
        value={fields.actualEnd}
        onValue={(actualEnd) => setFields({ actualEnd })}
      />
      <ChoiceField
        label={t('hearing.stage')}
        value={fields.stage}
        options={HEARING_STAGES}
        optionLabel={(v) => t(`stage.${v}`)}
        onValue={(stage) => setFields({ stage })}
      />
      <TextField
        label={t('hearing.court')}
        value={fields.court}
        maxLength={200}
        onValue={(court) => setFields({ court })}
      />
      <TextField
        label={t('hearing.chamber')}
        value={fields.chamber}
        maxLength={200}
        onValue={(chamber) => setFields({ chamber })}
      />
      <TextField
        label={t('hearing.languages')}
        value={form.lists.languages ?? ''}
        onValue={(languages) => onChange((current) => ({ ...current, lists: { ...current.lists, languages } }))}
      />
      <CheckField
        label={t('hearing.adjourned')}
        checked={!fields.held}
        onValue={(adjourned) =>
          setFields({
            held: !adjourned,
            adjournment: adjourned ? (fields.adjournment ?? { reason: '', requestedBy: 'unknown' }) : null,
          })
        }
      />
      {fields.adjournment && (
        <>
          <ChoiceField
            label={t('hearing.requestedBy')}
            value={fields.adjournment.requestedBy}
            options={REQUESTED_BY}
            optionLabel={(v) => t(`hearing.requesters.${v}`)}
            onValue={(requestedBy) => setFields({ adjournment: { ...fields.adjournment!, requestedBy } })}
          />
          <TextAreaField
            label={t('hearing.adjournmentReason')}
            value={fields.adjournment.reason}
            onValue={(reason) => setFields({ adjournment: { ...fields.adjournment!, reason } })}
          />
        </>
      )}
    </div>
  );
}
