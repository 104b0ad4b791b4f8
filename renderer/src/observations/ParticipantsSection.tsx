import { useTranslation } from 'react-i18next';
import type { HearingFields } from '../vault';
import { ChoiceField, TextAreaField, TextField } from './form-fields';
import type { HearingForm } from './hearing-form';
import type { FormChange } from './use-hearing-editor';

const YES_NO = ['yes', 'no', 'partly', 'unknown'] as const;

/** Judges, prosecutors, interpreters, the public and the press: who else was in the courtroom. */
export function ParticipantsSection({ form, onChange }: { form: HearingForm; onChange: FormChange }) {
  const { t } = useTranslation();
  const participants = form.fields.participants;
  const set = (patch: Partial<HearingFields['participants']>) =>
    onChange((current) => ({
      ...current,
      fields: { ...current.fields, participants: { ...current.fields.participants, ...patch } },
    }));
  const setInterpreter = (patch: Partial<HearingFields['participants']['interpreter']>) =>
    set({ interpreter: { ...participants.interpreter, ...patch } });
  const yesNo = (v: (typeof YES_NO)[number]) => t(`yesNo.${v}`);
  return (
    <div className="form-grid">
      <TextField label={t('hearing.judges')} value={participants.judges} onValue={(judges) => set({ judges })} />
      <TextField
        label={t('hearing.prosecutors')}
        value={participants.prosecutors}
        onValue={(prosecutors) => set({ prosecutors })}
      />
      <TextField
        label={t('hearing.civilParties')}
        value={participants.civilParties}
        onValue={(civilParties) => set({ civilParties })}
      />
      <TextAreaField
        label={t('hearing.witnesses')}
        value={participants.witnesses}
        onValue={(witnesses) => set({ witnesses })}
      />
      <ChoiceField
        label={t('hearing.interpreterNeeded')}
        value={participants.interpreter.needed}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(needed) => setInterpreter({ needed })}
      />
      <ChoiceField
        label={t('hearing.interpreterProvided')}
        value={participants.interpreter.provided}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(provided) => setInterpreter({ provided })}
      />
      <TextField
        label={t('hearing.interpreterFor')}
        value={participants.interpreter.forWhom}
        onValue={(forWhom) => setInterpreter({ forWhom })}
      />
      <ChoiceField
        label={t('hearing.publicPresent')}
        value={participants.publicPresent}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(publicPresent) => set({ publicPresent })}
      />
      <ChoiceField
        label={t('hearing.mediaPresent')}
        value={participants.mediaPresent}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(mediaPresent) => set({ mediaPresent })}
      />
      <ChoiceField
        label={t('hearing.diplomatsPresent')}
        value={participants.diplomatsPresent}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(diplomatsPresent) => set({ diplomatsPresent })}
      />
      <ChoiceField
        label={t('hearing.securityVisible')}
        value={participants.securityVisible}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(securityVisible) => set({ securityVisible })}
      />
    </div>
  );
}
